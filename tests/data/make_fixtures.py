"""Write the synthetic report fixtures in every input form, with their expected values.

Run ``python tests/data/make_fixtures.py`` from the repository root. The figures are
set by hand below (they satisfy every 勾稽 relation); each form renders the same
report, so each ``<case>.expected.json`` states the same hand-set values plus what
is special to that form. The real reports in ``tests/data/reports`` are not made here
(see ``tests/data/reports/SOURCES.md``).
"""

from __future__ import annotations

import json
from pathlib import Path

OUT = Path(__file__).parent / "reports"

UNIT = "青石县人民政府办公室"
YEAR = 2024
DOMAINS = {"公共文化服务": 20, "安全生产": 16, "救灾": 30, "社会救助": 10, "就业创业": 8,
           "养老服务": 12}
TOTAL = 96
T2 = {"regulations": {"made": 0, "repealed": 0, "in_force": 0},
      "normative_documents": {"made": 2, "repealed": 1, "in_force": 15},
      "licensing": 120, "punishment": 36, "coercion": 4, "fees_wan_yuan": 12.5}
T3_ROWS = [
    ("new_received", "一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 1, 0, 7]),
    ("carried_over", "二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("granted", "（一）予以公开", [3, 1, 0, 0, 1, 0, 5]),
    ("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
     [1, 0, 0, 0, 0, 0, 1]),
    ("denied_state_secret", "1.属于国家秘密", [0] * 7),
    ("denied_law_forbidden", "2.其他法律行政法规禁止公开", [0] * 7),
    ("denied_security_stability", "3.危及“三安全一稳定”", [0] * 7),
    ("denied_third_party", "4.保护第三方合法权益", [0] * 7),
    ("denied_internal_affairs", "5.属于三类内部事务信息", [0] * 7),
    ("denied_process_info", "6.属于四类过程性信息", [0] * 7),
    ("denied_enforcement_file", "7.属于行政执法案卷", [0] * 7),
    ("denied_admin_query", "8.属于行政查询事项", [0] * 7),
    ("unable_not_held", "1.本机关不掌握相关政府信息", [2, 0, 0, 0, 0, 0, 2]),
    ("unable_needs_creation", "2.没有现成信息需要另行制作", [0] * 7),
    ("unable_unclear", "3.补正后申请内容仍不明确", [0] * 7),
    ("rejected_petition", "1.信访举报投诉类申请", [0] * 7),
    ("rejected_repeat", "2.重复申请", [0] * 7),
    ("rejected_publication", "3.要求提供公开出版物", [0] * 7),
    ("rejected_excessive", "4.无正当理由大量反复申请", [0] * 7),
    ("rejected_confirmation", "5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    ("other_overdue_correction",
     "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("other_overdue_fee",
     "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", [0] * 7),
    ("other_other", "3.其他", [0] * 7),
    ("processed_total", "（七）总计", [6, 1, 0, 0, 1, 0, 8]),
    ("carried_forward", "四、结转下年度继续办理", [0] * 7),
]
COLUMNS = ["natural_person", "commercial", "research", "social_welfare", "legal_service",
           "other_org", "total"]
T4 = [1, 0, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0]
NARRATIVE = {"applications_new": 7, "applications_carried_over": 1, "applications_closed": 8,
             "applications_carried_forward": 0, "fees_collected": False}

GROUP_OF = {"granted": "三、本年度办理结果", "denied_state_secret": "（三）不予公开",
            "unable_not_held": "（四）无法提供", "rejected_petition": "（五）不予处理",
            "other_overdue_correction": "（六）其他处理"}

HEAD = f"{UNIT} {YEAR} 年政府信息公开工作年度报告"
PREAMBLE = f"本报告中所列数据统计期限为{YEAR}年1月1日至12月31日。"
S1 = ("一、总体情况",
      f"（一）主动公开情况。本机关{YEAR}年度在县政府网站发布信息{{total}}条，其中公共文化服务领域{{d0}}条，"
      "安全生产领域{d1}条，救灾领域{d2}条，社会救助领域{d3}条，就业创业领域{d4}条，养老服务领域{d5}条。",
      f"（二）依申请公开情况。{YEAR}年度新收到的政府信息公开申请数量为{{n0}}，上年度结转数量为{{n1}}，"
      "办结数量为{n2}，转下一年度办理数量为{n3}。",
      "（三）政府信息管理情况。严格落实信息发布审核制度。",
      "（四）平台建设情况。持续优化政府网站政务公开专栏。",
      "（五）监督保障情况。将政务公开纳入年度考核。")
S5 = ("五、存在的主要问题及改进情况",
      "存在的问题是公开内容还不够丰富。下一步将加强培训，提升公开质量。")
S6 = ("六、其他需要报告的事项", "本年度，本机关未收取信息处理费。")


def expected_tables() -> dict:
    t3 = {key: dict(zip(COLUMNS, values, strict=True)) for key, _, values in T3_ROWS}
    groups = ["review", "litigation_direct", "litigation_after_review"]
    cols = ["upheld", "corrected", "other", "pending", "total"]
    t4 = {g: dict(zip(cols, T4[i * 5:(i + 1) * 5], strict=True)) for i, g in enumerate(groups)}
    return {"table2": T2, "table3": t3, "table4": t4}


def expected(**extra) -> dict:
    out = {"unit": UNIT, "year": YEAR, "format_version": "2021",
           "sections_found": ["一", "二", "三", "四", "五", "六"],
           "declared": {"total_published": TOTAL, "domains": DOMAINS, "total_mentions": []},
           "narrative": {**NARRATIVE, "period_year": YEAR},
           **expected_tables(), "issue_codes": []}
    out.update(extra)
    return out


def narrative_lines(num=str) -> list[str]:
    d = list(DOMAINS.values())
    n = [NARRATIVE[k] for k in ("applications_new", "applications_carried_over",
                                "applications_closed", "applications_carried_forward")]
    fields = {"total": num(TOTAL), **{f"d{i}": num(v) for i, v in enumerate(d)},
              **{f"n{i}": num(v) for i, v in enumerate(n)}}
    return [line.format(**fields) for line in S1]


def table_rows(num=str) -> dict[str, list[list[str]]]:
    """The three tables as rows of cells, the layout of the standard's annex."""
    t2 = [["第二十条第（一）项"], ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
          ["规章", *map(num, T2["regulations"].values())],
          ["行政规范性文件", *map(num, T2["normative_documents"].values())],
          ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"],
          ["行政许可", num(T2["licensing"])],
          ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"],
          ["行政处罚", num(T2["punishment"])],
          ["行政强制", num(T2["coercion"])],
          ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"],
          ["行政事业性收费", num(T2["fees_wan_yuan"])]]
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    t3 = [[note, "", "申请人情况"],
          ["", "", "自然人", "法人或其他组织", "", "", "", "", "总计"],
          ["", "", "", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", ""]]
    for key, label, values in T3_ROWS:
        t3.append([GROUP_OF.get(key, ""), label, *map(num, values)])
    t4 = [["行政复议", "", "", "", "", "行政诉讼"],
          ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉",
           "复议后起诉"],
          ["", "", "", "", "", *(["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2)],
          list(map(num, T4))]
    return {"二": t2, "三": t3, "四": t4}


def text_report(num=str, *, drop_section: str | None = None, table3_rows=None) -> str:
    tables = table_rows(num)
    if table3_rows is not None:
        tables["三"] = table3_rows
    parts = [HEAD, PREAMBLE, "", *narrative_lines(num), ""]
    for numeral, title in (("二", "二、主动公开政府信息情况"),
                           ("三", "三、收到和处理政府信息公开申请情况"),
                           ("四", "四、政府信息公开行政复议、行政诉讼情况")):
        parts += [title, *("\t".join(r) for r in tables[numeral]), ""]
    for section in (S5, S6):
        if drop_section and section[0].startswith(drop_section):
            continue
        parts += [*section, ""]
    return "\n".join(parts)


_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")
_CN = {0: "零", 1: "一", 2: "二", 4: "四", 6: "六", 7: "七", 8: "八", 10: "十", 12: "十二",
       16: "十六", 20: "二十", 30: "三十", 96: "九十六"}


def write(name: str, data: str | bytes, exp: dict) -> None:
    path = OUT / name
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    stem = name.rsplit(".", 1)[0]
    (OUT / f"{stem}.expected.json").write_text(
        json.dumps(exp, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_text_forms() -> None:
    base = text_report()
    write("synthetic_utf8.txt", base, expected(encoding="utf-8", format="text"))
    path = OUT / "synthetic_gbk.txt"
    path.write_bytes(base.encode("gbk"))
    (OUT / "synthetic_gbk.expected.json").write_text(json.dumps(
        expected(encoding="gbk", format="text"), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    path = OUT / "synthetic_utf16.txt"
    path.write_bytes(base.encode("utf-16"))
    (OUT / "synthetic_utf16.expected.json").write_text(json.dumps(
        expected(encoding="utf-16", format="text"), ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8")
    # Full-width digits in the tables, Chinese numerals in the narrative.
    tables = text_report(lambda v: str(v).translate(_FULLWIDTH))
    lines = narrative_lines(lambda v: _CN[v])
    start = tables.index(S1[0])
    end = tables.index("二、主动公开政府信息情况")
    write("fullwidth_cn_numerals.txt", tables[:start] + "\n".join(lines) + "\n\n" + tables[end:],
          expected())
    # Missing section 五.
    write("missing_section.txt", text_report(drop_section="五"),
          expected(sections_found=["一", "二", "三", "四", "六"], issue_codes=["section_missing"]))


def make_awkward_table() -> None:
    """Table 三 as extraction leaves it: a label over two lines, shifted cells, blanks."""
    rows = table_rows()["三"]
    out = []
    for row in rows:
        label = row[1] if len(row) > 1 else ""
        if label.startswith("（二）部分公开"):
            # The label wraps; the numbers follow on the continuation line.
            out += ["\t（二）部分公开（区分处理的，只计这一",
                    "情形，不计其他情形）\t" + "\t".join(row[2:])]
        elif label == "3.其他":
            out.append("3.其他\t\t" + "\t".join(row[2:]) + "\t")  # rowspan shifts it left
        elif label.startswith("2.重复申请"):
            out.append("\t2.重复申请\t0\t—\t0\t\t0\t0\t0")  # two blank cells
        else:
            out.append("\t".join(row))
    text = text_report(table3_rows=[r.split("\t") for r in out])
    exp = expected(issue_codes=["blank_cell"])
    exp["table3"]["rejected_repeat"]["commercial"] = None
    exp["table3"]["rejected_repeat"]["social_welfare"] = None
    write("awkward_table.txt", text, exp)


T4_HEADS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]


def make_html() -> None:
    tables = table_rows()

    def html_table(rows, *, spans=False) -> str:
        out = ["<table border='1'>"]
        for i, row in enumerate(rows):
            cells = []
            for j, cell in enumerate(row):
                if spans and cell == "" and j < 2:
                    continue  # covered by a rowspan above
                text = cell
                if cell.isdigit() and len(cell) > 1:
                    # Word-pasted HTML splits numbers over several spans.
                    text = "".join(f"<span style='font-size:10pt'>{c}</span>" for c in cell)
                cells.append(f"<td>{text}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
            del i
        out.append("</table>")
        return "\n".join(out)

    # A real merged header: the 勾稽 note spans three columns and three rows.
    body3 = ["<table border='1'>",
             "<tr><td colspan='3' rowspan='3'>（本列数据的勾稽关系为：第一项加第二项之和，"
             "等于第三项加第四项之和）</td><td colspan='7'>申请人情况</td></tr>",
             "<tr><td rowspan='2'>自然人</td><td colspan='5'>法人或其他组织</td>"
             "<td rowspan='2'>总计</td></tr>",
             "<tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td>"
             "<td>其他</td></tr>"]
    spans = {"granted": 22, "denied_state_secret": 8, "unable_not_held": 3,
             "rejected_petition": 5, "other_overdue_correction": 3}
    inner = {"denied_state_secret", "unable_not_held", "rejected_petition",
             "other_overdue_correction"}
    for key, label, values in T3_ROWS:
        nums = "".join(f"<td>{''.join(f'<span>{c}</span>' for c in str(v))}</td>" for v in values)
        if key in ("new_received", "carried_over", "carried_forward"):
            body3.append(f"<tr><td colspan='3'>{label}</td>{nums}</tr>")
            continue
        lead = ""
        if key == "granted":
            lead += "<td rowspan='22'>三、本年度办理结果</td>"
        if key in inner:
            lead += f"<td rowspan='{spans[key]}'>{GROUP_OF[key]}</td>"
        if key in ("granted", "partly_granted", "processed_total"):
            body3.append(f"<tr>{lead}<td colspan='2'>{label}</td>{nums}</tr>")
        else:
            body3.append(f"<tr>{lead}<td>{label}</td>{nums}</tr>")
    body3.append("</table>")
    n = narrative_lines()
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{HEAD}</title>
<script>var menu = "首页 12 条";</script><style>.x{{color:red}}</style></head>
<body>
<div class="header">青石县人民政府门户网站 今天是2025年1月5日</div>
<nav><ul><li>首页</li><li>政务公开</li><li>办事服务 3 条</li></ul></nav>
<div id="breadcrumb">首页 &gt; 政府信息公开年报</div>
<div class="article-content">
<h1>{HEAD}</h1>
<p>{PREAMBLE}</p>
<p>{S1[0]}</p>
{''.join(f'<p>{line}</p>' for line in n[1:])}
<p>二、主动公开政府信息情况</p>
{html_table(tables['二'])}
<p>三、收到和处理政府信息公开申请情况</p>
{chr(10).join(body3)}
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table border='1'>
<tr><td colspan='5'>行政复议</td><td colspan='10'>行政诉讼</td></tr>
<tr><td rowspan='2'>结果维持</td><td rowspan='2'>结果纠正</td><td rowspan='2'>其他结果</td>
<td rowspan='2'>尚未审结</td><td rowspan='2'>总计</td><td colspan='5'>未经复议直接起诉</td>
<td colspan='5'>复议后起诉</td></tr>
<tr>{''.join(f'<td>{h}</td>' for h in T4_HEADS * 2)}</tr>
<tr>{''.join(f'<td>{v}</td>' for v in T4)}</tr>
</table>
<p>{S5[0]}</p><p>{S5[1]}</p>
<p>{S6[0]}</p><p>{S6[1]}</p>
</div>
<div class="footer">版权所有：青石县人民政府 主办 联系电话 0000-1234567 网站标识码 1234567890</div>
</body></html>
"""
    write("site_page.html", page, expected(format="html"))


def make_markdown() -> None:
    tables = table_rows()
    parts = [f"# {HEAD}", "", PREAMBLE, "", f"## {S1[0]}", "", *narrative_lines()[1:], ""]
    for numeral, title in (("二", "二、主动公开政府信息情况"),
                           ("三", "三、收到和处理政府信息公开申请情况"),
                           ("四", "四、政府信息公开行政复议、行政诉讼情况")):
        rows = tables[numeral]
        width = max(len(r) for r in rows)
        parts += [f"## {title}", ""]
        for i, row in enumerate(rows):
            cells = [*row, *[""] * (width - len(row))]
            parts.append("| " + " | ".join(cells) + " |")
            if i == 0:
                parts.append("|" + "---|" * width)
        parts.append("")
    parts += [f"## {S5[0]}", "", S5[1], "", f"## {S6[0]}", "", S6[1], ""]
    write("markdown_report.md", "\n".join(parts), expected(format="markdown"))


def make_docx() -> None:
    from docx import Document

    doc = Document()
    doc.add_paragraph(HEAD)
    doc.add_paragraph(PREAMBLE)
    for line in narrative_lines():
        doc.add_paragraph(line)
    tables = table_rows()
    for numeral, title in (("二", "二、主动公开政府信息情况"),
                           ("三", "三、收到和处理政府信息公开申请情况"),
                           ("四", "四、政府信息公开行政复议、行政诉讼情况")):
        doc.add_paragraph(title)
        rows = tables[numeral]
        width = max(len(r) for r in rows)
        table = doc.add_table(rows=len(rows), cols=width)
        for i, row in enumerate(rows):
            for j, cell in enumerate(row):
                table.cell(i, j).text = cell
        if numeral == "三":
            # Merge the group column of 三、本年度办理结果 as Word does (vertical merge).
            first = next(i for i, r in enumerate(rows) if r[0] == "三、本年度办理结果")
            merged = table.cell(first, 0).merge(table.cell(first + 21, 0))
            merged.text = "三、本年度办理结果"
    for section in (S5, S6):
        for line in section:
            doc.add_paragraph(line)
    path = OUT / "word_report.docx"
    doc.save(path)
    (OUT / "word_report.expected.json").write_text(json.dumps(
        expected(format="docx"), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def make_scanned_pdf() -> None:
    """A one-page PDF with a drawn box and no text objects: what a scan without OCR gives."""
    content = b"0.9 g 72 72 451 698 re f\n"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    write("scanned.pdf", bytes(out), {"raises": "InputError", "message": "no text layer"})


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    make_text_forms()
    make_awkward_table()
    make_html()
    make_markdown()
    make_docx()
    make_scanned_pdf()
