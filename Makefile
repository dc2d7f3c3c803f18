# fazhi — the command index. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install report test test-fast lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) ## create .venv and install fazhi with its test tools

report: $(STAMP) ## build the default report (峡口镇 2023) into outputs/
	$(BIN)/fazhi report

test: $(STAMP) ## run every test: tests/unit and tests/integration (kernels, Chromium, LibreOffice, Dask)
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP) ## tests/unit only: in process, no kernel, browser or subprocess (a quick check while editing)
	$(BIN)/python -m pytest -n 2 --dist loadfile tests/unit

lint: $(STAMP) ## ruff on modules, tests, notebooks, benchmarks and scripts
	$(BIN)/ruff check fazhi_analysis tests notebooks benchmarks scripts

bench: $(STAMP) ## time `fazhi report` against the plain papermill + nbconvert CLIs
	$(BIN)/python benchmarks/report_speed.py

clean: ## remove generated outputs (not data)
	find outputs -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
