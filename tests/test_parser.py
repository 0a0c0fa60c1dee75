"""Regression cases are data files: each ``tests/data/reports/<case>.<ext>`` is parsed and
compared with ``<case>.expected.json`` (hand-checked values; keys not listed are not compared).

Expected files may hold, besides keys of the ``disclosure.report/1`` JSON:
``format`` and ``encoding`` (compared with ``source``), ``issue_codes`` (the set of
``issues[].code``), ``quotes`` (cell path → a substring of the quoted sentence) and
``raises`` + ``message`` for inputs that must be refused with an :class:`InputError`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.errors import InputError
from nlp.parser import parse

CASES = Path(__file__).parent / "data" / "reports"


def _cases() -> list[tuple[Path, Path]]:
    out = []
    for expected in sorted(CASES.glob("*.expected.json")):
        stem = expected.name[: -len(".expected.json")]
        inputs = [p for p in CASES.glob(f"{stem}.*") if not p.name.endswith(".expected.json")]
        assert len(inputs) == 1, f"{expected.name}: expected one input file, found {inputs}"
        out.append((inputs[0], expected))
    return out


def _subset(expected, actual, where: str) -> None:
    """Every key of ``expected`` has the same value in ``actual`` (dicts compared key by key)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        for key, value in expected.items():
            assert key in actual, f"{where}.{key} missing"
            _subset(value, actual[key], f"{where}.{key}")
    else:
        assert actual == expected, f"{where}: expected {expected!r}, got {actual!r}"


@pytest.mark.parametrize(("path", "expected_path"), _cases(), ids=lambda p: p.name)
def test_report_case(path: Path, expected_path: Path) -> None:
    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    if "raises" in expected:
        with pytest.raises(InputError) as err:
            parse(path)
        assert expected["message"] in str(err.value)
        assert err.value.path == str(path)
        return
    report = parse(path)
    data = report.to_dict()
    for key in ("format", "encoding"):
        if key in expected:
            assert data["source"][key] == expected.pop(key)
    codes = expected.pop("issue_codes", None)
    if codes is not None:
        assert sorted({i["code"] for i in data["issues"]}) == sorted(codes), data["issues"]
    for cell, fragment in expected.pop("quotes", {}).items():
        assert fragment in report.quotes[cell], (cell, report.quotes.get(cell))
    _subset(expected, data, "report")


def test_every_fixture_has_expectations() -> None:
    inputs = {p.name.split(".")[0] for p in CASES.iterdir()
              if p.suffix in (".txt", ".pdf", ".html", ".md", ".docx") and p.name != "SOURCES.md"}
    stems = {p.name[: -len(".expected.json")] for p in CASES.glob("*.expected.json")}
    assert inputs <= stems, inputs - stems


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such report file"):
        parse(tmp_path / "nope.txt")


def test_empty_file_is_an_input_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        parse(empty)


def test_damaged_pdf_and_docx_are_input_errors(tmp_path: Path) -> None:
    for name, data in (("bad.pdf", b"%PDF-1.4\nthis is not a pdf"),
                       ("bad.docx", b"PK\x03\x04 not a zip")):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(InputError):
            parse(path)


def test_quotes_point_at_the_source_sentences() -> None:
    report = parse(CASES / "example-report.txt")
    assert "发布信息 74 条" in report.quotes["declared.total_published"]
    assert "新收到的政府信息公开申请数量为 0" in report.quotes["narrative.applications_new"]
    assert report.quotes["table3.new_received.total"].startswith("一、本年新收")
    assert "未收取" in report.quotes["narrative.fees_collected"]
