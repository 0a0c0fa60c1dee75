"""The domain classifier: its scikit-learn Pipeline, and saving and loading it safely.

The model is one :class:`~sklearn.pipeline.Pipeline`:

1. :class:`TitleNormalizer` — full-width forms, brackets, dates and numbers
   (:func:`nlp.normalize.normalize_title`);
2. a :class:`~sklearn.pipeline.FeatureUnion` of jieba word n-grams
   (:class:`nlp.tokenizer.Tokenizer` with the lexicon) and character n-grams,
   both TF-IDF weighted — titles are short, so both views help. Both are
   scikit-learn's TfidfVectorizer with a ``transform`` that works on a whole
   batch with array operations (:mod:`nlp.features`);
3. a linear SVM whose scores are calibrated into probabilities by temperature
   scaling on cross-validated predictions (one scalar, so the ranking of labels is
   the SVM's own and the confidence means what it says).

A joblib file is a pickle, and loading a pickle runs code. :func:`load_model`
therefore refuses a file whose sha256 differs from its manifest, or that was
trained with other library versions than the ones installed.
"""

from __future__ import annotations

import hashlib
import json
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import joblib
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from nlp.errors import ModelError
from nlp.features import CharNgramTfidf, WordNgramTfidf
from nlp.normalize import normalize_titles
from nlp.tokenizer import Tokenizer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_MODEL = ROOT / "models" / "domain_classifier.joblib"
# Libraries whose version must match for a pickled model to be trusted: (name, parts compared).
PINNED = {"scikit-learn": 2, "numpy": 1, "scipy": 2, "joblib": 2}
RECORDED = ("scikit-learn", "numpy", "scipy", "joblib", "jieba", "rjieba", "pandas")


class TitleNormalizer(TransformerMixin, BaseEstimator):
    """Stateless step that applies :func:`nlp.normalize.normalize_title` to each title."""

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


@dataclass
class LoadedModel:
    """A fitted pipeline with the manifest it was checked against."""

    pipeline: Pipeline
    manifest: dict[str, Any]
    path: Path

    @property
    def review_threshold(self) -> float:
        return float(self.manifest["review"]["confidence_threshold"])

    @property
    def review_margin(self) -> float:
        return float(self.manifest["review"]["margin"])


def library_versions() -> dict[str, str | None]:
    """Versions of the libraries a pickled model depends on."""
    out: dict[str, str | None] = {"python": platform.python_version()}
    for name in RECORDED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def save_model(pipeline: Pipeline, path: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the joblib file, then its manifest with the file's sha256 and versions.

    Both are written to temporary names and renamed, so a crash never leaves a
    model whose manifest describes another file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    joblib.dump(pipeline, tmp, compress=3)
    manifest = {**manifest, "model_file": path.name, "sha256": sha256_file(tmp),
                "versions": library_versions()}
    mtmp = manifest_path(path).with_name(manifest_path(path).name + ".tmp")
    mtmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    mtmp.replace(manifest_path(path))
    return manifest


def load_model(path: str | Path | None = None) -> LoadedModel:
    """Load a model after checking it against its manifest.

    Raises
    ------
    ModelError
        The file or its manifest is missing, the sha256 differs (the file was
        changed or replaced), or the installed library versions differ from the
        ones the model was trained with.
    """
    path = Path(path) if path is not None else DEFAULT_MODEL
    spath = str(path)
    if not path.is_file():
        raise ModelError("model file not found (train one with `disclosure train`)", path=spath)
    mpath = manifest_path(path)
    if not mpath.is_file():
        raise ModelError(f"manifest {mpath.name} not found beside the model", path=spath)
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"manifest is not readable JSON ({exc})", path=str(mpath)) from None
    digest = sha256_file(path)
    if digest != manifest.get("sha256"):
        raise ModelError(
            "sha256 does not match the manifest: the model file was changed or replaced; "
            "refusing to load it", path=spath)
    installed = library_versions()
    for name, parts in PINNED.items():
        want, have = manifest.get("versions", {}).get(name), installed.get(name)
        if _cut(want, parts) != _cut(have, parts):
            raise ModelError(
                f"model was trained with {name} {want}, but {have} is installed; "
                "retrain it with `disclosure train`", path=spath)
    pipeline = joblib.load(path)
    return LoadedModel(pipeline=pipeline, manifest=manifest, path=path)


def _cut(version: str | None, parts: int) -> tuple[str, ...] | None:
    return None if version is None else tuple(version.split(".")[:parts])
