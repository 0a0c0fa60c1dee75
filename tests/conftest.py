"""Shared fixtures: paths to the repository's data and two ways to run the CLI.

``run_cli`` calls :func:`nlp.cli.main` in this process, with its own standard
streams and working folder: the same code path as the console script minus the
interpreter start and the model load, which a subprocess pays each time (about a
second). ``run_cli_process`` runs the installed console script for the few tests
that are about the real entry point (exit codes of the process, a terminal, pipes,
concurrent processes).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

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


def run_in_process(*args: str, input: bytes | None = None,
                   cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``disclosure ARGS`` through :func:`nlp.cli.main`, as a CompletedProcess with bytes."""
    from nlp.cli import main

    def stream(data: bytes = b"") -> io.TextIOWrapper:
        return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict",
                                newline=None if data else "", write_through=True)

    stdin, stdout, stderr = stream(input or b""), stream(), stream()
    argv = list(map(str, args))
    with contextlib.chdir(cwd or ROOT), contextlib.ExitStack() as stack:
        for name, value in (("stdin", stdin), ("stdout", stdout), ("stderr", stderr)):
            stack.enter_context(_swapped(sys, name, value))
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse: --help, --version, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    return subprocess.CompletedProcess(["disclosure", *argv], code,
                                       stdout.buffer.getvalue(), stderr.buffer.getvalue())


@contextlib.contextmanager
def _swapped(owner, name: str, value):
    old = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        value.flush()
        setattr(owner, name, old)


def run_in_subprocess(*args: str, input: bytes | None = None,
                      cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``disclosure ARGS`` as the installed console script, in a new process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([*disclosure_command(), *map(str, args)], input=input,
                          capture_output=True, cwd=cwd or ROOT, env=env, timeout=300)


@pytest.fixture
def run_cli():
    """Run ``disclosure ARGS`` in this process and return a CompletedProcess (bytes)."""
    return run_in_process


@pytest.fixture
def run_cli_process():
    """Run ``disclosure ARGS`` as a new process and return its CompletedProcess."""
    return run_in_subprocess


@pytest.fixture
def model_copy(tmp_path):
    """The shipped model and its manifest copied into ``tmp_path`` (a file that is not
    the pinned location, for tests that alter or move it)."""
    from nlp.classifier.model_file import default_model_path, manifest_path

    target = tmp_path / "domain_classifier.joblib"
    shutil.copy(default_model_path(), target)
    shutil.copy(manifest_path(default_model_path()), manifest_path(target))
    return target


@pytest.fixture(scope="session")
def model():
    from nlp.classifier.model_file import load_model

    return load_model()


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files of the demo instead of comparing")


# Property tests: a quick run in `make test`; `HYPOTHESIS_PROFILE=thorough make test` for
# the long one (tests that set their own max_examples keep it).
settings.register_profile("quick", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=1_000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "quick"))
