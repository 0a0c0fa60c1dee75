# Two entry points for a fresh machine that has python3 and the package registries:
#   make demo   - the consistency report of the bundled example, written under out/
#   make test   - ruff and the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EXAMPLE_REPORT  := corpus/examples/example-report.txt
EXAMPLE_NOTICES := corpus/examples/notices-2023.csv

.PHONY: demo test lint train bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Re-install only when the project's metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed

demo: $(VENV)/.installed
	@mkdir -p out
	$(BIN)/disclosure check $(EXAMPLE_REPORT) --notices $(EXAMPLE_NOTICES) -o out/report.json
	$(BIN)/disclosure check $(EXAMPLE_REPORT) --notices $(EXAMPLE_NOTICES) -o out/report.md
	$(BIN)/disclosure check $(EXAMPLE_REPORT) --notices $(EXAMPLE_NOTICES) -o out/report.xlsx
	$(BIN)/disclosure check $(EXAMPLE_REPORT) --notices $(EXAMPLE_NOTICES) -o out/report.html --summary

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

train: $(VENV)/.installed
	$(BIN)/python scripts/train.py

bench: $(VENV)/.installed
	$(BIN)/python scripts/bench.py

clean:
	rm -rf out .pytest_cache .ruff_cache
