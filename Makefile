# sectorplannen: the front door. `make` (or `make help`) lists the targets.
# On a fresh machine (Python 3.11, pip, make) every target first builds .venv from the lock file.

PYTHON_SYS ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
UV_VERSION := 0.13.8
KERNEL     := sectorplannen
STAMP      := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup lab lock data verify report pdf chapter bench test lint format hooks precommit clean distclean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

setup: $(STAMP) ## Create .venv from requirements.lock and register the Jupyter kernel

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv pip sync --quiet --python $(PY) --compile-bytecode requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps --compile-bytecode -e .
	$(PY) -m ipykernel install --prefix $(VENV) --name $(KERNEL) --display-name "sectorplannen (.venv)" >/dev/null
	touch $@

lab: $(STAMP) ## Open JupyterLab on notebooks/ with the project kernel; LAB_ARGS='--port 8890 --no-browser' passes options
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements-lab.lock
	$(VENV)/bin/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root) $$LAB_ARGS

lock: ## Re-resolve requirements*.lock from pyproject.toml (needs the package index; quiet unless VERBOSE=1)
	$(VENV)/bin/uv pip compile $(if $(VERBOSE),,--quiet) pyproject.toml --extra dev --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes --no-header -o requirements.lock
	$(VENV)/bin/uv pip compile $(if $(VERBOSE),,--quiet) pyproject.toml --extra dev --extra lab --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu --generate-hashes --no-header -o requirements-lab.lock

data: $(STAMP) ## Regenerate data/published/ from data/raw/ (tables, plan register, findings)
	$(PY) -m sectorplannen data

verify: $(STAMP) ## Run every consistency check; list the findings; fail on an unrecorded difference
	$(PY) -m sectorplannen verify

JOBS ?= 2

# What is typed after `make report/chapter/sweep` (NB, TRANCHE, PARAMS, GRID, JOBS, SHOW_CODE, FORCE)
# reaches the command through its environment as typed ($(value ...): make expands nothing in it, and
# no shell sees it), never pasted into the command line: PARAMS='top_n=$$(rm -rf ~)' stays text.
MAKE_INPUTS := NB TRANCHE PARAMS GRID JOBS SHOW_CODE FORCE A B
unexport $(MAKE_INPUTS)  # make would expand them to export them under their own names
$(foreach name,$(MAKE_INPUTS),$(eval report chapter sweep compare: export SECTORPLANNEN_MAKE_$(name) = $$(value $(name))))

report: $(STAMP) ## Run the chapter notebooks (papermill, JOBS=2 in parallel; only what changed) into outputs/report/
	$(PY) -m sectorplannen report --from-make

pdf: report ## Print the whole report to one PDF (headless Chromium): outputs/report/sectorplannen-reproductie.pdf
	$(PY) -m sectorplannen pdf

chapter: $(STAMP) ## Rerun one chapter: make chapter NB=uitvoering TRANCHE=3 PARAMS='exclude_plans=["Transport"]'
	$(PY) -m sectorplannen chapter --from-make

.PHONY: compare
compare: $(STAMP) ## Compare two runs of one chapter per number and table cell: make compare A=<run> B=<run> (page in outputs/report/)
	$(PY) -m sectorplannen compare --from-make

.PHONY: sweep
sweep: $(STAMP) ## Run the chapter variants of a grid on Dask: make sweep GRID=grid.yaml [DASK_SCHEDULER=tcp://host:port]
	$(PY) -m sectorplannen sweep --from-make

.PHONY: robuustheid
robuustheid: $(STAMP) ## Every claim with each plan and group of plans left out: outputs/robuustheid/ (DEELNEMERS=1: also the synthetic participant claims)
	$(PY) -m sectorplannen robuustheid --jobs $(JOBS) $(if $(DEELNEMERS),--deelnemers)

.PHONY: releases
releases: $(STAMP) ## List what runs of each real extract have shown; RESET=<key> REASON='...' starts one afresh
	$(PY) -m sectorplannen releases $(if $(RESET),--reset "$$RESET" --reason "$$REASON")

.PHONY: sync
sync: $(STAMP) ## Sync every notebook with its paired .py (jupytext: the file edited last wins)
	$(VENV)/bin/jupytext --sync notebooks/*.ipynb

bench: $(STAMP) ## Benchmark the build, the participant engine and the release record, each figure beside its target (BENCH_BEFORE=1: also the pandas path before the engine)
	$(PY) benchmarks/run_all.py --jobs $(JOBS) $(if $(BENCH_BEFORE),--before)

lint: $(STAMP) ## ruff check (code and notebooks)
	$(VENV)/bin/ruff check src tests notebooks benchmarks tools

format: $(STAMP) ## ruff format
	$(VENV)/bin/ruff format src tests tools

# The suite runs on TEST_JOBS pytest-xdist workers, which take whole test modules, longest first
# (tests/conftest.py); the whole report is built once per run and shared. `make test` runs everything
# and names the 15 slowest tests; `make test-fast` leaves out the groups marked slow (pyproject.toml).
TEST_JOBS ?= 2
PYTEST    := $(PY) -m pytest -n $(TEST_JOBS) --dist loadscope --no-loadscope-reorder
FAST_SKIP := notebook or slow
.PHONY: test-fast seeds
test: seeds $(STAMP) ## Lint, run the commit hooks on every file, run the whole test suite (TEST_JOBS=2 workers)
	$(VENV)/bin/ruff check src tests notebooks benchmarks tools
	$(MAKE) --no-print-directory precommit
	$(PYTEST) --durations=15

test-fast: seeds $(STAMP) ## The edit loop (under a minute): the test suite without its slow groups, which it names
	@echo "make test-fast: skips the groups marked notebook (chapters executed, the whole report read or rendered) and slow (the whole synthetic file, everything make data or the robustness chapter computes); make test runs them"
	$(PYTEST) -m "not ($(FAST_SKIP))"

# The claim-source tests read the source documents beside the repository: say so at once when they are not there.
seeds:
	$(if $(wildcard ../shared/seeds/*.txt),@:,$(error ../shared/seeds/ (the source documents, beside the repository) is missing or empty: the claim-source tests read it; put the shared folder next to this repository))

hooks: $(STAMP) ## Install the commit hooks into git (local hooks from .venv: nothing is downloaded)
	$(VENV)/bin/pre-commit install

precommit: $(STAMP) ## Run the commit hooks on every file (ruff, notebooks without outputs and paired, no large files)
	$(VENV)/bin/pre-commit run --all-files

clean: ## Remove outputs/ (keeps its README), the project's caches and the extracts make bench keeps in the temporary folder (.venv is left as it is)
	find outputs -mindepth 1 ! -name README.md -exec rm -rf {} +
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache "$${TMPDIR:-/tmp}/sectorplannen-bench/$(subst /,_,$(CURDIR))"

distclean: clean ## Also remove .venv
	rm -rf $(VENV)
