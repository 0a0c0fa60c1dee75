"""Hostile input and output, through the command: every case ends in exit 0 with the right
output or exit 2 with one line naming the file, within seconds, with nothing left behind;
and nothing the tool writes runs as a formula or a script, whatever the titles."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest

from nlp.cli import main

from .conftest import EXAMPLE, REPORTS, ROOT, disclosure_command

NOTICES = ROOT / "corpus" / "examples" / "notices-2023.csv"
FORMULAS = ['=HYPERLINK("http://example.com/x","点击查看")', "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "=cmd|' /C calc'!A0"]
SCRIPT = "<script>alert(1)</script>"


def _exit_2(args: list[str], capsys, *, names: str, says: str) -> str:
    """Run ``disclosure ARGS`` in-process; it must exit 2 with one line naming ``names``."""
    code = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1, err
    assert names in err and says in err, err
    assert "Traceback" not in err
    return err


def _hostile_list(tmp_path: Path) -> Path:
    """The demo's list with hostile titles in front (written by the csv module, quoted)."""
    rows = list(csv.reader(NOTICES.read_text(encoding="utf-8").splitlines()))
    header, body = rows[0], rows[1:]
    hostile = [[t, "救灾", "2023-05-01", "=HYPERLINK(\"http://x\")", "-"] for t in
               [*FORMULAS, SCRIPT]]
    path = tmp_path / "hostile.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header, *hostile, *body])
    return path


def _hostile_report(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    needle = "77 条主动公开信息都经相关主管领导审阅并填表"
    assert needle in text
    path = tmp_path / "report.txt"
    hostile = f"77 条主动公开信息{SCRIPT}=1+1都经相关主管领导审阅并填表"
    path.write_text(text.replace(needle, hostile), encoding="utf-8")
    return path


def _cells(path: Path):
    for ws in openpyxl.load_workbook(path).worksheets:
        for row in ws.iter_rows():
            yield from row


# --- Safe outputs -----------------------------------------------------------------------

def test_no_formula_in_any_xlsx_whatever_the_titles(tmp_path):
    notices = _hostile_list(tmp_path)
    report = _hostile_report(tmp_path)
    assert main(["classify", str(notices), "-o", str(tmp_path / "c.xlsx")]) == 0
    assert main(["check", str(report), "--notices", str(notices),
                 "-o", str(tmp_path / "r.xlsx")]) == 0
    for name in ("c.xlsx", "r.xlsx"):
        cells = list(_cells(tmp_path / name))
        assert cells and not [c.coordinate for c in cells if c.data_type == "f"], name
        values = {c.value for c in cells}
        for title in FORMULAS:  # kept exactly, as text
            assert title.replace("\r", "\n") in values or title in values, (name, title)
        assert {c.quotePrefix for c in cells if c.value in FORMULAS} == {True}


def test_csv_cells_that_excel_would_run_get_a_quote_unless_raw(tmp_path):
    notices = _hostile_list(tmp_path)
    out, raw = tmp_path / "out.csv", tmp_path / "raw.csv"
    assert main(["classify", str(notices), "-o", str(out)]) == 0
    assert main(["classify", str(notices), "-o", str(raw), "--raw"]) == 0
    escaped = list(csv.reader(io.StringIO(out.read_bytes().decode(), newline="")))
    exact = list(csv.reader(io.StringIO(raw.read_bytes().decode(), newline="")))
    assert [r[0] for r in exact[1:len(FORMULAS) + 1]] == FORMULAS
    assert [r[0] for r in escaped[1:len(FORMULAS) + 1]] == ["'" + t for t in FORMULAS]
    assert escaped[1][3] == "'=HYPERLINK(\"http://x\")" and escaped[1][4] == "'-"
    for row in escaped:
        assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in row), row
    # Everything else is untouched.
    assert escaped[len(FORMULAS) + 2:] == exact[len(FORMULAS) + 2:]


