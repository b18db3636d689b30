# paperscope — `make help` lists the targets.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PY      := .venv/bin/python
SEED    := seeds/hf-daily-papers-sep-9.txt
CORPUS  ?= $(SEED)
# The seed's hand labels score the themes page only when the report runs on the seed.
GOLD    ?= $(if $(filter $(SEED),$(CORPUS)),seeds/seed_themes.csv)
OUT     ?= reports
ARGS    ?=

# Offline and quiet: no model download, no progress bars on stderr (they break nbval).
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1
export TOKENIZERS_PARALLELISM := false
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help setup browser test unit nbval report lab notebooks lint bench clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  \033[36m%-10s\033[0m %s\n", $$1, $$2}'

# torch first, pinned: the CPU wheel. Unpinned, sentence-transformers pulls a multi-GB CUDA build,
# and plain PyPI's torch==2.13.0 for Linux is that build: when the configured indexes have no
# +cpu wheel, it comes from PyTorch's CPU index.
.venv/.installed: pyproject.toml constraints.txt
	python3 -m venv .venv
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0+cpu 2>/dev/null \
		|| $(PY) -m pip install --quiet torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	$(PY) -m ipykernel install --sys-prefix --name paperscope --display-name "Python (paperscope)"
	touch $@

setup: .venv/.installed ## create .venv with pinned torch (CPU), paperscope[dev] and the `paperscope` Jupyter kernel

browser: ## install Debian's chromium for the browser checks when it is missing (root + apt only)
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser checks"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium is missing and cannot be installed here: the browser checks will be skipped"; fi

test: setup browser unit nbval ## everything CI runs: unit tests, browser checks, then nbval on notebooks/

unit: setup ## unit tests only (network tests deselected)
	$(PY) -m pytest -m "not network" tests

nbval: setup ## re-run the committed notebooks and compare their outputs (strict)
	$(PY) -m pytest -p no:cacheprovider --nbval --nbval-current-env --sanitize-with tests/sanitize.cfg notebooks

report: setup ## build reports/ from the seed, or CORPUS=path [GOLD=labels.csv] [ARGS="--period M --taxonomy mine.toml"]
	$(PY) -m paperscope report --corpus "$(CORPUS)" $(if $(GOLD),--gold "$(GOLD)") --out "$(OUT)" $(ARGS)

lab: setup ## open JupyterLab on notebooks/
	.venv/bin/jupyter lab notebooks/

notebooks: setup ## re-execute notebooks/ in place (after a code change; commit the outputs)
	for nb in notebooks/*.ipynb; do \
		.venv/bin/jupyter nbconvert --to notebook --execute --inplace \
			--ExecutePreprocessor.kernel_name=paperscope --ExecutePreprocessor.record_timing=False \
			"$$nb" || exit 1; done

lint: setup ## ruff
	.venv/bin/ruff check src tests benchmarks

bench: setup ## run the benchmarks (each prints ratios against a baseline run in the same process)
	for b in benchmarks/bench_*.py; do $(PY) "$$b" || exit 1; done

clean: ## remove the virtual environment, caches and reports
	rm -rf .venv reports .pytest_cache .ruff_cache
