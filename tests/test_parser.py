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
from nlp.labels import canonical_domain
from nlp.readers.reports import Source
from nlp.report.parser import parse, parse_report

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


def _parse_text(text: str):
    return parse_report(Source(text, [], "case.txt", "text", "utf-8"))


def _issues(report, code: str) -> list[str]:
    return [i.message for i in report.issues if i.code == code]


# --- table 四 header text ---------------------------------------------------------------

def test_table4_header_misspelling_is_reported():
    text = (CASES / "synthetic_utf8.txt").read_text(encoding="utf-8")
    report = _parse_text(text.replace("\t未经复议直接起诉\t", "\t未经复议直接诉讼\t"))
    assert _issues(report, "header_text_deviates") == [
        "表四栏目「未经复议直接诉讼」与标准文字「未经复议直接起诉」不一致"]
    assert report.table4["review"]["upheld"] == 1  # the values are still read


def test_table4_wrapped_header_cells_are_compared_whole():
    # The example writes 「结果 维持」: a wrapped cell, equal to the standard once compacted.
    text = (CASES / "example-report.txt").read_text(encoding="utf-8")
    assert not any(m.startswith("表四") for m in
                   _issues(_parse_text(text), "header_text_deviates"))
    typo = text.replace("结果 维持\t结果 纠正\t其他 结果\t尚未 审结\t总计\t未经",
                        "结果 维护\t结果 纠正\t其他 结果\t尚未 审结\t总计\t未经", 1)
    assert "表四栏目「结果 维护」与标准文字「结果维持」不一致" in _issues(
        _parse_text(typo), "header_text_deviates")


def test_table4_sentence_before_the_table_is_not_a_header():
    text = (CASES / "synthetic_utf8.txt").read_text(encoding="utf-8")
    heading = "四、政府信息公开行政复议、行政诉讼情况\n"
    report = _parse_text(text.replace(heading, heading + "行政复议情况\t行政诉讼情况\n"))
    assert _issues(report, "header_text_deviates") == []


# --- domains and kinds of document ------------------------------------------------------

_HEAD = "青石县人民政府办公室 2024 年政府信息公开工作年度报告\n一、总体情况\n"


@pytest.mark.parametrize(("sentence", "domains"), [
    ("发布信息30条，其中救灾类10条，养老服务领域20条。", {"救灾": 10, "养老服务": 20}),
    ("发布信息30条，其中公共体育领域10条，卫生健康领域20条。", {"公共体育": 10, "卫生健康": 20}),
    ("发布信息30条，其中文件类10条，公示公告20条。", {}),
    ("发布信息30条，其中政策解读10条，社会救助领域20条。", {}),
    # A domain with the kind of its notices still counts for the domain.
    ("发布信息30条，其中社会救助类公示10条，安全生产类通知公告20条。",
     {"社会救助": 10, "安全生产": 20}),
])
def test_a_split_by_kind_of_document_is_not_a_domain_split(sentence, domains):
    report = _parse_text(_HEAD + sentence + "\n")
    assert report.total_published == 30
    assert report.domains == domains


def test_canonical_domain_keeps_lei_unless_a_domain_is_left():
    assert canonical_domain("文件类") == "文件类"
    assert canonical_domain("救灾类") == "救灾"
    assert canonical_domain("养老类") == "养老服务"
    assert canonical_domain("其他类") == "其他"
    assert canonical_domain("公共体育领域") == "公共体育"


# --- unit, fee and application phrasings ------------------------------------------------

@pytest.mark.parametrize(("body", "unit"), [
    ("依据《河北省实施办法》。\n一、总体情况\n2023年，省工业和信息化厅坚持公开。",
     "河北省工业和信息化厅"),
    # two provinces named: the name is kept as written rather than guessed
    ("依据《河北省实施办法》和《山西省办法》。\n一、总体情况\n2023年，省工业和信息化厅坚持公开。",
     "省工业和信息化厅"),
])
def test_unit_written_without_its_province(body, unit):
    assert _parse_text(body + "\n").unit == unit


@pytest.mark.parametrize(("sentence", "key", "value"), [
    ("2023年未向申请人收取政府信息公开信息处理费。", "fees_collected", False),
    ("2023年办理依申请公开文件数224件。", "applications_new", 224),
    ("全年制发厅规范性文件1件、废止1件。", "normative_documents_made", 1),
])
def test_narrative_phrasings_of_the_real_reports(sentence, key, value):
    assert _parse_text(_HEAD + sentence + "\n").narrative[key] == value