def test_a_script_title_is_inert_in_every_output(tmp_path, capsys):
    notices = _hostile_list(tmp_path)
    report = _hostile_report(tmp_path)
    for fmt in ("csv", "json", "xlsx"):
        out = tmp_path / f"classified.{fmt}"
        assert main(["classify", str(notices), "-o", str(out)]) == 0
        if fmt == "xlsx":
            assert SCRIPT in {c.value for c in _cells(out)}
        elif fmt == "json":
            assert SCRIPT in [r["标题"] for r in json.loads(out.read_text(encoding="utf-8"))]
        else:
            rows = csv.reader(io.StringIO(out.read_bytes().decode(), newline=""))
            assert SCRIPT in [r[0] for r in rows]  # data, exactly as read
    for fmt in ("html", "md", "json", "xlsx"):
        out = tmp_path / f"report.{fmt}"
        assert main(["check", str(report), "--notices", str(notices), "-o", str(out)]) == 0
        if fmt == "xlsx":
            assert any(SCRIPT in str(c.value) for c in _cells(out))
            continue
        text = out.read_text(encoding="utf-8")
        if fmt == "json":
            assert SCRIPT in json.dumps(json.loads(text), ensure_ascii=False)
        else:
            assert SCRIPT not in text, fmt
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, fmt
    capsys.readouterr()


# --- Bad input: exit 2, one line, nothing left behind ----------------------------------

def test_utf16_report_with_a_stray_byte(tmp_path, capsys):
    path = tmp_path / "r.txt"
    path.write_bytes((REPORTS / "synthetic_utf16.txt").read_bytes() + b"\x00")
    out = tmp_path / "out.json"
    for command in ("parse", "check"):
        _exit_2([command, path, "-o", out], capsys, names=str(path), says="UTF-16")
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_deep_html_is_refused_with_the_limit(tmp_path, capsys):
    path = tmp_path / "deep.html"
    path.write_text("<html><body>" + "<div>" * 5000 + "x" + "</div>" * 5000 + "</body></html>",
                    encoding="utf-8")
    _exit_2(["parse", path], capsys, names=str(path), says="DISCLOSURE_MAX_DEPTH")


