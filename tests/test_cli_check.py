"""The `disclosure` command end to end: help, version, parse, check, the demo's golden output,
and the error paths of the contract (exit 2, one line, no traceback, no output left behind)."""

from __future__ import annotations

import json

import openpyxl
import pytest

from nlp import __version__

from .conftest import DATA, ROOT

EXAMPLE = "corpus/examples/example-report.txt"
NOTICES = "corpus/examples/notices-2023.csv"
GOLDEN = DATA / "demo" / "check.golden.json"


def test_help_lists_the_four_commands(run_cli):
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("train", "classify", "parse", "check"):
        assert command in result.stdout.decode()
    for command in ("train", "classify", "parse", "check"):
        sub = run_cli(command, "--help")
        assert sub.returncode == 0 and "usage: disclosure" in sub.stdout.decode()


def test_version(run_cli):
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip() == f"disclosure {__version__}"


def test_python_dash_m_is_the_same_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "nlp", "--version"], capture_output=True,
                            cwd=ROOT)
    assert result.returncode == 0 and __version__ in result.stdout.decode()


def test_parse_prints_the_contract_json(run_cli):
    result = run_cli("parse", EXAMPLE)
    assert result.returncode == 0, result.stderr.decode()
    data = json.loads(result.stdout)
    assert data["schema"] == "disclosure.report/1"
    assert data["declared"]["total_published"] == 74
    assert data["declared"]["total_mentions"][0]["value"] == 77
    assert data["unit"] == "北关区红旗路街道办事处" and data["year"] == 2023


def test_check_without_notices_finds_74_against_77(run_cli):
    result = run_cli("check", EXAMPLE, "--format", "json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert "reconciliation" not in data
    failed = {f["rule"]: f for f in data["findings"] if f["status"] == "fail"}
    mention = failed["narrative.total_mentions_agree"]
    assert (mention["expected"], mention["actual"]) == (74, 77)


def _demo_json(run_cli, tmp_path):
    out = tmp_path / "report.json"
    result = run_cli("check", EXAMPLE, "--notices", NOTICES, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    return json.loads(out.read_text(encoding="utf-8"))


def test_demo_matches_its_golden_output(run_cli, tmp_path, request):
    data = _demo_json(run_cli, tmp_path)
    if request.config.getoption("--update-golden"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n",
                          encoding="utf-8")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert data == golden


def test_demo_shows_what_it_was_composed_to_show(run_cli, tmp_path):
    data = _demo_json(run_cli, tmp_path)
    rec = {r["domain"]: r for r in data["reconciliation"]}
    # 救灾 declares 24; the list supports about 16.
    assert rec["救灾"]["status"] == "inconsistent" and rec["救灾"]["predicted"] <= 18
    failed = {f["rule"] for f in data["findings"] if f["status"] == "fail"}
    assert {"narrative.total_mentions_agree", "reconcile.office_disagrees",
            "reconcile.duplicate_titles", "reconcile.date_outside_year"} <= failed


@pytest.mark.parametrize("fmt", ["html", "md", "xlsx"])
def test_every_format_is_written(run_cli, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = run_cli("check", EXAMPLE, "--notices", NOTICES, "-o", out)
    assert result.returncode == 0, result.stderr.decode()
    if fmt == "xlsx":
        assert openpyxl.load_workbook(out).sheetnames == ["汇总", "核对发现", "通知分类"]
    else:
        text = out.read_text(encoding="utf-8")
        assert "一(三)称 77 条" in text
    # Written through a temporary file, yet with the mode ``open()`` gives (shareable),
    # not mkstemp's owner-only 0600.
    from nlp.files import UMASK

    assert out.stat().st_mode & 0o777 == 0o666 & ~UMASK
    assert [p.name for p in tmp_path.iterdir()] == [out.name]


@pytest.mark.parametrize(("args", "message"), [
    (["check", "missing.txt"], "no such report file"),
    (["parse", "corpus/examples"], "directory"),
    (["check", EXAMPLE, "-o", "{tmp}/report.pdf"], "unknown output extension"),
    (["check", EXAMPLE, "--notices", "{tmp}/none.csv", "-o", "{tmp}/r.json"], "no such file"),
    (["check", EXAMPLE, "-o", "{tmp}/no/such/folder/r.json"], "output folder does not exist"),
    (["classify", NOTICES, "--model", "{tmp}/none.joblib"], "model file not found"),
])
def test_user_errors_exit_2(run_cli, tmp_path, args, message):
    result = run_cli(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert [p.name for p in tmp_path.iterdir()] == []


def test_bad_option_exits_2(run_cli):
    result = run_cli("check", EXAMPLE, "--format", "pdf")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr.decode()


def test_the_console_script_itself(run_cli_process, tmp_path):
    """The real entry point (``run``, which ends the process with ``os._exit``): the
    demo's JSON is whole and equal to the in-process result, a user error exits 2 with
    one line and no file left behind."""
    out = tmp_path / "report.json"
    done = run_cli_process("check", EXAMPLE, "--notices", NOTICES, "-o", out)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(
        GOLDEN.read_text(encoding="utf-8"))
    out.unlink()
    failed = run_cli_process("check", "missing.txt", "-o", out)
    err = failed.stderr.decode()
    assert failed.returncode == 2 and "no such report file" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()
