"""Shared fixtures: paths to the repository's data and a way to run the installed CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
REPORTS = DATA / "reports"
EXAMPLE = ROOT / "corpus" / "examples" / "example-report.txt"
PINGTAN = ROOT / "corpus" / "sources" / "pingtan"
# The corpus tools (near-duplicate detection) live in scripts/, not in the package.
sys.path.insert(0, str(ROOT / "scripts"))


def disclosure_command() -> list[str]:
    """The installed console script, or ``python -m nlp`` when it is not on PATH."""
    exe = Path(sys.executable).parent / "disclosure"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("disclosure")
    return [found] if found else [sys.executable, "-m", "nlp"]


@pytest.fixture
def run_cli():
    """Run ``disclosure ARGS`` in a subprocess and return the CompletedProcess."""

    def run(*args: str, input: bytes | None = None, cwd: Path | None = None):
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([*disclosure_command(), *map(str, args)], input=input,
                              capture_output=True, cwd=cwd or ROOT, env=env, timeout=300)

    return run


@pytest.fixture(scope="session")
def model():
    from nlp.classifier.model_file import load_model

    return load_model()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files of the demo instead of comparing")
