"""The model file: saving a fitted pipeline with its manifest, and loading it safely.

A joblib file is a pickle, and loading a pickle runs code. :func:`load_model`
therefore loads without asking only the model whose sha256 is pinned in
:mod:`nlp.classifier.shipped`; any other file is loaded only when the caller says
it trusts it (``trust=True``, the CLI's ``--trust-model``). Either way it refuses a
file whose sha256 differs from its manifest, or that was trained with other
library versions than the ones installed.

This module imports neither scikit-learn nor the pipeline's classes: the
pipeline is unpickled on first use of :attr:`LoadedModel.pipeline`. Importing
scikit-learn takes half a second, and a process that only hands titles to
workers (:mod:`nlp.classifier.predictor`) never needs it.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import platform
from dataclasses import dataclass, field
from importlib import metadata, resources
from pathlib import Path
from typing import Any

from nlp.classifier import shipped
from nlp.errors import ModelError

MODEL_NAME = "domain_classifier.joblib"
#: Environment variable naming the model file to use instead of the shipped one.
MODEL_ENV = "DISCLOSURE_MODEL"
# Libraries whose version must match for a pickled model to be trusted: (name, parts compared).
PINNED = {"scikit-learn": 2, "numpy": 1, "scipy": 1, "joblib": 1}
RECORDED = ("scikit-learn", "numpy", "scipy", "joblib", "jieba", "rjieba", "pandas")


@dataclass
class LoadedModel:
    """A checked model file and its manifest; the pipeline is unpickled on first use."""

    path: Path
    manifest: dict[str, Any]
    _data: bytes | None = field(default=None, repr=False)  # the checked bytes, until unpickled
    _pipeline: Any = field(default=None, repr=False)

    @property
    def pipeline(self):
        """The fitted :class:`~sklearn.pipeline.Pipeline`, unpickled from the very bytes
        :func:`load_model` hashed (the file is not read again)."""
        if self._pipeline is None:
            import joblib

            pipeline = joblib.load(io.BytesIO(self._data))
            if [str(c) for c in pipeline.classes_] != self.labels:
                raise ModelError("the model's labels differ from its manifest's",
                                 path=str(self.path))
            self._pipeline, self._data = pipeline, None
        return self._pipeline

    @property
    def labels(self) -> list[str]:
        """The model's labels in the order of its probability columns."""
        return list(self.manifest["labels"])

    @property
    def review_threshold(self) -> float:
        return float(self.manifest["review"]["confidence_threshold"])

    @property
    def review_margin(self) -> float:
        return float(self.manifest["review"]["margin"])

    @property
    def error_model(self):
        """The model's error on sites it never saw (:class:`~nlp.classifier.error_model
        .ErrorModel`), or ``None`` for a model trained before it was measured."""
        data = self.manifest.get("out_of_source", {}).get("error_model")
        if data is None:
            return None
        from nlp.classifier.error_model import ErrorModel

        return ErrorModel.from_dict(data)


def checkout_root() -> Path | None:
    """The project checkout this package runs from, or ``None`` when it is installed.

    A checkout (a clone, an editable install) has ``pyproject.toml`` beside the
    package; there, the model lives in ``models/`` and the corpus in ``corpus/``.
    """
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() and (root / "nlp").is_dir() else None


def default_model_path() -> Path:
    """Where :func:`load_model` looks when it is given no path.

    In this order: the file named by ``$DISCLOSURE_MODEL``; the checkout's
    ``models/`` when the package runs from one; the model shipped inside the
    installed package (``nlp/models/``, from the same ``models/`` folder at build
    time).
    """
    if os.environ.get(MODEL_ENV):
        return Path(os.environ[MODEL_ENV])
    root = checkout_root()
    if root is not None and (root / "models" / MODEL_NAME).is_file():
        return root / "models" / MODEL_NAME
    try:
        return Path(str(resources.files("nlp.models").joinpath(MODEL_NAME)))
    except ModuleNotFoundError:  # a source tree without models/ and without the wheel's copy
        return (root or Path.cwd()) / "models" / MODEL_NAME


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
    return hashlib.sha256(_read(path)).hexdigest()


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read the model file ({exc.strerror})", path=str(path)) from None


def pin_shipped(sha256: str, module: Path | None = None) -> None:
    """Rewrite :mod:`nlp.classifier.shipped` so that ``sha256`` is the pinned model.

    Called by training when it writes the checkout's ``models/``; the module is
    written to a temporary name and renamed, and the running process sees the new pin.
    """
    module = Path(module) if module is not None else Path(shipped.__file__)
    text = module.read_text(encoding="utf-8")
    head, sep, _ = text.partition("SHA256 = ")
    if not sep:
        raise ValueError(f"{module} has no SHA256 line to rewrite")
    tmp = module.with_name(module.name + ".tmp")
    tmp.write_text(f'{head}SHA256 = "{sha256}"\n', encoding="utf-8")
    tmp.replace(module)
    if module.resolve() == Path(shipped.__file__).resolve():
        shipped.SHA256 = sha256


def manifest_path(model_path: Path) -> Path:
    return model_path.with_suffix(".json")


def save_model(pipeline, path: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Write the joblib file, then its manifest with the file's sha256 and versions.

    Both are written to temporary names and renamed, so a crash never leaves a
    model whose manifest describes another file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    import joblib

    tmp = path.with_name(path.name + ".tmp")
    joblib.dump(pipeline, tmp, compress=3)
    manifest = {**manifest, "model_file": path.name, "sha256": sha256_file(tmp),
                "versions": library_versions()}
    mtmp = manifest_path(path).with_name(manifest_path(path).name + ".tmp")
    mtmp.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)
    mtmp.replace(manifest_path(path))
    return manifest


TRUST_HINT = ("a joblib file is a pickle and runs code when loaded: load it only if you "
              "trust whoever made it, with --trust-model (trust=True in Python)")


def load_model(path: str | Path | None = None, *, trust: bool = False) -> LoadedModel:
    """Load a model after checking it against its manifest and the pinned sha256.

    Parameters
    ----------
    path : path, optional
        The model file (default: :func:`default_model_path`).
    trust : bool, default=False
        Load a model other than the shipped one (its sha256 differs from
        :data:`nlp.classifier.shipped.SHA256`). Unpickling it runs any code it holds.

    Raises
    ------
    ModelError
        The file or its manifest is missing, the model is not the shipped one and
        ``trust`` is false, the sha256 differs from the manifest (the file was
        changed or replaced), or the installed library versions differ from the
        ones the model was trained with.
    """
    path = Path(path) if path is not None else default_model_path()
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
    data = _read(path)
    digest = hashlib.sha256(data).hexdigest()
    if digest != shipped.SHA256 and not trust:
        raise ModelError(f"not the model shipped with this package (sha256 {digest[:12]}…); "
                         + TRUST_HINT, path=spath)
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
    return LoadedModel(path=path, manifest=manifest, _data=data)


def _cut(version: str | None, parts: int) -> tuple[str, ...] | None:
    return None if version is None else tuple(version.split(".")[:parts])
