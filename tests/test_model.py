"""The shipped model: reproducible from the shipped corpus, loaded only when it can be trusted."""

from __future__ import annotations

import json

import pytest

from nlp.classifier.model_file import load_model, manifest_path
from nlp.errors import ModelError

from .conftest import ROOT


def test_shipped_model_meets_the_quality_bar(model):
    figures = model.manifest["figures"]
    assert figures["test"]["macro_f1"] >= 0.93
    assert figures["test_gold"]["macro_f1"] >= 0.90
    # Sites never seen: the honest figure, lower than the rows of known sites.
    assert figures["test_sites"]["macro_f1"] >= 0.88 and figures["test_sites"]["sites"] >= 15
    assert len(figures["test"]["worst_errors"]) == 20
    assert model.manifest["corpus_rows"]["test"] > 900


def test_shipped_manifest_describes_the_shipped_corpus(model):
    from nlp.classifier.training import load_corpus

    assert model.manifest["corpus_sha256"] == load_corpus(ROOT / "corpus").sha256


def test_tampered_model_is_refused(model_copy):
    data = bytearray(model_copy.read_bytes())
    data[len(data) // 2] ^= 0xFF
    model_copy.write_bytes(bytes(data))
    with pytest.raises(ModelError, match="sha256"):
        load_model(model_copy)


def test_other_library_versions_are_refused(model_copy):
    mpath = manifest_path(model_copy)
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    manifest["versions"]["scikit-learn"] = "0.24.2"
    mpath.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2"):
        load_model(model_copy)


def test_missing_manifest_is_refused(model_copy):
    manifest_path(model_copy).unlink()
    with pytest.raises(ModelError, match="manifest"):
        load_model(model_copy)


def test_tampered_model_exits_2_from_the_cli(model_copy, run_cli, tmp_path):
    model_copy.write_bytes(model_copy.read_bytes() + b"\0")
    notices = tmp_path / "n.txt"
    notices.write_text("防汛应急预案\n", encoding="utf-8")
    result = run_cli("classify", notices, "--model", model_copy)
    assert result.returncode == 2
    assert "sha256" in result.stderr.decode()
    assert "Traceback" not in result.stderr.decode()


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_figures(tmp_path, model):
    from nlp.classifier.training import train

    manifest = train(ROOT / "corpus", tmp_path / "m.joblib")
    assert manifest["figures"] == model.manifest["figures"]
    assert manifest["review"] == model.manifest["review"]
    assert manifest["out_of_source"] == model.manifest["out_of_source"]


def test_predictions_do_not_hang_on_place_names_dates_or_reposts(model):
    """A model that learned the corpus' phrasing rather than the domains would move when a
    title gains what real lists add to it: the office's name, a date, 「转发：」."""
    import random

    import numpy as np
    import pandas as pd

    from nlp.classifier.predictor import Predictor
    from nlp.labels import LABELS

    test = pd.read_csv(ROOT / "corpus" / "test" / "random.csv")
    rng = random.Random(0)
    places = ["城关镇", "红旗路街道", "区应急管理局", "县民政局", "白沙乡", "滨江街道"]
    variants = {
        "place": [rng.choice(places) + t for t in test["title"]],
        "bracket": [f"{t}（{rng.choice(places)}）" for t in test["title"]],
        "date": [f"{t}（2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}）" for t in test["title"]],
        "repost": ["转发：" + t for t in test["title"]],
    }
    labels = np.asarray(LABELS)
    with Predictor(model, jobs=1) as predictor:
        base = labels[predictor.predict(test["title"].tolist()).argmax(axis=1)]
        base_accuracy = (base == test["label"].to_numpy()).mean()
        for name, titles in variants.items():
            pred = labels[predictor.predict(titles).argmax(axis=1)]
            assert (pred == base).mean() >= 0.97, name
            assert (pred == test["label"].to_numpy()).mean() >= base_accuracy - 0.01, name


def test_the_checked_bytes_are_the_ones_unpickled(model_copy):
    checked = load_model(model_copy)  # hashes the file; unpickles nothing yet
    model_copy.write_bytes(b"not a pickle at all")  # replaced after the check
    assert list(checked.pipeline.classes_) == checked.labels


def test_labels_must_match_the_manifest(model_copy):
    mpath = manifest_path(model_copy)
    manifest = json.loads(mpath.read_text(encoding="utf-8"))
    manifest["labels"] = list(reversed(manifest["labels"]))
    mpath.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="labels"):
        _ = load_model(model_copy).pipeline


def test_selection_is_scored_on_the_real_rows_only(model):
    """Selection must reward what generalises to a site's titles, not to our own phrasing."""
    pipeline = model.pipeline
    from sklearn.metrics import f1_score

    from nlp.classifier.training import is_real, load_corpus, real_rows_macro_f1

    test = load_corpus(ROOT / "corpus").test
    real = is_real(test)
    titles, labels = test["title"].tolist(), test["label"].to_numpy()
    scorer = real_rows_macro_f1({t for t, r in zip(titles, real, strict=True) if r})
    on_real = f1_score(labels[real], pipeline.predict(test["title"][real].tolist()),
                       average="macro")
    on_all = f1_score(labels, pipeline.predict(titles), average="macro")
    assert scorer(pipeline, titles, labels) == pytest.approx(on_real)
    assert on_real != pytest.approx(on_all)  # else the test could not tell them apart
    # A fold with no real rows is scored on all of its rows.
    written = test[~real]
    assert scorer(pipeline, written["title"].tolist(), written["label"].to_numpy()) == \
        pytest.approx(f1_score(written["label"], pipeline.predict(written["title"].tolist()),
                               average="macro"))
