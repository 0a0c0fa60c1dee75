"""The seeded fuzzer (scripts/fuzz.py): a short run keeps the contract, and its checks do
catch what they are meant to catch. The long run is documented in the README."""

from __future__ import annotations

import random
from pathlib import Path

import fuzz
import openpyxl
import pytest

SEED = 20261203
CASES = 200


def test_a_short_seeded_run_keeps_the_contract():
    tally = fuzz.run(CASES, SEED, giant=300_000)
    assert not tally.failures, "\n".join(tally.failures)
    assert tally.total("ok") >= 10 and tally.total("refused") >= 5, tally.table()
    targets = {t for t, _, _ in tally.counts}
    assert targets == {"parse", "check", "check_notices", "check_previous", "classify",
                       "classify_stdin", "library_parse", "library_classify"}, tally.table()


def test_the_same_seed_draws_the_same_cases(tmp_path):
    pool = fuzz.seeds()
    drawn = []
    for run in ("a", "b"):
        (tmp_path / run).mkdir()
        rng = random.Random(SEED)
        cases = [fuzz.make_case(n, rng, pool, tmp_path / run, 50_000) for n in range(15)]
        drawn.append([([a.replace(f"/{run}/", "/") for a in c.args], c.mutation,
                        next(iter(c.inputs.values())).read_bytes()) for c in cases])
    assert drawn[0] == drawn[1]


def _case(tmp_path: Path, fmt: str = "json") -> fuzz.Case:
    out = tmp_path / "out"
    out.mkdir(parents=True)
    report = tmp_path / "input.txt"
    report.write_text("x", encoding="utf-8")
    return fuzz.Case(0, "check", "lines", "x", ["check", str(report)], {"report": report},
                     out / f"result.{fmt}", fmt, {})


def test_an_internal_error_fails_the_case(tmp_path):
    case = _case(tmp_path)
    err = "Traceback (most recent call last):\n  ...\nKeyError: 'x'\n"
    assert "exit 1" in fuzz.check_outcome(case, 1, err)
    assert "traceback" in fuzz.check_outcome(case, 2, err)


def test_a_refusal_must_be_one_line_naming_the_input_and_leave_nothing(tmp_path):
    case = _case(tmp_path)
    report = case.inputs["report"]
    assert fuzz.check_outcome(case, 2, f"disclosure: error: {report}: bad\n") is None
    assert "naming no input" in fuzz.check_outcome(case, 2, "disclosure: error: bad\n")
    assert "one error line" in fuzz.check_outcome(
        case, 2, f"a warning\ndisclosure: error: {report}: bad\n")
    (case.output.parent / ".result.json.tmp123").write_text("{", encoding="utf-8")
    assert "left files behind" in fuzz.check_outcome(case, 2, f"disclosure: error: {report}: x")


def test_a_half_written_or_live_output_fails_the_case(tmp_path):
    case = _case(tmp_path)
    case.output.write_text('{"schema": "disclosure.check/1", "findi', encoding="utf-8")
    assert "unreadable json" in fuzz.check_outcome(case, 0, "")
    xlsx = _case(tmp_path / "x", "xlsx")
    wb = openpyxl.Workbook()
    wb.active["A1"] = '=HYPERLINK("http://x")'  # openpyxl stores it as a formula
    wb.save(xlsx.output)
    assert "formula" in fuzz.check_outcome(xlsx, 0, "")
    csv = _case(tmp_path / "c", "csv")
    csv.output.write_text("标题\n=1+1\n", encoding="utf-8")
    assert "would run" in fuzz.check_outcome(csv, 0, "")
    csv.raw = True
    assert fuzz.check_outcome(csv, 0, "") is None


def test_accepting_a_file_past_its_size_limit_fails_the_case(tmp_path):
    case = _case(tmp_path)
    case.output.write_text("{}", encoding="utf-8")
    case.inputs["report"].write_bytes(b"x" * ((1 << 20) + 1))
    assert fuzz.check_outcome(case, 0, "") is None
    case.env = {"DISCLOSURE_MAX_REPORT_MB": "1"}
    assert "past DISCLOSURE_MAX_REPORT_MB" in fuzz.check_outcome(case, 0, "")


def test_a_crash_in_the_parser_is_found(monkeypatch):
    import nlp.report.parser

    def broken(source):
        raise KeyError("planted")

    monkeypatch.setattr(nlp.report.parser, "parse_report", broken)
    tally = fuzz.run(12, SEED, giant=50_000)
    assert tally.failures and all("KeyError" in f or "exit 2" in f or "exit 0" in f
                                  for f in tally.failures)
    assert any("KeyError" in f for f in tally.failures)


@pytest.mark.parametrize("mutation", sorted(fuzz.MUTATIONS))
def test_each_mutation_changes_a_real_fixture(mutation):
    rng = random.Random(SEED)
    for seed in fuzz.seeds():
        before = seed.data
        after = fuzz.MUTATIONS[mutation](rng, before, 10_000)
        assert isinstance(after, bytes)
        if after != before:
            return
    pytest.fail(f"{mutation} left every seed as it was")
