# fazhi — the command index. `make help` lists the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: help install report test lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' --config-settings editable_mode=compat
	touch $(STAMP)

install: $(STAMP) ## create .venv and install fazhi with its test tools

report: $(STAMP) ## build the default report (峡口镇 2023) into outputs/
	$(BIN)/fazhi report

test: $(STAMP) ## run the whole test suite (kernel and browser tests included)
	$(BIN)/python -m pytest -n 2 --dist loadfile

lint: $(STAMP) ## ruff on modules, tests and notebooks
	$(BIN)/ruff check fazhi_analysis tests notebooks benchmarks

bench: $(STAMP) ## time `fazhi report` against the plain papermill + nbconvert CLIs
	$(BIN)/python benchmarks/report_speed.py

clean: ## remove generated outputs (not data)
	find outputs -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
