"""docs/rules.md is generated from the rule table and must be kept in sync with it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

from nlp.report.rules import RULES

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "gen_rules_doc.py"
DOC = ROOT / "docs" / "rules.md"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_rules_doc", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_rules_md_is_in_sync_with_the_table():
    rendered = load_generator().render()
    assert DOC.exists(), "docs/rules.md is missing: run scripts/gen_rules_doc.py"
    assert DOC.read_text(encoding="utf-8") == rendered, (
        "docs/rules.md is out of date: run .venv/bin/python scripts/gen_rules_doc.py")


def test_every_rule_id_and_issue_code_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for rule in RULES:
        assert f"| `{rule.id}` | {rule.severity.value} |" in text, rule.id
    for code in ("header_text_deviates", "blank_cell", "table_missing", "table_unreadable",
                 "format_2019", "section_missing"):
        assert f"| `{code}` |" in text, code


def test_check_mode_detects_a_stale_page(tmp_path):
    gen = load_generator()
    gen.DOC = tmp_path / "rules.md"
    gen.DOC.write_text("stale\n", encoding="utf-8")
    assert gen.main(["--check"]) == 1
    assert gen.main([]) == 0
    assert gen.main(["--check"]) == 0


def test_script_runs_from_the_command_line():
    done = subprocess.run([sys.executable, str(SCRIPT), "--check"], capture_output=True,
                          text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
