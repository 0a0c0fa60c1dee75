"""Long lists: forked workers, chunked classification and deduplication give the same
probabilities as one plain pass of the pipeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from nlp.classifier import predictor as predictor_module
from nlp.classifier.classify import classify, classify_chunks
from nlp.classifier.predictor import PARALLEL_MIN, Predictor, predict_batches
from nlp.labels import LABELS
from nlp.readers.notices import iter_notice_chunks, read_notices

from .conftest import ROOT


@pytest.fixture(scope="module")
def long_list() -> list[str]:
    """More distinct titles than PARALLEL_MIN, built from the corpus, with repeats."""
    titles = pd.read_csv(ROOT / "corpus" / "train.csv")["title"].tolist()
    places = ["", "城关镇", "红旗路街道", "区民政局", "东风社区"]
    distinct = [f"{p}{t}" for p in places for t in titles][:PARALLEL_MIN + 500]
    assert len(set(distinct)) > PARALLEL_MIN
    return distinct + distinct[:1000]


def _reference(model, titles: list[str]) -> np.ndarray:
    order = [list(model.pipeline.classes_).index(label) for label in LABELS]
    return model.pipeline.predict_proba(titles)[:, order]


@pytest.mark.skipif(not predictor_module._FORK_IS_SAFE, reason="workers are forked on Linux only")
def test_forked_workers_give_the_plain_pipeline_probabilities(model, long_list):
    with Predictor(model, jobs=2) as predictor:
        proba = predictor.predict(long_list)
        assert predictor._pool is not None  # the long list really went to workers
    assert proba.shape == (len(long_list), len(LABELS))
    np.testing.assert_array_equal(proba, _reference(model, long_list))
    assert predictor_module._SHARED == {}  # nothing left behind for later forks


def test_one_job_computes_in_process(model, long_list):
    with Predictor(model, jobs=1) as predictor:
        proba = predictor.predict(long_list[:3000])
        assert predictor._pool is None
    np.testing.assert_array_equal(proba, _reference(model, long_list[:3000]))


def test_repeated_titles_get_identical_rows(model):
    titles = ["低保名单公示", "安全生产检查", "低保名单公示", "", "低保名单公示"]
    with Predictor(model) as predictor:
        proba = predictor.predict(titles)
    np.testing.assert_array_equal(proba[0], proba[2])
    np.testing.assert_array_equal(proba[0], proba[4])


def test_results_can_be_collected_out_of_order(model, long_list):
    with Predictor(model, jobs=2) as predictor:
        first = predictor.submit(long_list[:PARALLEL_MIN + 10])
        second = predictor.submit(long_list[-30:])
        late = second.result()
        early = first.result()
    np.testing.assert_array_equal(late, _reference(model, long_list[-30:]))
    np.testing.assert_array_equal(early[:50], _reference(model, long_list[:50]))


def test_batches_cover_every_title(model):
    titles = [f"第{i}批低保名单公示" for i in range(25)]
    np.testing.assert_array_equal(predict_batches(model.pipeline, titles, batch=7),
                                  model.pipeline.predict_proba(titles))
    assert predict_batches(model.pipeline, [], batch=7).shape == (0, len(LABELS))


def test_chunked_classification_equals_the_whole_list(model, tmp_path):
    titles = pd.read_csv(ROOT / "corpus" / "test" / "random.csv")["title"].head(250)
    frame = pd.DataFrame({"标题": titles, "栏目": "社会救助",
                          "摘要": ["为保障困难群众基本生活，发放低保金。" if i % 3 == 0 else ""
                                 for i in range(len(titles))]})
    path = tmp_path / "list.csv"
    frame.to_csv(path, index=False)
    whole = read_notices(path)
    expected = classify(whole.frame, model, title_column="标题", body_column="摘要",
                        office_column="栏目")
    parts = list(classify_chunks(iter_notice_chunks(path, chunksize=60), model))
    assert [len(p.frame) for p in parts] == [60, 60, 60, 60, 10]
    got = pd.concat([p.frame for p in parts], ignore_index=True)
    pd.testing.assert_frame_equal(got, expected.frame)
    np.testing.assert_array_equal(np.vstack([p.proba for p in parts]), expected.proba)


def test_titles_equal_once_normalised_get_the_pipeline_probabilities(model):
    titles = ["2023年1月低保金发放名单", "2023年2月低保金发放名单", "第３期低保金发放名单",
              "第12期低保金发放名单", "关于开展安全生产检查的通知"]
    got = predict_batches(model.pipeline, titles, batch=2)
    np.testing.assert_array_equal(got, model.pipeline.predict_proba(titles))
    np.testing.assert_array_equal(got[0], got[1])
    np.testing.assert_array_equal(got[2], got[3])