def test_deep_json_notice_list_is_refused(tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    _exit_2(["classify", path], capsys, names=str(path), says="DISCLOSURE_MAX_DEPTH")
    _exit_2(["check", EXAMPLE, "--notices", path], capsys, names=str(path),
            says="DISCLOSURE_MAX_DEPTH")


def test_a_table_that_spans_too_many_cells_is_refused(tmp_path, capsys):
    path = tmp_path / "spans.html"
    row = "<tr>" + '<td rowspan="200" colspan="200">1</td>' * 10 + "</tr>"
    path.write_text(f"<html><body><p>二〇二三年</p><table>{row}</table></body></html>",
                    encoding="utf-8")
    _exit_2(["parse", path], capsys, names=str(path), says="DISCLOSURE_MAX_TABLE_CELLS")


def test_report_size_and_pdf_pages_limits(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.txt"
    big.write_bytes(EXAMPLE.read_bytes() * (2 * (1 << 20) // EXAMPLE.stat().st_size + 1))
    monkeypatch.setenv("DISCLOSURE_MAX_REPORT_MB", "1")
    err = _exit_2(["parse", big], capsys, names=str(big), says="DISCLOSURE_MAX_REPORT_MB")
    assert "1 MB" in err
    monkeypatch.setenv("DISCLOSURE_MAX_REPORT_MB", "4")
    assert main(["parse", str(big), "-o", str(tmp_path / "ok.json")]) == 0
    pdf = REPORTS / "淮安市洪泽区人民政府_2023.pdf"
    monkeypatch.setenv("DISCLOSURE_MAX_PDF_PAGES", "2")
    err = _exit_2(["parse", pdf], capsys, names=pdf.name, says="DISCLOSURE_MAX_PDF_PAGES")
    assert "5 pages" in err


def test_a_text_that_is_no_report_is_refused_by_parse_and_check(tmp_path, capsys):
    path = tmp_path / "list.txt"
    path.write_text("hello\nthis is a shopping list\nmilk, eggs\n", encoding="utf-8")
    messages = {_exit_2([command, path], capsys, names=str(path), says="not a 政府信息公开")
                for command in ("parse", "check")}
    assert len(messages) == 1  # the same refusal, from the same place


def test_a_directory_and_a_missing_output_folder(tmp_path, capsys):
    _exit_2(["classify", tmp_path], capsys, names=str(tmp_path), says="directory")
    _exit_2(["parse", tmp_path], capsys, names=str(tmp_path), says="directory")
    _exit_2(["parse", EXAMPLE, "-o", tmp_path / "no" / "r.json"], capsys, names="r.json",
            says="output folder does not exist")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["classify", "parse"])
def test_dev_zero_is_refused_at_once(capsys, command):
    _exit_2([command, "/dev/zero"], capsys, names="/dev/zero", says="device")


def test_xlsx_zip_bomb_is_refused(tmp_path, capsys):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            block = b"\0" * (1 << 24)
            for _ in range(66):  # 1.1 GB of zeros in about 5 MB
                fh.write(block)
    assert path.stat().st_size < 10 << 20
    _exit_2(["classify", path], capsys, names=str(path), says="DISCLOSURE_MAX_UNZIPPED_MB")


def test_docx_external_entity_is_not_resolved(tmp_path, capsys):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-42", encoding="utf-8")
    source = REPORTS / "word_report.docx"
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(path, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                text = data.decode("utf-8")
                head, _, rest = text.partition("?>")
                doctype = (f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file://{secret}">]>')
                text = head + "?>" + doctype + rest.replace("<w:t>", "<w:t>&xxe;", 1)
                data = text.encode("utf-8")
            zout.writestr(item, data)
    out = tmp_path / "out.json"
    code = main(["parse", str(path), "-o", str(out)])
    err = capsys.readouterr().err
    assert code in (0, 2), err
    assert "TOP-SECRET-42" not in err
    if code == 0:
        assert "TOP-SECRET-42" not in out.read_text(encoding="utf-8")
    else:
        assert str(path) in err and not out.exists()


# --- Pipes, standard input, devices: read once, never a hang --------------------------

def _run(args: list[str], **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", **kw.pop("env", {})}
    return subprocess.run([*disclosure_command(), *map(str, args)], capture_output=True,
                          cwd=ROOT, env=env, timeout=60, **kw)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("command", ["classify", "check"])
def test_a_fifo_is_read_once_and_never_hangs(tmp_path, command):
    fifo = tmp_path / "list.csv"
    os.mkfifo(fifo)
    data = NOTICES.read_bytes()

    def feed():  # a writer that opens the FIFO once, as `<(cat list.csv)` does
        with open(fifo, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    args = ["classify", fifo] if command == "classify" else \
        ["check", EXAMPLE, "--notices", fifo, "--format", "json"]
    result = _run(args)  # a second open would wait for a second writer: the timeout fails it
    writer.join(timeout=5)
    assert result.returncode == 0, result.stderr.decode()
    if command == "classify":
        assert result.stdout.decode().count("\n") == data.decode().count("\n")
    else:
        assert "reconciliation" in json.loads(result.stdout)


def test_stdin_past_the_stream_limit_is_refused(tmp_path):
    result = _run(["classify", "-"], input=b"title\n" + b"x" * 99 + b"\n" * 30_000,
                  env={"DISCLOSURE_MAX_STREAM_MB": "0"})
    assert result.returncode == 2
    assert "DISCLOSURE_MAX_STREAM_MB must be positive" in result.stderr.decode()
    result = _run(["classify", "-"], input=(b"x" * 99 + b"\n") * 20_000,
                  env={"DISCLOSURE_MAX_STREAM_MB": "1"})
    err = result.stderr.decode()
    assert result.returncode == 2 and "-:" in err and "DISCLOSURE_MAX_STREAM_MB" in err
    assert len(err.strip().splitlines()) == 1


def test_four_concurrent_writers_leave_one_whole_file(tmp_path):
    out = tmp_path / "report.json"
    procs = [subprocess.Popen([*disclosure_command(), "check", str(EXAMPLE), "--notices",
                               str(NOTICES), "-o", str(out)], cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for _ in range(4)]
    for proc in procs:
        assert proc.wait(timeout=120) == 0, proc.stderr.read().decode()
    document = json.loads(out.read_text(encoding="utf-8"))  # one whole file, not a mix
    assert document["schema"] == "disclosure.check/1"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary left


# --- Model files: only the shipped one without asking ----------------------------------

@pytest.fixture
def other_model(tmp_path):
    """The shipped pipeline saved again: a valid model whose bytes (and sha256) differ."""
    import joblib

    from nlp.classifier.model_file import default_model_path, load_model, manifest_path

    source = default_model_path()
    target = tmp_path / "other.joblib"
    joblib.dump(load_model(source).pipeline, target, compress=1)
    manifest = json.loads(manifest_path(source).read_text(encoding="utf-8"))
    from nlp.classifier.model_file import sha256_file

    manifest["sha256"] = sha256_file(target)
    manifest_path(target).write_text(json.dumps(manifest), encoding="utf-8")
    return target


def test_another_model_needs_trust(other_model, tmp_path, capsys, monkeypatch):
    import nlp
    from nlp.errors import ModelError

    with pytest.raises(ModelError, match="--trust-model"):
        nlp.load_model(other_model)
    assert nlp.load_model(other_model, trust=True).labels
    notices = tmp_path / "n.txt"
    notices.write_text("防汛应急预案\n", encoding="utf-8")
    err = _exit_2(["classify", notices, "--model", other_model], capsys,
                  names=str(other_model), says="pickle")
    assert "--trust-model" in err
    monkeypatch.setenv("DISCLOSURE_MODEL", str(other_model))
    _exit_2(["classify", notices], capsys, names=str(other_model), says="--trust-model")
    assert main(["classify", str(notices), "--trust-model", "-o", str(tmp_path / "o.csv")]) == 0
    assert "救灾" in (tmp_path / "o.csv").read_text(encoding="utf-8")


def test_a_copy_of_the_shipped_model_loads_anywhere(tmp_path):
    import nlp
    from nlp.classifier.model_file import default_model_path, manifest_path

    target = tmp_path / "copy.joblib"
    shutil.copy(default_model_path(), target)
    shutil.copy(manifest_path(default_model_path()), manifest_path(target))
    assert nlp.load_model(target).labels  # the pinned sha256, so no trust is needed


def test_help_says_why_a_model_needs_trust(capsys):
    with pytest.raises(SystemExit):
        main(["classify", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--trust-model" in text and "pickle" in text and "runs any code" in text
    assert "--raw" in text


def test_the_batch_summary_workbook_holds_no_formula():
    """Unit names, finding messages and notice groups come from the inputs too."""
    from nlp.render.batch import render_summary_xlsx

    hostile = FORMULAS[0]
    rows = [{"unit": hostile, "year": 2023, "level": "-1", "status": "ok", "errors": 1,
             "warnings": 0, "infos": 0, "passed": 3, "not_assessable": 0,
             "verdicts": {"救灾": "inconsistent"}, "n_notices": 2, "notices": "+list.csv",
             "top_findings": [{"severity": "error", "message": "=1+1"}],
             "outputs": {"html": "@r.html"}, "source": "=r.txt", "reason": None}]
    findings = [{"unit": hostile, "year": 2023, "source": "=r.txt", "rule": "x.y",
                 "severity": "error", "message": "-2+3"}]
    unmatched = [{"group": "=SUM(A1:A9)", "rows": 3}]
    wb = openpyxl.load_workbook(io.BytesIO(render_summary_xlsx(rows, findings, unmatched)))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    values = {c.value for c in cells}
    assert {hostile, "=r.txt", "-2+3", "=SUM(A1:A9)", "@r.html", "+list.csv"} <= values


# --- Found by scripts/fuzz.py ----------------------------------------------------------

@pytest.mark.parametrize("run", ["1", "一", "9条", "\n"])
def test_a_long_run_of_digits_or_numerals_parses_at_once(tmp_path, run):
    """A pattern tried from every position of a run was quadratic: 150,000 digits in a
    report, or 250,000 blank lines inside the title, took minutes."""
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / "r.txt"
    cut = text.index("工作年度报告") + 1  # inside the title, which then matches nowhere
    path.write_text(text[:cut] + run * (150_000 // len(run)) + text[cut:], encoding="utf-8")
    assert main(["parse", str(path), "-o", str(tmp_path / "r.json")]) == 0


def test_a_page_of_too_many_elements_is_refused_at_once(tmp_path, capsys):
    path = tmp_path / "r.html"
    path.write_text("<html><body><table><tr>" + "<td>1" * 150_000 + "</tr></table></body></html>",
                    encoding="utf-8")
    _exit_2(["parse", path], capsys, names=str(path), says="DISCLOSURE_MAX_HTML_ELEMENTS")


def test_a_csv_header_past_the_column_limit_is_refused_before_pandas_reads_it(
        tmp_path, capsys, monkeypatch):
    """pandas names and de-duplicates every column first: seconds for 13,000 of them."""
    import pandas as pd

    def not_reached(*args, **kwargs):
        raise AssertionError("pandas read the CSV")

    monkeypatch.setattr(pd, "read_csv", not_reached)
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(20_000)) + "\n" + "x,\n" * 3,
                    encoding="utf-8")
    err = _exit_2(["classify", path], capsys, names=str(path), says="DISCLOSURE_MAX_COLUMNS")
    assert "20,000 columns" in err
    # A first data row of a million fields became a million columns: gigabytes, a minute.
    path.write_text("标题,栏目\n防汛" + "a," * 1_000_000 + "\n", encoding="utf-8")
    err = _exit_2(["classify", path], capsys, names=str(path), says="DISCLOSURE_MAX_COLUMNS")
    assert "line 2" in err


def test_check_refuses_a_list_too_long_to_reconcile(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("DISCLOSURE_MAX_CHECK_NOTICES", "10")
    out = tmp_path / "r.json"
    _exit_2(["check", EXAMPLE, "--notices", NOTICES, "-o", out], capsys, names=str(NOTICES),
            says="DISCLOSURE_MAX_CHECK_NOTICES")
    assert not out.exists()
    assert main(["classify", str(NOTICES), "-o", str(tmp_path / "c.csv")]) == 0  # no such limit


@pytest.mark.parametrize("name", ["报" * 300, "r\x00.txt"])
def test_a_name_the_system_cannot_look_up_is_an_input_error(name):
    import nlp

    with pytest.raises(nlp.InputError):
        nlp.parse(name)
    with pytest.raises(nlp.InputError):
        nlp.classify(name)


def test_text_given_to_parse_keeps_the_report_size_limit(monkeypatch):
    import nlp

    monkeypatch.setenv("DISCLOSURE_MAX_REPORT_MB", "1")
    text = EXAMPLE.read_text(encoding="utf-8")
    with pytest.raises(nlp.InputError, match="DISCLOSURE_MAX_REPORT_MB"):
        nlp.parse(text * (2 * (1 << 20) // len(text.encode()) + 1))
    assert nlp.parse(text).total_published == 74


def test_a_column_name_past_the_cell_limit_is_refused(tmp_path, capsys):
    """A JSON key is a column name; one of 40,000 characters was written to the CSV whole."""
    path = tmp_path / "list.json"
    path.write_text(json.dumps([{"标题": "防汛应急预案", "x" * 40_000: "1"}]), encoding="utf-8")
    out = tmp_path / "out.csv"
    _exit_2(["classify", path, "-o", out], capsys, names=str(path),
            says="DISCLOSURE_MAX_CELL_CHARS")
    assert not out.exists()


def test_blank_lines_after_a_narrative_phrase_parse_at_once(tmp_path):
    """「办结」 then a million blank lines: two \\s* around an optional word were quadratic."""
    text = EXAMPLE.read_text(encoding="utf-8")
    cut = text.index("一、")
    path = tmp_path / "r.txt"
    path.write_text(text[:cut] + "办结" + "\n" * 200_000 + text[cut:], encoding="utf-8")
    assert main(["parse", str(path), "-o", str(tmp_path / "r.json")]) == 0
