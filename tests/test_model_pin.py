"""The shipped model's sha256 pinned in code (nlp/classifier/shipped.py): how training
rewrites the pin, and what load_model does with a file whose bytes are not the pinned ones."""

from __future__ import annotations

import ast
import json

import pytest

from nlp.classifier import shipped
from nlp.classifier.model_file import (
    load_model,
    manifest_path,
    pin_shipped,
    sha256_file,
)
from nlp.classifier.training import is_shipped_location
from nlp.errors import ModelError

from .conftest import ROOT


def _pinned(module) -> str:
    """The SHA256 a module file assigns, read as Python (not by a regex)."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    [value] = [n.value.value for n in tree.body if isinstance(n, ast.Assign)
               and [t.id for t in n.targets] == ["SHA256"]]
    return value


def test_the_pin_the_manifest_and_the_file_agree():
    model = ROOT / "models" / "domain_classifier.joblib"
    manifest = json.loads(manifest_path(model).read_text(encoding="utf-8"))
    assert shipped.SHA256 == manifest["sha256"] == sha256_file(model)
    assert _pinned(ROOT / "nlp" / "classifier" / "shipped.py") == shipped.SHA256


def test_pin_shipped_rewrites_only_the_sha256_line(tmp_path):
    module = tmp_path / "shipped.py"
    original = (ROOT / "nlp" / "classifier" / "shipped.py").read_text(encoding="utf-8")
    module.write_text(original, encoding="utf-8")
    new = "ab" * 32
    pin_shipped(new, module)
    text = module.read_text(encoding="utf-8")
    assert _pinned(module) == new
    assert text.partition("SHA256 = ")[0] == original.partition("SHA256 = ")[0]  # docstring kept
    assert [p.name for p in tmp_path.iterdir()] == ["shipped.py"]  # no temporary left
    assert new != shipped.SHA256  # another file: the running pin is not touched


def test_pin_shipped_refuses_a_module_without_a_pin(tmp_path):
    module = tmp_path / "shipped.py"
    module.write_text('"""No pin here."""\n', encoding="utf-8")
    with pytest.raises(ValueError, match="no SHA256 line"):
        pin_shipped("ab" * 32, module)
    assert module.read_text(encoding="utf-8") == '"""No pin here."""\n'


def test_training_pins_only_when_it_writes_the_checkouts_model(tmp_path):
    assert is_shipped_location(ROOT / "models" / "domain_classifier.joblib")
    assert not is_shipped_location(tmp_path / "domain_classifier.joblib")
    assert not is_shipped_location(ROOT / "models" / "other.joblib")


def test_a_file_that_is_not_the_pinned_one_needs_trust(model_copy, monkeypatch):
    """Its manifest agrees with it (as a replaced model's would), but the pin does not."""
    monkeypatch.setattr(shipped, "SHA256", "0" * 64)
    with pytest.raises(ModelError, match="not the model shipped") as refused:
        load_model(model_copy)
    digest = sha256_file(model_copy)
    assert digest[:12] in str(refused.value) and "--trust-model" in str(refused.value)
    assert str(model_copy) in str(refused.value)
    assert load_model(model_copy, trust=True).labels


def test_trust_does_not_skip_the_manifest(model_copy):
    model_copy.write_bytes(model_copy.read_bytes() + b"\0")
    with pytest.raises(ModelError, match="not the model shipped"):
        load_model(model_copy)
    with pytest.raises(ModelError, match="does not match the manifest"):
        load_model(model_copy, trust=True)


def test_the_pin_is_checked_before_anything_is_unpickled(model_copy):
    """A hostile pickle whose manifest matches it is refused before joblib sees it."""
    model_copy.write_bytes(b"cos\nsystem\n(S'echo pwned'\ntR.")  # a classic pickle payload
    manifest = json.loads(manifest_path(model_copy).read_text(encoding="utf-8"))
    manifest["sha256"] = sha256_file(model_copy)
    manifest_path(model_copy).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelError, match="pickle"):
        load_model(model_copy)
