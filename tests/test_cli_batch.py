"""`disclosure batch` end to end: a folder of every report form and a broken file, a
combined notice list, on a local Dask cluster and through ``--scheduler``; each summary row
against ``disclosure check`` on that report; the error paths (exit 2, one line)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pandas as pd
import pytest
from bs4 import BeautifulSoup

from .conftest import REPORTS, ROOT, disclosure_command

NOTICES = ROOT / "corpus" / "examples" / "notices-2023.csv"
# The example report and one fixture of every form; scanned.pdf has no text layer.
FIXTURES = ["markdown_report.md", "site_page.html", "word_report.docx", "synthetic_gbk.txt",
            "淮安市洪泽区人民政府_2023.pdf", "scanned.pdf"]
BROKEN = "broken.docx"


def make_district(folder: Path) -> Path:
    """A district folder: the example, the fixtures (one in a sub-folder), a broken file."""
    folder.mkdir()
    shutil.copy(ROOT / "corpus" / "examples" / "example-report.txt", folder)
    (folder / "sub").mkdir()
    for i, name in enumerate(FIXTURES):
        shutil.copy(REPORTS / name, folder / ("sub" if i % 2 else "") / name)
    (folder / BROKEN).write_bytes(b"PK\x03\x04 not really a Word file")
    (folder / "notes.csv").write_text("not a report form, not searched\n", encoding="utf-8")
    return folder


def make_combined_list(path: Path) -> Path:
    """The example's notice list under 发布单位 「红旗路街道」, and a unit no report has."""
    frame = pd.read_csv(NOTICES, dtype=str)
    frame.insert(0, "发布单位", "红旗路街道")
    other = frame.head(4).assign(发布单位="北关区紫薇街道办事处")
    pd.concat([frame, other]).to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def district(tmp_path_factory):
    base = tmp_path_factory.mktemp("batch")
    return make_district(base / "reports"), make_combined_list(base / "all-notices.csv")


@pytest.fixture(scope="module")
def local_run(district, tmp_path_factory):
    """One batch on the default local cluster (processes)."""
    folder, notices = district
    out = tmp_path_factory.mktemp("out") / "review"
    proc = subprocess.run([*disclosure_command(), "batch", str(folder), "-o", str(out),
                           "--notices", str(notices), "--format", "html,json,xlsx",
                           "--jobs", "2"], capture_output=True, cwd=ROOT, timeout=300)
    return proc, out


def _summary(out: Path) -> list[dict]:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))["reports"]


