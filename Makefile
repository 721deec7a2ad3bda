# Development tasks. `make run` on a new machine sets everything up and starts the CMS with demo
# content; `make test` runs the tests. Production does not use this file: see README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install the dependencies only when pyproject.toml changes.
STAMP := $(VENV)/.installed-pyproject
HOST ?= 127.0.0.1
PORT ?= 8000

# Everything here is development: without DEBUG the settings insist on production secrets.
export DEBUG := true

.DEFAULT_GOAL := help
.PHONY: help setup run demo test lint format schema seed bench bench-images chromium

help: ## Show this list
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed; set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

var:
	mkdir -p var

# Development settings for running manage.py by hand; real environment variables win.
.env:
	printf '# Local development settings (not committed); see README.md, Configuration.\nDEBUG=true\n' > .env

setup: $(STAMP) var .env ## Create .venv, install dependencies, migrate the database
	$(BIN)/python manage.py migrate --no-input

demo: setup ## Load the demo content (and the admin / newsroom login)
	$(BIN)/python manage.py demo

run: demo ## Set everything up and run the CMS on http://127.0.0.1:8000
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) chromium ## Run the tests (SQLite, or DATABASE_URL if set)
	$(BIN)/pytest $(PYTEST_ARGS)

# The browser tests drive Debian's chromium, never a browser downloaded by Playwright. A missing
# one is installed with apt-get when we are root (as in CI); otherwise, outside CI, the browser
# tests skip and say why, and in CI (CI set) they fail.
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
chromium:
	@test -x $(CHROMIUM) || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			export DEBIAN_FRONTEND=noninteractive; \
			{ apt-get update -qq && apt-get install -y -qq chromium >/dev/null; } || \
				{ [ -z "$$CI" ] || exit 1; echo "Could not install chromium: browser tests skip"; }; \
		else \
			echo "No chromium at $(CHROMIUM) and no root/apt-get to install it: browser tests skip"; \
		fi; }

lint: $(STAMP) ## Check style and common mistakes
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## Fix style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

schema: $(STAMP) ## Export the GraphQL schema to schema.graphql
	$(BIN)/python manage.py export_schema cms.schema --path schema.graphql

seed: setup ## Fill the database with a large archive (SEED_ARGS="--articles 100000 --authors 2000 --images 20000")
	$(BIN)/python manage.py seed $(SEED_ARGS)

bench: setup ## Time the API against hand-written views (BENCH_ARGS="--http --json bench.json")
	$(BIN)/python manage.py bench $(BENCH_ARGS)

bench-images: $(STAMP) ## Time renditions against naive Pillow (about 4 min; BENCH_ARGS="-n 5")
	$(BIN)/python manage.py bench_renditions $(BENCH_ARGS)
