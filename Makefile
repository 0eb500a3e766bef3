# Two commands on a fresh machine: `make demo` and `make test`. Each bootstraps its own
# virtualenv (.venv) and, for tests, the Node-based Cypher linter (tools/cypher-lint).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
LINT_STAMP := tools/cypher-lint/node_modules/.installed

.PHONY: demo test lint typecheck cypher-lint pytest venv clean docs

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q api graph loaders queries > /dev/null
	rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

$(LINT_STAMP): tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

demo: $(STAMP)
	$(BIN)/clausegraph demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

cypher-lint: $(STAMP) $(LINT_STAMP)
	$(BIN)/python tools/lint_cypher.py

pytest: $(STAMP) $(LINT_STAMP)
	$(BIN)/python -m pytest

test: lint typecheck cypher-lint pytest

clean:
	rm -rf $(VENV) tools/cypher-lint/node_modules clausegraph.db out

docs: $(STAMP)
	$(BIN)/typer api.cli utils docs --name clausegraph --output docs/cli.md
	$(BIN)/python tools/gen_gap_rules_doc.py

# Benchmarks (docs/performance.md): ratios measured in one run. `bench` is the small scale
# (1,000 AI systems, about a minute); `bench-full` runs 1k, 10k and 100k (long: run it alone).
# The API bench uses wrk when installed (Debian: apt-get install -y wrk), else a Python client.
.PHONY: bench bench-full
bench: $(STAMP)
	$(BIN)/python -m bench.run --scales 1000 --api-seconds 10

bench-full: $(STAMP)
	$(BIN)/python -m bench.run --scales 1000 10000 100000 --api-seconds 60
