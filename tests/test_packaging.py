"""The package stands on its own: what the wheel carries, the pins the model needs, and a
layout whose imports run one way (read → parse/classify → reconcile → check → render)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomllib
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from nlp.classifier.model_file import PINNED

from .conftest import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
MANIFEST = json.loads((ROOT / "models" / "domain_classifier.json").read_text(encoding="utf-8"))

# Each module's layer; a module may import only from its own layer or lower ones.
LAYERS = {
    "nlp.errors": 0, "nlp.labels": 0, "nlp.text": 0, "nlp.data": 0, "nlp.files": 0,
    "nlp.readers": 1,
    "nlp.report": 2, "nlp.classifier": 2,
    "nlp.reconcile": 3,
    "nlp.consistency": 4,
    "nlp.render": 5,
    "nlp.batching": 6,
    # the front ends: the library API, the command line, the web app
    "nlp.cli": 7, "nlp.__main__": 7, "nlp": 7, "nlp.serve": 7,
}


def _layer(module: str) -> int:
    """The layer of ``module``; every module of nlp/ must fall under an entry of LAYERS
    other than the package itself, so a new module is placed on purpose."""
    key = module
    while key not in LAYERS:
        key = key.rpartition(".")[0]
    assert key != "nlp" or module == "nlp", f"{module} has no layer in LAYERS"
    return LAYERS[key]


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "nlp" or m.startswith("nlp.")}


def test_imports_never_run_back_up_the_data_flow():
    upward = []
    for path in sorted((ROOT / "nlp").rglob("*.py")):
        name = _module_name(path)
        for target in _imports(path):
            if target != name and _layer(target) > _layer(name):
                upward.append(f"{name} imports {target}")
    assert not upward, upward


def test_pyproject_lists_every_package_folder():
    folders = {_module_name(p.parent / "__init__.py") for p in (ROOT / "nlp").rglob("__init__.py")}
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    assert listed == folders | {"nlp.models"}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"]["nlp.models"] == "models"


@pytest.mark.parametrize("name", sorted(PINNED))
def test_pins_admit_only_versions_the_model_loads_with(name):
    """pyproject's range for each pinned library holds the version the shipped model was
    trained with, and admits no version that :func:`load_model` would refuse."""
    spec = next(SpecifierSet(d[len(name):].split(";")[0])
                for d in PYPROJECT["project"]["dependencies"]
                if d.startswith(name) and d[len(name)] in "<>=!~")
    trained = Version(MANIFEST["versions"][name])
    assert trained in spec
    parts = PINNED[name]
    prefix = trained.release[:parts]
    # The next version outside the accepted prefix must be out of range, on both sides.
    above = Version(".".join(map(str, (*prefix[:-1], prefix[-1] + 1))))
    assert above not in spec, f"{name} {spec} admits {above}, which load_model refuses"
    if prefix[-1] > 0:
        below = Version(".".join(map(str, (*prefix[:-1], prefix[-1] - 1, 99))))
        assert below not in spec, f"{name} {spec} admits {below}, which load_model refuses"


def test_the_installed_package_finds_its_model_outside_the_checkout(tmp_path):
    """A non-editable install carries the model: classify from another folder works."""
    target = tmp_path / "site"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-compile",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, timeout=600)
    if build.returncode and "network" in (build.stderr or "").lower():
        pytest.skip("no package registry to fetch the build backend from")
    assert build.returncode == 0, build.stderr[-2000:]
    assert (target / "nlp" / "models" / "domain_classifier.joblib").is_file()
    (tmp_path / "list.txt").write_text("红旗路街道开展防汛应急演练\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONIOENCODING": "utf-8"}
    env.pop("DISCLOSURE_MODEL", None)
    code = ("import nlp, sys; from nlp.classifier.model_file import default_model_path; "
            "print(nlp.__file__); print(default_model_path()); "
            "sys.argv = ['disclosure', 'classify', 'list.txt']; from nlp.cli import main; "
            "raise SystemExit(main())")
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    package_file, model_path, *rows = run.stdout.splitlines()
    assert Path(package_file).is_relative_to(target)
    assert Path(model_path).is_relative_to(target / "nlp" / "models")
    assert rows[1].startswith("红旗路街道开展防汛应急演练,救灾,")


def test_training_defaults_need_a_checkout(monkeypatch):
    """Installed without a checkout, ``train`` asks for its corpus instead of guessing."""
    from nlp.classifier import model_file, training
    from nlp.errors import InputError

    monkeypatch.setattr(training, "checkout_root", lambda: None)
    with pytest.raises(InputError, match="no corpus given"):
        training.load_corpus(None)
    with pytest.raises(InputError, match="give the output path"):
        training._output_path(None)
    assert model_file.checkout_root() == ROOT


def test_model_path_from_the_environment(monkeypatch, tmp_path):
    from nlp.classifier.model_file import default_model_path, load_model
    from nlp.errors import ModelError

    monkeypatch.setenv("DISCLOSURE_MODEL", str(tmp_path / "m.joblib"))
    assert default_model_path() == tmp_path / "m.joblib"
    with pytest.raises(ModelError, match="model file not found"):
        load_model()


def test_readme_layout_names_every_folder_and_module_of_nlp():
    """The README's layout section is the newcomer's map: each package folder of nlp/ and
    each module in it is named there, so a moved or new module updates the map too."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    layout = layout[:layout.find("\n## ", 1) if "\n## " in layout[1:] else len(layout)]
    missing = []
    for init in sorted((ROOT / "nlp").rglob("__init__.py")):
        folder = init.parent
        if folder != ROOT / "nlp":
            label = f"nlp/{folder.relative_to(ROOT / 'nlp').as_posix()}/"
            if label not in layout:
                missing.append(label)
        for module in sorted(folder.glob("*.py")):
            if module.name != "__init__.py" and module.stem not in layout:
                missing.append(module.relative_to(ROOT).as_posix())
    assert not missing, missing
