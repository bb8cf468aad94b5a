# The two commands the README promises on a fresh machine:
#   make demo   set up, then run the main job
#   make test   set up, then run every check and test (ruff, mypy, pytest)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.lattice-installed
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION ?= 20
export PIP_DISABLE_PIP_VERSION_CHECK = 1

.PHONY: setup tools browser demo test lint typecheck pytest bench docs knowledge clean

tools:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || \
	  { echo "Lattice needs Python >= 3.11 as '$(PYTHON)' (set PYTHON=/path/to/python3.11)."; exit 1; }
	@command -v node >/dev/null 2>&1 || \
	  { echo "Lattice needs Node.js >= 20: aws-cdk-lib runs on jsii, which runs on Node. Install Node.js 20 or newer (e.g. 'apt-get install nodejs') and run make again."; exit 1; }
	@node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || \
	  { echo "Lattice needs Node.js >= 20; 'node' is $$(node --version)."; exit 1; }

$(STAMP): pyproject.toml constraints/lowest.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]' -c constraints/lowest.txt
	touch $(STAMP)

# The CDK CLI (npx aws-cdk synth), local to the project.
node_modules/.installed: package.json
	npm install --no-audit --no-fund --silent
	touch $@

setup: tools $(STAMP) node_modules/.installed

demo: setup
	$(BIN)/python examples/demo.py out/demo

lint: setup
	$(BIN)/ruff check src tests examples benchmarks scripts action
	$(BIN)/ruff format --check src tests examples benchmarks scripts action
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

# Headless Chromium: the HTML report's tests look at it in a real browser (they fail,
# never skip, without it). Debian's package, installed once (25 s measured here).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_CHROMIUM := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium
browser:
	@command -v chromium >/dev/null 2>&1 || $(APT_CHROMIUM) || \
	  { $(SUDO) apt-get update && $(APT_CHROMIUM); } || \
	  { echo "make browser: could not install Chromium; install Debian's 'chromium' package and run make again."; exit 1; }

pytest: setup browser
	$(BIN)/pytest

test: lint typecheck pytest

# Speed, measured as ratios against a baseline in the same run (not part of make test).
bench: setup
	$(BIN)/python benchmarks/bench_check.py
	$(BIN)/python benchmarks/bench_diff.py
	$(BIN)/python benchmarks/bench_guard.py
	$(BIN)/python benchmarks/bench_constructs.py

# docs/rules.md is generated from the rule registries (a test keeps it current).
docs: setup
	$(BIN)/python -m lattice_cdk.checker.docs --write docs/rules.md
	$(BIN)/python -m lattice_cdk.checker.docs --write-checker docs/checker.md

# cfn/data/knowledge.json is generated from cfn-lint's data, the CDK service spec and
# cfn/data/stateful_facts.json (a test fails when they drift apart).
knowledge: setup
	$(BIN)/python scripts/gen_knowledge.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
