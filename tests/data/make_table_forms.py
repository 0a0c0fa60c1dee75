"""Write the broken forms of real reports that converters produce (issue 16).

Run ``python tests/data/make_table_forms.py`` from the repository root. Each form is
made from a real report of ``tests/data/reports`` and has a ``.cells.json`` whose
cells are those read by hand off the original (``cells_of``), so the conversion may
lose no number:

* ``淮安市洪泽区人民政府_2023.pdftext.txt`` — the PDF's text layer in reading order
  (pdfplumber's ``extract_text``): row labels wrapped around their numbers, the
  vertical 「三、本年度办理结果」, page numbers 「- 3 -」 between rows.
* ``淮安市洪泽区人民政府_2023.pdfminer.txt`` — the text layer as pdfminer.six's
  ``extract_text`` (and its ``pdf2txt.py``) writes it, box by box: on each page first
  the row labels, then the numbers column by column, the 总计 column before 「其他」.
* ``河北省教育厅_2023.split.md`` — tables 三 and 四 as a PDF-to-Markdown converter
  writes them: applicant columns renamed 「数据1…数据6」, one small table per row
  group with its own ``|---|`` line and header, the group label in an extra column.
* ``河北省教育厅_2022.fragments.md`` — header cells broken over several rows
  (「商业企」/「业」), group labels split across cells (「（三）不」|「予公开」), a page
  number row 「— 4 —」 and a 「注：」 line inside table 三, table 四's 15 numbers in one
  row under a 6-column header.
* ``河北省教育厅_2023.columns.txt`` — table 三 as a text layer that orders the cells
  column by column: the 25 labels, then each column's 25 numbers.
* ``河北省教育厅_2021.headings.txt`` — the original text with the headings of sections
  二, 三 and 四 broken over two lines, as PDF text layers break them.
* ``河北省教育厅_2022.merged.txt`` — tables 三 and 四 as a text layer that lost the gap
  between two cells in a few rows, so their digits run together (「41 20 0 1 0 44」).

The text outside tables 三 and 四 is the original's. Only the table cells come from the
hand-read ``.cells.json`` (the numbers are the report's), with the standard's labels.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent
REPORTS = ROOT / "reports"
TABLES = ROOT / "tables"
OUT = TABLES  # where the forms are written (a test points it elsewhere and compares)

LABELS = [  # (group label, row label) of table 三, in the standard's order
    ("", "一、本年新收政府信息公开申请数量"), ("", "二、上年结转政府信息公开申请数量"),
    ("三、本年度办理结果", "（一）予以公开"),
    ("", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("（三）不予公开", "1.属于国家秘密"), ("", "2.其他法律行政法规禁止公开"),
    ("", "3.危及“三安全一稳定”"), ("", "4.保护第三方合法权益"), ("", "5.属于三类内部事务信息"),
    ("", "6.属于四类过程性信息"), ("", "7.属于行政执法案卷"), ("", "8.属于行政查询事项"),
    ("（四）无法提供", "1.本机关不掌握相关政府信息"), ("", "2.没有现成信息需要另行制作"),
    ("", "3.补正后申请内容仍不明确"),
    ("（五）不予处理", "1.信访举报投诉类申请"), ("", "2.重复申请"), ("", "3.要求提供公开出版物"),
    ("", "4.无正当理由大量反复申请"), ("", "5.要求行政机关确认或重新出具已获取信息"),
    ("（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("", "3.其他"), ("", "（七）总计"), ("", "四、结转下年度继续办理"),
]
GROUPS = [(0, 2), (2, 4), (4, 12), (12, 15), (15, 20), (20, 23), (23, 25)]
T4_HEAD = "行政复议、行政诉讼情况"


def _cells(case: str) -> dict:
    return json.loads((TABLES / f"{case}.cells.json").read_text(encoding="utf-8"))


def _rows(case: str) -> list[list[int]]:
    t3 = _cells(case)["table3"]
    return list(t3.values())


def _splice(case: str, tables: str) -> str:
    """The original text with everything from section 三's heading to 五's replaced."""
    text = (REPORTS / f"{case}.txt").read_text(encoding="utf-8")
    lo = text.index("三、收到和处理政府信息公开申请情况")
    hi = text.index("五、存在的主要问题")
    return text[:lo] + tables + "\n" + text[hi:]


def _md(rows: list[list[str]]) -> str:
    return "\n".join("| " + " | ".join(r) + " |" for r in rows)


def _sep(n: int) -> str:
    return "|" + "---|" * n


def split_md(case: str) -> str:
    rows = _rows(case)
    t4 = _cells(case)["table4"]
    head = ["项目", "", "数据1", "数据2", "数据3", "数据4", "数据5", "数据6", "总计"]
    parts = ["三、收到和处理政府信息公开申请情况", ""]
    for a, b in GROUPS:
        block = [head]
        for i in range(a, b):
            group, label = LABELS[i]
            block.append([group if i == a else "", label, *map(str, rows[i])])
        parts += [_md(block[:1]), _sep(len(head)), _md(block[1:]), ""]
    parts += ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "",
              _md([["行政复议", "", "", "", "", "行政诉讼"] + [""] * 9]), _sep(15),
              _md([["结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                    "未经复议直接起诉", "", "", "", "", "复议后起诉", "", "", "", ""],
                   ["", "", "", "", "", "结果维持", "结果纠正", "其他结果", "尚未审结", "总计",
                    "结果维持", "结果纠正", "其他结果", "尚未审结", "总计"],
                   list(map(str, t4))]), ""]
    return _splice(case, "\n".join(parts))


def fragments_md(case: str) -> str:
    rows = _rows(case)
    t4 = _cells(case)["table4"]
    head = [["（本列数据的勾稽关系为：第一项加第二", "", "申请人情况", "", "", "", "", "", ""],
            ["项之和，等于第三项加第四项之和）", "", "自然人", "法人或其他组织", "", "", "", "",
             "总计"],
            ["", "", "", "商业企", "科研机", "社会公", "法律服", "其他", ""],
            ["", "", "", "业", "构", "益组织", "务机构", "", ""]]
    body = []
    for i, (group, label) in enumerate(LABELS):
        g = [group[:4], group[4:]] if group else ["", ""]
        first = " | ".join(g) if group else ""
        cells = [first or "", label, *map(str, rows[i])]
        if i == 15:
            body.append(["— 4 —", "", "", "", "", "", "", "", ""])
        body.append(cells)
    table = _md(head[:1]) + "\n" + _sep(9) + "\n" + _md(head[1:] + body)
    parts = ["三、收到和处理政府信息公开申请情况", "", table,
             "注：本表数据统计期限为当年1月1日至12月31日。", "",
             "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "",
             _md([["行政复议", "行政诉讼", "结果维持", "结果纠正", "其他结果", "尚未审结"]]),
             _sep(6), _md([["总计", "未经复议直接起诉", "复议后起诉", "", "", ""]]),
             "| " + " | ".join(map(str, t4)) + " |", ""]
    return _splice(case, "\n".join(parts))


def columns_txt(case: str) -> str:
    rows = _rows(case)
    t4 = _cells(case)["table4"]
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况",
             "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    lines += [(g + " " if g else "") + label for g, label in LABELS]
    for c in range(7):
        lines.append(" ".join(str(rows[r][c]) for r in range(25)))
    lines += ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
              "行政复议 行政诉讼",
              "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
              "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
              " ".join(map(str, t4)), ""]
    return _splice(case, "\n".join(lines))


MERGES = {0: 1, 2: 1, 23: 1, 12: 0}  # table 三 row → the column whose digits join the next


def merged_txt(case: str) -> str:
    rows = _rows(case)
    t4 = [str(v) for v in _cells(case)["table4"]]
    lines = ["三、收到和处理政府信息公开申请情况", "申请人情况",
             "自然人 商业企业 科研机构 社会公益组织 法律服务机构 其他 总计"]
    for i, (group, label) in enumerate(LABELS):
        cells = [str(v) for v in rows[i]]
        if i in MERGES:
            c = MERGES[i]
            cells[c:c + 2] = [cells[c] + cells[c + 1]]
        lines.append(" ".join([*([group] if group else []), label, *cells]))
    t4[0:2] = [t4[0] + t4[1]]
    lines += ["四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
              "行政复议 行政诉讼",
              "结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉",
              "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计",
              " ".join(t4), ""]
    return _splice(case, "\n".join(lines))


def broken_headings(case: str) -> str:
    text = (REPORTS / f"{case}.txt").read_text(encoding="utf-8")
    for heading, cut in (("二、主动公开政府信息情况", 6),
                         ("三、收到和处理政府信息公开申请情况", 12),
                         ("四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", 18)):
        assert heading in text, heading
        text = text.replace(heading, heading[:cut] + "\n" + heading[cut:], 1)
    return text


def pdf_text(case: str) -> str:
    import pdfplumber

    with pdfplumber.open(REPORTS / f"{case}.pdf") as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages) + "\n"


def pdfminer_text(case: str) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(REPORTS / f"{case}.pdf"))


def write(name: str, text: str, of: str, form: str) -> None:
    """Write one form and its ``.cells.json`` (which points at the original's cells)."""
    (OUT / name).write_text(text, encoding="utf-8")
    original = _cells(of)
    spec = {"input": name, "cells_of": of, "source": original["source"], "form": form,
            "made_by": "tests/data/make_table_forms.py"}
    (OUT / (name.split(".")[0] + "." + name.split(".")[1] + ".cells.json")).write_text(
        json.dumps(spec, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def main() -> None:
    write("淮安市洪泽区人民政府_2023.pdftext.txt", pdf_text("淮安市洪泽区人民政府_2023"),
          "淮安市洪泽区人民政府_2023",
          "the PDF's text layer in reading order (pdfplumber extract_text)")
    write("淮安市洪泽区人民政府_2023.pdfminer.txt", pdfminer_text("淮安市洪泽区人民政府_2023"),
          "淮安市洪泽区人民政府_2023",
          "the PDF's text layer as pdfminer.six extract_text writes it (labels, then numbers "
          "column by column)")
    write("河北省教育厅_2023.split.md", split_md("河北省教育厅_2023"), "河北省教育厅_2023",
          "Markdown: 数据1…数据6 header, table 三 split per row group, an extra label column")
    write("河北省教育厅_2022.fragments.md", fragments_md("河北省教育厅_2022"), "河北省教育厅_2022",
          "Markdown: header cells broken over rows, split group labels, page number and 注 line "
          "inside the table, table 四 in one row under a 6-column header")
    write("河北省教育厅_2023.columns.txt", columns_txt("河北省教育厅_2023"), "河北省教育厅_2023",
          "text layer ordering table 三 column by column")
    write("河北省教育厅_2022.merged.txt", merged_txt("河北省教育厅_2022"), "河北省教育厅_2022",
          "text layer with two cells' digits run together in four rows of table 三 and in 四")
    write("河北省教育厅_2021.headings.txt", broken_headings("河北省教育厅_2021"),
          "河北省教育厅_2021",
          "text with the headings of sections 二, 三 and 四 broken over two lines")


if __name__ == "__main__":
    main()
