"""The batch paths give exactly what the one-title-at-a-time definitions give.

``normalize_titles``, ``Tokenizer.tokenize_batch`` and the two ``*NgramTfidf``
transforms exist only for speed; each is compared here with its reference
(``normalize_title``, ``Tokenizer.__call__``, scikit-learn's own
``TfidfVectorizer.transform``) on the whole corpus and on random text that mixes
the characters that make batching hard: NUL, white space of every kind, combining
marks, Hangul jamo, Σ, full-width forms, characters outside the BMP.
"""

from __future__ import annotations

import functools
import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from nlp.classifier.features import CharNgramTfidf, WordNgramTfidf
from nlp.classifier.model_file import load_model
from nlp.classifier.titles import normalize_title, normalize_titles
from nlp.classifier.tokenizer import Tokenizer, read_lexicon

from .conftest import ROOT

LEXICON = read_lexicon(ROOT / "corpus" / "lexicon.txt")
HARD = ("\x00\x01\n\t \u3000\u00a0\u0301\u0308\u1100\u1161\u11a8\uac00Σσς\u03f9İ…①㈠℃"
        "（）【】〔〕《》“”０１２３ＡＢｃ年月日号度第批期#@\U0001f600\U00020000")
CJK = ("".join(chr(c) for c in range(0x4E00, 0x4E00 + 300))
       + "关于开展低保安全生产救灾养老就业公示通知")
texts = st.text(alphabet=st.sampled_from(HARD + CJK + "abcXYZ0123456789,.-/ "), max_size=30)


@pytest.fixture(scope="module")
def corpus_titles() -> list[str]:
    frames = [pd.read_csv(ROOT / "corpus" / "train.csv"),
              pd.read_csv(ROOT / "corpus" / "test" / "random.csv")]
    return pd.concat(frames)["title"].tolist()


@pytest.fixture(scope="module")
def fitted(corpus_titles):
    """Fast and reference vectorizers fitted on the same normalised training titles."""
    docs = normalize_titles(corpus_titles)
    tok = Tokenizer(lexicon=LEXICON, backend="auto")
    pairs = {}
    for name, fast_cls, kwargs in [
        ("chars", CharNgramTfidf, dict(analyzer="char", ngram_range=(1, 3), min_df=2)),
        ("words", WordNgramTfidf, dict(tokenizer=tok, token_pattern=None, ngram_range=(1, 2))),
    ]:
        common = dict(lowercase=False, sublinear_tf=True, **kwargs)
        pairs[name] = (fast_cls(**common).fit(docs), TfidfVectorizer(**common).fit(docs))
    return pairs


@functools.cache
def _auto_tokenizer() -> Tokenizer:
    """One tokenizer for every generated example (a new one loads the lexicon again)."""
    return Tokenizer(lexicon=LEXICON, backend="auto")


def assert_same_matrix(a, b):
    assert a.shape == b.shape
    diff = abs(a - b)
    assert diff.nnz == 0 or diff.max() < 1e-12


def test_normalize_titles_matches_per_title_on_the_corpus(corpus_titles):
    assert normalize_titles(corpus_titles) == [normalize_title(t) for t in corpus_titles]


@settings(deadline=None)
@given(st.lists(texts, max_size=12))
def test_normalize_titles_matches_per_title_on_random_text(titles):
    assert normalize_titles(titles) == [normalize_title(t) for t in titles]


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
def test_tokenize_batch_matches_per_title_on_the_corpus(corpus_titles, backend):
    tok = Tokenizer(lexicon=LEXICON, backend=backend)
    docs = normalize_titles(corpus_titles)
    tokens, doc_of = tok.tokenize_batch(docs)
    per_doc = [tok(d) for d in docs]
    assert tokens.tolist() == [t for ts in per_doc for t in ts]
    assert doc_of.tolist() == [i for i, ts in enumerate(per_doc) for _ in ts]


