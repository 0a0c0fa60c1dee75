"""The synthetic report fixtures are generated: the committed files must be what
``tests/data/make_fixtures.py`` writes, so a change to one cannot silently leave the other."""

from __future__ import annotations

import importlib.util

from .conftest import DATA

BINARY = {".docx", ".pdf"}  # zip and PDF writers stamp dates; their expectations are compared


def test_committed_fixtures_match_the_generator(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setattr(module, "OUT", tmp_path)
    for name in ("make_text_forms", "make_awkward_table", "make_html", "make_markdown",
                 "make_docx", "make_scanned_pdf"):
        getattr(module, name)()
    written = sorted(p for p in tmp_path.iterdir() if p.suffix not in BINARY)
    assert written
    for path in written:
        committed = DATA / "reports" / path.name
        assert committed.exists(), path.name
        assert committed.read_bytes() == path.read_bytes(), path.name
