"""The report reader: formats, encodings, grids and refusals, on real and generated files."""

from __future__ import annotations

from pathlib import Path

import pytest

from nlp.errors import InputError
from nlp.readers.reports import html_to_text, markdown_to_text, read_report

CASES = Path(__file__).parent / "data" / "reports"


@pytest.mark.parametrize(("name", "fmt", "encoding"), [
    ("synthetic_utf8.txt", "text", "utf-8"),
    ("synthetic_gbk.txt", "text", "gbk"),
    ("synthetic_utf16.txt", "text", "utf-16"),
    ("site_page.html", "html", "utf-8"),
    ("markdown_report.md", "markdown", "utf-8"),
    ("word_report.docx", "docx", None),
    ("淮安市洪泽区人民政府_2023.pdf", "pdf", None),
])
def test_format_and_encoding(name: str, fmt: str, encoding: str | None) -> None:
    source = read_report(CASES / name)
    assert (source.format, source.encoding) == (fmt, encoding)
    assert "收到和处理政府信息公开申请情况" in source.text


def test_format_is_sniffed_when_the_extension_says_nothing(tmp_path: Path) -> None:
    for name, fmt in (("site_page.html", "html"), ("markdown_report.md", "markdown"),
                      ("word_report.docx", "docx"), ("淮安市洪泽区人民政府_2023.pdf", "pdf")):
        target = tmp_path / "report.dat"
        target.write_bytes((CASES / name).read_bytes())
        assert read_report(target).format == fmt


def test_html_drops_chrome_expands_spans_and_joins_split_numbers() -> None:
    source = read_report(CASES / "site_page.html")
    assert "门户网站" not in source.text and "首页" not in source.text
    assert "版权所有" not in source.text and "var menu" not in source.text
    t3 = next(t for t in source.tables if any("予以公开" in (c or "") for r in t for c in r))
    widths = {len(r) for r in t3}
    assert widths == {10}, widths  # rowspan/colspan expanded into a rectangle
    row = next(r for r in t3 if "（一）予以公开" in r)
    assert row[0] == "三、本年度办理结果" and row[3:] == ["3", "1", "0", "0", "1", "0", "5"]
    denied = next(r for r in t3 if "1.属于国家秘密" in r)
    assert denied[:2] == ["三、本年度办理结果", "（三）不予公开"]
    licensing = next(r for t in source.tables for r in t if r[0] == "行政许可")
    assert licensing[1] == "120"  # <span>1</span><span>2</span><span>0</span>


def test_html_rowspan_and_colspan_grid() -> None:
    markup = ("<table><tr><td rowspan='2'>A</td><td colspan='2'>B</td></tr>"
              "<tr><td>1</td><td>&nbsp;</td></tr></table>")
    text, tables = html_to_text(markup)
    assert tables == [[["A", "B", "B"], ["A", "1", ""]]]
    assert "A\t1" in text


def test_markdown_pipe_tables_become_tab_lines() -> None:
    markdown = "标题\n\n| 信息内容 | 本年处理决定数量 |\n|---|---|\n| 行政许可 | 5 |\n"
    text, tables = markdown_to_text(markdown)
    assert tables == [[["信息内容", "本年处理决定数量"], ["行政许可", "5"]]]
    assert "行政许可\t5" in text


def test_docx_tables_are_grids_with_merged_cells_resolved() -> None:
    source = read_report(CASES / "word_report.docx")
    t3 = next(t for t in source.tables if any("予以公开" in (c or "") for r in t for c in r))
    group = [r[0] for r in t3 if r[1] and r[1].startswith(("（", "1.", "2.", "3.", "4.", "5.",
                                                          "6.", "7.", "8."))]
    assert group and all(g == "三、本年度办理结果" for g in group)


def test_pdf_tables_are_rebuilt_in_reading_order() -> None:
    source = read_report(CASES / "淮安市洪泽区人民政府_2023.pdf")
    lines = source.text.split("\n")
    t4 = lines.index(next(line for line in lines if line.startswith("10\t1\t0")))
    assert "\t".join(["10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0"]) \
        == lines[t4]
    assert lines.index("六、其他需要报告的事项") > t4
    assert not any(line.strip() == "- 3 -" for line in lines)  # page numbers dropped


def test_scanned_pdf_is_refused() -> None:
    with pytest.raises(InputError, match="no text layer"):
        read_report(CASES / "scanned.pdf")


def test_old_word_doc_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "report.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0 old word")
    with pytest.raises(InputError, match=r"\.docx"):
        read_report(doc)


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_report(tmp_path)