@settings(deadline=None)
@given(st.lists(texts, max_size=10))
def test_tokenize_batch_matches_per_title_on_random_text(docs):
    tok = _auto_tokenizer()
    tokens, doc_of = tok.tokenize_batch(docs)
    per_doc = [tok(d) for d in docs]
    assert tokens.tolist() == [t for ts in per_doc for t in ts]
    assert doc_of.tolist() == [i for i, ts in enumerate(per_doc) for _ in ts]


@pytest.mark.parametrize("view", ["chars", "words"])
def test_batch_transform_equals_sklearn_on_the_corpus(fitted, corpus_titles, view):
    fast, reference = fitted[view]
    docs = normalize_titles(corpus_titles)
    assert_same_matrix(fast.transform(docs), reference.transform(docs))


@pytest.mark.parametrize("view", ["chars", "words"])
@settings(deadline=None)
@given(docs=st.lists(texts, min_size=1, max_size=10))
def test_batch_transform_equals_sklearn_on_random_text(fitted, view, docs):
    fast, reference = fitted[view]
    assert_same_matrix(fast.transform(docs), reference.transform(docs))


def test_unusual_settings_fall_back_to_sklearn():
    docs = ["低保名单公示", "安全生产检查", "ABC 低保"]
    for kwargs in [dict(lowercase=True), dict(binary=True), dict(ngram_range=(1, 4))]:
        fast = CharNgramTfidf(analyzer="char", **kwargs).fit(docs)
        reference = TfidfVectorizer(analyzer="char", **kwargs).fit(docs)
        assert not fast._batchable()
        assert_same_matrix(fast.transform(docs), reference.transform(docs))


@pytest.mark.parametrize("view", ["chars", "words"])
def test_empty_batch_and_empty_titles(fitted, view):
    fast, reference = fitted[view]
    for vectorizer in (fast, reference):  # scikit-learn refuses an empty batch; so do we
        with pytest.raises(ValueError):
            vectorizer.transform([])
    assert_same_matrix(fast.transform(["", "低保", ""]), reference.transform(["", "低保", ""]))


def test_pickled_vectorizer_rebuilds_its_tables(fitted):
    fast, _ = fitted["words"]
    fast.transform(["低保公示"])
    again = pickle.loads(pickle.dumps(fast))
    assert "_packed" not in again.__dict__
    assert_same_matrix(again.transform(["低保公示"]), fast.transform(["低保公示"]))


def test_shipped_model_uses_the_batch_views():
    pipeline = load_model().pipeline
    views = dict(pipeline.named_steps["features"].transformer_list)
    assert isinstance(views["chars"], CharNgramTfidf) and views["chars"]._batchable()
    assert isinstance(views["words"], WordNgramTfidf) and views["words"]._batchable()
    proba = pipeline.predict_proba(["关于发放2023年度高龄津贴的公示", ""])
    assert np.allclose(proba.sum(axis=1), 1)


@pytest.mark.parametrize("cls, kwargs", [
    (CharNgramTfidf, dict(analyzer="char", ngram_range=(1, 3))),
    (WordNgramTfidf, dict(tokenizer=Tokenizer(backend="jieba"), token_pattern=None,
                          ngram_range=(1, 2))),
])
@pytest.mark.parametrize("refit", ["fit", "fit_transform"])
def test_refitting_forgets_the_first_vocabulary(cls, kwargs, refit):
    """Fit on A, transform, refit on B: the matrices are those of a vectorizer fitted on B."""
    first = ["低保名单公示", "安全生产检查通知", "防汛应急演练"]
    second = ["高龄津贴发放公示", "公益性岗位招聘", "送戏下乡文艺演出", "低保名单公示"]
    probe = ["低保 高龄津贴", "招聘会 演出", "防汛"]
    common = dict(lowercase=False, sublinear_tf=True, **kwargs)
    fast = cls(**common).fit(first)
    fast.transform(probe)  # builds the lookup tables of the first vocabulary
    getattr(fast, refit)(second)
    reference = TfidfVectorizer(**common).fit(second)
    assert_same_matrix(fast.transform(probe), reference.transform(probe))
