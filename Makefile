# Restwell — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrations messages screenshots bench load scaleout faults lock clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Restwell needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Every requirement is pinned with the sha256 of each of its files on PyPI (`make lock`): pip
# refuses anything else, from whichever index or wheel folder it comes.
$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet --require-hashes -r requirements-dev.txt
	@touch $@ $(VENV)/.run-installed

# The Nu HTML Checker (vnu-jar, pinned with its integrity hash in package-lock.json) for the
# HTML validity test; it runs on Java. Without npm the test says why it skips.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm not found: tests/portal/test_html_valid.py will be skipped"; fi

run: $(VENV)/.run-installed ## set up and start web, worker, beat (and Redis) on http://127.0.0.1:8000
	$(PY) -m portal.launcher

test: $(VENV)/.dev-installed node_modules/.installed ## set up and run the whole test suite
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed ## ruff, formatting, django-upgrade, import layers, bandit, migrations, deployment checks
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/bandit -q -c pyproject.toml -r accounts api articles flows portal reminders sharing tracker manage.py gunicorn.conf.py
	git ls-files -z '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	DEBUG=false SECRET_KEY=lint-only-$$(date +%s)-not-a-real-secret-key-0123456789abcdefghij \
	  ALLOWED_HOSTS=restwell.example SITE_URL=https://restwell.example \
	  $(PY) manage.py check --deploy --fail-level WARNING

format: $(VENV)/.dev-installed ## apply ruff fixes, formatting and django-upgrade
	-git ls-files -z '*.py' | xargs -0 $(VENV)/bin/django-upgrade --target-version 5.2
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations: $(VENV)/.dev-installed ## create migrations for model changes (development settings)
	DEBUG=true $(PY) manage.py makemigrations

messages: ## compile locale/en (our words for Django's form messages); needs GNU gettext
	msgfmt --check-format -o locale/en/LC_MESSAGES/django.mo locale/en/LC_MESSAGES/django.po

screenshots: $(VENV)/.dev-installed ## redraw docs/screenshots from demo data (needs Debian's chromium)
	$(PY) docs/screenshots/make_screenshots.py

bench: $(VENV)/.dev-installed ## run the benchmarks in bench/ and print their tables
	$(PY) bench/run.py

load: $(VENV)/.dev-installed ## load test: 300 seeded people, 10 → 100 users, on PostgreSQL (ARGS="--database sqlite")
	$(PY) bench/load.py $(ARGS)

# uv resolves against PyPI alone (no local configuration, no index from the environment), for
# Python 3.11 and newer on every platform, and keeps the versions already in the .txt files:
# `make lock LOCK_ARGS="--upgrade-package NAME"` moves one. Edit requirements*.in, then run this.
UV_COMPILE := env -u UV_INDEX -u UV_INDEX_URL -u UV_DEFAULT_INDEX -u UV_EXTRA_INDEX_URL \
  -u UV_FIND_LINKS $(VENV)/bin/uv pip compile --quiet --no-config --generate-hashes --universal \
  --python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)

lock: $(VENV)/.dev-installed ## pin requirements*.in, with hashes, into requirements*.txt
	$(UV_COMPILE) requirements.in -o requirements.txt
	$(UV_COMPILE) requirements-dev.in -o requirements-dev.txt

scaleout: $(VENV)/.dev-installed ## as root: web, workers, beat, proxy, database on network namespaces; faults measured
	$(PY) bench/scaleout.py $(SCALEOUT_ARGS)

faults: $(VENV)/.dev-installed ## fault runs on a private PostgreSQL/Redis/SMTP: kills, two beats, outages (FAULTS_ARGS="--scenario kill-main")
	$(PY) bench/faults.py $(FAULTS_ARGS)

clean: ## remove the virtualenv and local data (var/)
	rm -rf $(VENV) var node_modules
