"""The domain classifier: its scikit-learn Pipeline.

The model is one :class:`~sklearn.pipeline.Pipeline`:

1. :class:`TitleNormalizer` — full-width forms, brackets, dates and numbers
   (:func:`nlp.classifier.titles.normalize_title`);
2. a :class:`~sklearn.pipeline.FeatureUnion` of jieba word n-grams
   (:class:`nlp.tokenizer.Tokenizer` with the lexicon) and character n-grams,
   both TF-IDF weighted — titles are short, so both views help. Both are
   scikit-learn's TfidfVectorizer with a ``transform`` that works on a whole
   batch with array operations (:mod:`nlp.classifier.features`);
3. a linear SVM whose scores are calibrated into probabilities by temperature
   scaling on cross-validated predictions (one scalar, so the ranking of labels is
   the SVM's own and the confidence means what it says).

Saving, checking and loading the fitted pipeline is :mod:`nlp.classifier.model_file`'s job.
"""

from __future__ import annotations

from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from nlp.classifier.features import CharNgramTfidf, WordNgramTfidf
from nlp.classifier.titles import normalize_titles
from nlp.classifier.tokenizer import Tokenizer


class TitleNormalizer(TransformerMixin, BaseEstimator):
    """Stateless step that applies :func:`nlp.classifier.titles.normalize_title` to each title."""

    def fit(self, X, y=None):
        return self

    def transform(self, X):
        return normalize_titles([str(x) for x in X])


def build_pipeline(*, lexicon: tuple[tuple[str, int], ...] = (), features: str = "both",
                   C: float = 0.5, char_ngrams: tuple[int, int] = (1, 3),
                   word_ngrams: tuple[int, int] = (1, 2), backend: str = "auto",
                   random_state: int = 0) -> Pipeline:
    """The untrained classifier.

    Parameters
    ----------
    lexicon : tuple of (word, frequency)
        jieba user dictionary, stored inside the model.
    features : {"both", "words", "chars"}
        Which n-gram views to use (chosen by cross-validation in training).
    C : float
        Inverse regularisation of the linear SVM.
    """
    views = []
    if features in ("both", "words"):
        views.append(("words", WordNgramTfidf(
            tokenizer=Tokenizer(lexicon=lexicon, backend=backend), token_pattern=None,
            lowercase=False, ngram_range=word_ngrams, sublinear_tf=True, min_df=1)))
    if features in ("both", "chars"):
        views.append(("chars", CharNgramTfidf(
            analyzer="char", ngram_range=char_ngrams, lowercase=False, sublinear_tf=True,
            min_df=2)))
    if not views:
        raise ValueError(f"features must be 'both', 'words' or 'chars', not {features!r}")
    svm = LinearSVC(C=C, class_weight="balanced", random_state=random_state)
    return Pipeline([
        ("normalize", TitleNormalizer()),
        ("features", FeatureUnion(views)),
        ("classify", CalibratedClassifierCV(svm, method="temperature", cv=5, ensemble=False)),
    ])
