"""Facts of the real reports, read by hand from the sources (not from the parser's output).

The ``*.expected.json`` files beside the fixtures were first written from the parser's
own output and then checked in part; these assertions were read off the source files
themselves (``../shared/data/reports/`` and its README), so they check the parser
independently.
"""

from __future__ import annotations

import pytest

from nlp.parser import parse
from nlp.report import TABLE3_COLUMNS, TABLE3_ROWS

from .conftest import SHARED

REPORTS = SHARED / "data" / "reports"


def test_hongze_2023_table4_as_printed():
    # PDF page 4: "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"; narrative: 主动公开政府信息 1136 条.
    report = parse(REPORTS / "淮安市洪泽区人民政府_2023.pdf")
    assert report.total_published == 1136
    assert report.table4["review"] == {"upheld": 10, "corrected": 1, "other": 0, "pending": 0,
                                       "total": 0}
    assert report.table4["litigation_direct"] == dict.fromkeys(
        ("upheld", "corrected", "other", "pending", "total"), 0)
    assert report.table4["litigation_after_review"] == {"upheld": 5, "corrected": 0,
                                                        "other": 0, "pending": 0, "total": 0}


def test_education_2023_table4_cells_one_per_line():
    # Lines 848-960: 6 1 0 0 7 | 0 0 0 0 0 | 6 1 0 0 7.
    report = parse(REPORTS / "河北省教育厅_2023.txt")
    assert [report.table4[g][c] for g in ("review", "litigation_direct",
                                          "litigation_after_review")
            for c in ("upheld", "corrected", "other", "pending", "total")] == \
        [6, 1, 0, 0, 7, 0, 0, 0, 0, 0, 6, 1, 0, 0, 7]


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_hrss_tables_are_missing_not_zero(year):
    report = parse(REPORTS / f"河北省人力资源和社会保障厅_{year}.txt")
    assert all(report.table3[r][c] is None for r in TABLE3_ROWS for c in TABLE3_COLUMNS)
    assert "table_missing" in {i.code for i in report.issues}


@pytest.mark.parametrize("year", [2022, 2023])
def test_science_run_together_digits_are_not_guessed(year):
    report = parse(REPORTS / f"河北省科学技术厅_{year}.txt")
    unreadable = [i for i in report.issues if i.code == "table_unreadable"]
    assert unreadable
    named = {cell for i in unreadable for cell in i.cells}
    for cell in named:
        table, row, column = cell.split(".")
        if table == "table3":
            assert report.table3[row][column] is None, cell


@pytest.mark.parametrize("name", ["河北省工业和信息化厅_2020.txt", "河北省科学技术厅_2020.txt"])
def test_2020_reports_use_the_trial_format(name):
    report = parse(REPORTS / name)
    assert report.format_version == "2019"
    assert "format_2019" in {i.code for i in report.issues}
