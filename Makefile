# Restwell — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.DEFAULT_GOAL := help
.PHONY: help run test lint format migrations messages screenshots bench scaleout clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-11s %s\n", $$1, $$2}'

$(PY):
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Restwell needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(PY)
	$(PIP) install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed ## set up and start web, worker, beat (and Redis) on http://127.0.0.1:8000
	$(PY) -m portal.launcher

test: $(VENV)/.dev-installed ## set up and run the whole test suite
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

scaleout: $(VENV)/.dev-installed ## as root: web, workers, beat, proxy, database on network namespaces; faults measured
	$(PY) bench/scaleout.py $(SCALEOUT_ARGS)

clean: ## remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
