# Development tasks. `make run` on a new machine sets everything up and starts the CMS with demo
# content; `make test` runs the tests. Production does not use this file: see README.md.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Re-install the dependencies only when pyproject.toml changes.
STAMP := $(VENV)/.installed-pyproject
HOST ?= 127.0.0.1
PORT ?= 8000
NPM := $(shell command -v npm 2>/dev/null)

# Everything here is development: without DEBUG the settings insist on production secrets.
export DEBUG := true

.DEFAULT_GOAL := help
.PHONY: help setup run demo test lint format schema seed bench bench-images chromium site site-build

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

test: $(STAMP) chromium $(if $(NPM),site-build) ## Run the tests (SQLite, or DATABASE_URL if set)
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

# The example site (examples/site, Next.js): `npm ci` when its lock file changes, `npm run build`
# (GraphQL codegen against schema.graphql, then next build) when its sources or the schema
# change. `make test` builds it when npm is installed (NPM, at the top), for its end-to-end test.
SITE := examples/site
SITE_PORT ?= 3000
SITE_WEBHOOK_SECRET ?= whsec_development-only-example-site
SITE_SOURCES := $(shell find $(SITE)/src -type f -not -path '$(SITE)/src/gql/*' 2>/dev/null) \
	$(SITE)/package.json $(SITE)/codegen.ts $(SITE)/next.config.ts $(SITE)/tsconfig.json schema.graphql

$(SITE)/node_modules/.package-lock.json: $(SITE)/package-lock.json
	@test -n "$(NPM)" || { echo "The example site needs Node.js 20.9 or newer, with npm"; exit 1; }
	cd $(SITE) && npm ci --no-audit --no-fund
	touch $@

$(SITE)/.next/BUILD_ID: $(SITE)/node_modules/.package-lock.json $(SITE_SOURCES)
	cd $(SITE) && npm run build

site-build: $(SITE)/.next/BUILD_ID

site: demo site-build ## Run the CMS with demo content, its webhook worker and the example site on :3000
	$(BIN)/python manage.py register_queries $(SITE)/src/gql/persisted-documents.json --client site
	$(BIN)/python manage.py webhook_endpoint http://$(HOST):$(SITE_PORT)/api/revalidate/ \
		--secret $(SITE_WEBHOOK_SECRET) --description "Example site (development)"
	@# The CMS may have changed while the site was stopped: start from fresh answers.
	rm -rf $(SITE)/.next/cache/fetch-cache
	@echo "CMS: http://$(HOST):$(PORT)/admin/ (admin / newsroom)   Site: http://$(HOST):$(SITE_PORT)/   Ctrl-C stops all"
	@export FRONTEND_URL=http://$(HOST):$(SITE_PORT); pids=""; \
	trap 'kill $$pids 2>/dev/null; wait' INT TERM EXIT; \
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT) & pids="$$pids $$!"; \
	$(BIN)/python manage.py deliver_webhooks & pids="$$pids $$!"; \
	(cd $(SITE) && CMS_URL=http://$(HOST):$(PORT) CMS_WEBHOOK_SECRET=$(SITE_WEBHOOK_SECRET) \
		NEXT_TELEMETRY_DISABLED=1 exec node_modules/.bin/next start --hostname $(HOST) --port $(SITE_PORT)) & \
	pids="$$pids $$!"; wait

bench-images: $(STAMP) ## Time renditions against naive Pillow (about 4 min; BENCH_ARGS="-n 5")
	$(BIN)/python manage.py bench_renditions $(BENCH_ARGS)
