"""Mutated real reports never crash the parser: it returns a Report or raises InputError.

The mutations are the damage real scraping does: lines lost or duplicated, table
lines out of order, digits changed, the text cut short, noise inserted.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.errors import InputError
from nlp.readers.reports import Source, read_report
from nlp.report.model import TABLE3_COLUMNS, TABLE3_ROWS, Report
from nlp.report.parser import parse_report

CASES = Path(__file__).parent / "data" / "reports"
# The real reports: the example and the Chinese-named files copied from the shared folder.
REAL = sorted(p for p in CASES.iterdir() if p.suffix in (".txt", ".pdf")
              and (p.name[0] > "z" or p.name.startswith("example")))
TEXTS = [read_report(p).text for p in REAL]
SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _check(text: str) -> None:
    try:
        report = parse_report(Source(text, [], "mutated.txt", "text", "utf-8"))
    except InputError:
        return
    assert isinstance(report, Report)
    data = report.to_dict()  # must serialise
    assert set(data["table3"]) == set(TABLE3_ROWS)
    for row in data["table3"].values():
        assert set(row) == set(TABLE3_COLUMNS)
        assert all(v is None or (isinstance(v, (int, float)) and v >= 0) for v in row.values())


@st.composite
def mutated(draw) -> str:
    lines = draw(st.sampled_from(TEXTS)).split("\n")
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["delete", "duplicate", "shuffle", "digits", "noise",
                                   "truncate"]))
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "shuffle":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "digits":
            lines[i] = "".join(draw(st.sampled_from("0123456789０七—")) if ch.isdigit() else ch
                               for ch in lines[i])
        elif op == "noise":
            lines.insert(i, draw(st.text(alphabet=st.characters(
                codec="utf-8", exclude_categories=("Cs",)), max_size=80)))
        else:
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
            del lines[i + 1:]
    return "\n".join(lines)


@SETTINGS
@given(mutated())
def test_mutated_reports_parse_or_raise_input_error(text: str) -> None:
    _check(text)


@SETTINGS
@given(st.sampled_from(TEXTS), st.integers(0, 20000), st.integers(0, 20000))
def test_any_slice_of_a_report_parses(text: str, a: int, b: int) -> None:
    _check(text[min(a, b):max(a, b)])


@SETTINGS
@given(st.text(alphabet="一二三四五六、（）()总计规章行政许可0123456789\t\n —/无条件信息发布",
               max_size=400))
def test_table_like_noise_parses(text: str) -> None:
    _check(text)


def test_a_5mb_report_parses() -> None:
    """A report padded to 5 MB is read like the original (its time: scripts/bench_parse.py)."""
    base = (CASES / "example-report.txt").read_text(encoding="utf-8")
    filler = "（三）政府信息管理方面。我办严格落实制度，共发布通知 3 份，召开会议 2 次。\n"
    heading = "五、存在的主要问题及改进情况"
    big = base.replace(heading, filler * (5_000_000 // len(filler.encode())) + heading)
    assert len(big.encode()) > 5_000_000
    report = parse_report(Source(big, [], "big.txt", "text", "utf-8"))
    assert report.total_published == 74