def test_batch_writes_index_workbook_and_one_row_per_report(local_run, district):
    proc, out = local_run
    assert proc.returncode == 0, proc.stderr.decode()
    line = proc.stdout.decode().strip()
    assert line.startswith("8 份年报，6 份已核对") and "2 份无法读取" in line, line
    assert "1 组通知未匹配到年报" in line
    assert not list(out.glob(".*")), "a temporary file was left behind"
    from nlp.files import UMASK

    modes = {f.name: f.stat().st_mode & 0o777 for f in out.iterdir()}
    assert set(modes.values()) == {0o666 & ~UMASK}, modes  # shareable, not mkstemp's 0600

    rows = _summary(out)
    assert len(rows) == 8
    by_name = {Path(r["source"]).name: r for r in rows}
    assert set(by_name) == {"example-report.txt", BROKEN, *FIXTURES}
    assert by_name[BROKEN]["status"] == "failed" and by_name[BROKEN]["reason"]
    assert "no text layer" in by_name["scanned.pdf"]["reason"]

    wb = openpyxl.load_workbook(out / "summary.xlsx")
    assert wb.sheetnames == ["汇总", "全部发现", "未匹配通知"]
    sheet = wb["汇总"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    header = [c.value for c in sheet[1]]
    table = [dict(zip(header, (c.value for c in r), strict=True))
             for r in sheet.iter_rows(min_row=2)]
    assert len(table) == 8
    broken = next(r for r in table if r["年报文件"].endswith(BROKEN))
    assert broken["状态"] == "无法读取" and "Word" in broken["原因"]
    findings = wb["全部发现"]
    assert findings.freeze_panes == "A2" and findings.auto_filter.ref
    assert findings.max_row - 1 == sum(r["errors"] + r["warnings"] + r["infos"]
                                       for r in rows if r["status"] == "ok")
    assert [c.value for c in wb["未匹配通知"][2]] == ["北关区紫薇街道办事处", 4]

    soup = BeautifulSoup((out / "index.html").read_bytes(), "lxml")
    assert len(soup.select("#reports-table tbody tr")) == 8
    links = [a["href"] for a in soup.select("#reports-table a.detail")]
    assert len(links) == 6 and all((out / unquote(h)).is_file() for h in links)
    assert not soup.find_all(src=True) and not soup.select("link[href]")


def test_each_row_counts_equal_disclosure_check_on_that_report(local_run, run_cli, tmp_path):
    _, out = local_run
    for row in _summary(out):
        if row["status"] != "ok":
            continue
        args = ["check", row["source"], "--format", "json"]
        if row["notices"]:
            assert Path(row["source"]).name == "example-report.txt"
            args += ["--notices", str(NOTICES)]
        single = run_cli(*args)
        assert single.returncode == 0, single.stderr.decode()
        checked = json.loads(single.stdout)
        fails = [f for f in checked["findings"] if f["status"] == "fail"]
        for key, sev in (("errors", "error"), ("warnings", "warning"), ("infos", "info")):
            assert row[key] == sum(f["severity"] == sev for f in fails), (row["source"], key)
        assert row["checks"] == len(checked["findings"])
        assert row["unit"] == checked["report"]["unit"]
        # the detail file is the same content as disclosure check
        detail = json.loads((out / row["outputs"]["json"]).read_text(encoding="utf-8"))
        assert detail == checked
    example = next(r for r in _summary(out) if r["source"].endswith("example-report.txt"))
    assert example["level"] == "街道" and example["n_notices"] == 78
    assert example["verdicts"]["救灾"] == "inconsistent"
    assert any("77" in f["message"] for f in example["top_findings"])


def test_the_same_batch_through_a_scheduler_gives_the_same_summary(local_run, district,
                                                                   tmp_path, run_cli):
    from distributed import LocalCluster

    folder, notices = district
    out = tmp_path / "via-scheduler"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        proc = run_cli("batch", folder, "-o", out, "--notices", notices,
                       "--format", "html,json,xlsx", "--scheduler", cluster.scheduler_address)
    assert proc.returncode == 0, proc.stderr.decode()
    assert _summary(out) == _summary(local_run[1])
    assert (out / "index.html").read_bytes() == (local_run[1] / "index.html").read_bytes()


def test_rerun_skips_up_to_date_reports_and_force_redoes_them(district, tmp_path):
    import os

    import nlp

    folder, _ = district
    reports = [folder / "example-report.txt", folder / "markdown_report.md"]
    first = nlp.batch(reports, tmp_path / "o", jobs=0, formats=("html", "json"))
    assert first["reused"].tolist() == [False, False]
    again = nlp.batch(reports, tmp_path / "o", jobs=0, formats=("html", "json"))
    assert again["reused"].tolist() == [True, True]
    assert again.drop(columns="reused").equals(first.drop(columns="reused"))
    # a report newer than its outputs is redone; the other one is not
    made = (tmp_path / "o" / again["outputs"][1]["json"]).stat().st_mtime
    os.utime(reports[1], (made + 10, made + 10))
    third = nlp.batch(reports, tmp_path / "o", jobs=0, formats=("html", "json"))
    assert third["reused"].tolist() == [True, False]
    # asking for a format the last run did not write redoes the report
    assert not nlp.batch(reports[:1], tmp_path / "o", jobs=0,
                         formats=("xlsx",))["reused"].any()
    forced = nlp.batch(reports, tmp_path / "o", jobs=0, formats=("html", "json"), force=True)
    assert not forced["reused"].any()


def test_notice_folder_of_one_list_per_unit(district, tmp_path):
    import nlp

    folder, _ = district
    lists = tmp_path / "lists"
    lists.mkdir()
    shutil.copy(NOTICES, lists / "北关区红旗路街道办事处.csv")
    (lists / "城关镇.txt").write_text("城关镇开展防汛应急演练\n", encoding="utf-8")
    table = nlp.batch([folder / "example-report.txt", folder / "sub" / "site_page.html"],
                      jobs=0, notices=lists)
    assert table["n_notices"].tolist()[0] == 78 and pd.isna(table["n_notices"][1])
    assert table["notices"][0].endswith("北关区红旗路街道办事处.csv")
    assert table.attrs["unmatched_notices"] == [{"group": "城关镇", "rows": 1}]


@pytest.mark.parametrize("args, message", [
    (["batch", "no-such-folder", "-o", "{out}"], "no such report file or folder"),
    (["batch", "{example}", "-o", "{out}", "--format", "html,pdf"], "unknown format 'pdf'"),
    (["batch", "{example}", "-o", "{out}", "--notices", str(NOTICES)], "no unit column found"),
    (["batch", "{example}", "-o", "{out}", "--notices", "{combined}", "--unit-column", "单位"],
     "no column named '单位'"),
    (["batch", "{scanned}", "-o", "{out}", "--jobs", "0"], "none of the 1 reports could be read"),
    (["batch", "{example}", "-o", "{out}", "--jobs", "-1"], "--jobs must be 0 or more"),
])
def test_unusable_options_exit_2_with_one_line(run_cli, tmp_path, district, args, message):
    folder, combined = district
    out = tmp_path / "out"
    values = {"out": out, "example": folder / "example-report.txt", "combined": combined,
              "scanned": folder / "sub" / "scanned.pdf"}
    result = run_cli(*[a.format(**{k: str(v) for k, v in values.items()}) for a in args])
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_output_path_that_is_a_file_is_refused(run_cli, tmp_path, district):
    target = tmp_path / "taken"
    target.write_text("x", encoding="utf-8")
    result = run_cli("batch", district[0] / "example-report.txt", "-o", target, "--jobs", "0")
    assert result.returncode == 2 and "is a file" in result.stderr.decode()
    assert target.read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_combined_list_splits_by_unit_in_first_seen_order(tmp_path, suffix):
    """Interleaved units, padded names and blank cells: each group keeps its rows in order,
    the units come in the order first seen, and the rows without a unit come last."""
    from nlp.batching.inputs import NO_UNIT_GROUP, read_notice_groups

    units = ["乙街道", " 甲镇", "", "乙街道", None, "甲镇 ", "丙局", "乙街道"]
    frame = pd.DataFrame({"发布单位": units, "标题": [f"通知{i}" for i in range(len(units))]})
    path = tmp_path / f"all{suffix}"
    if suffix == ".csv":
        frame.to_csv(path, index=False)
    else:
        frame.to_excel(path, index=False)
    groups = read_notice_groups(path)
    got = {g.label: g.frame["标题"].tolist() for g in groups}
    assert list(got) == ["乙街道", "甲镇", "丙局", NO_UNIT_GROUP]
    assert got == {"乙街道": ["通知0", "通知3", "通知7"], "甲镇": ["通知1", "通知5"],
                   "丙局": ["通知6"], NO_UNIT_GROUP: ["通知2", "通知4"]}
    assert all(g.path == f"{path}#{g.label}" for g in groups)
