"""The README's table of input limits is the one the code enforces."""

from __future__ import annotations

import gen_limits_table

from nlp.readers import limits

from .conftest import ROOT


def test_readme_limits_table_matches_the_code():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert gen_limits_table.with_table(text, limits.markdown_table()) == text, \
        "run scripts/gen_limits_table.py"


def test_every_limit_is_in_the_table_with_its_default():
    table = limits.markdown_table()
    for limit in limits.ALL:
        assert f"`{limit.env}` | {limit.default:,} {limit.unit} |" in table


def test_the_message_of_a_limit_names_what_raises_it(monkeypatch):
    monkeypatch.setenv("DISCLOSURE_MAX_DEPTH", "7")
    error = limits.DEPTH.error("r.html", "the HTML is nested deeper")
    assert str(error) == ("r.html: the HTML is nested deeper, more than the limit of 7 levels "
                          "for the nesting of HTML or JSON (raise it with the environment "
                          "variable DISCLOSURE_MAX_DEPTH)")
