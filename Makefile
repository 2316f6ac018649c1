# Two commands on a fresh machine: `make run` and `make test` (see README).
# DATABASE_URL=postgres://... switches both to PostgreSQL; the default is SQLite.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000


.PHONY: data-dictionary run test test-fast lint format migrations-check messages install system-deps \
        migrate seed admin-user bench eval-search backup restore clean e2e-deps fonts \
        api-schema-check ftm-bench

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e '.[dev]'
	@touch $(STAMP)

install: system-deps $(STAMP)

# System libraries: gettext (compilemessages), Pango (WeasyPrint's PDF dossiers),
# Chromium (browser tests). Installed once, only what is missing.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	ldconfig -p | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0"; \
	pkg-config --exists icu-uc 2>/dev/null || missing="$$missing libicu-dev pkg-config g++"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install:$$missing (apt-get)"; fi; \
	fi

e2e-deps:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Install Debian's chromium to run the browser tests"; fi; }

messages: install
	DEBUG=1 $(MANAGE) compilemessages --ignore=.venv -v 0

migrate: install messages
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput -v 0

# The seed records are loaded once: a second `make run` keeps what researchers changed.
seed: migrate
	@DEBUG=$${DEBUG:-1} $(MANAGE) shell --no-imports -c "import sys; from sources.models import Source; sys.exit(0 if Source.objects.exists() else 1)" \
	  && echo "Seed records already loaded." \
	  || DEBUG=$${DEBUG:-1} $(MANAGE) loaddata seed -v 1

run: seed
	@echo "Serving the archive on http://$(HOST):$(PORT)/ (admin: http://$(HOST):$(PORT)/admin/, make admin-user to get an account)"
	DEBUG=$${DEBUG:-1} $(MANAGE) runserver $(HOST):$(PORT)

# Creates a staff account in the reviewer group and prints how to sign in, at the address
# `make run` serves (HOST, PORT) or, when set, SITE_URL (where the site is really served).
admin-user: migrate
	DEBUG=$${DEBUG:-1} $(MANAGE) create_staff_user $${NAME:-researcher} --group $${GROUP:-reviewer} \
	  --url "$${SITE_URL:-http://$(HOST):$(PORT)}"

test: install e2e-deps messages
	STATIC_MANIFEST=0 SECRET_KEY=$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(40))')} \
	  $(VENV)/bin/pytest -q -rs $(PYTEST_ARGS)

test-fast: install
	DEBUG=1 $(VENV)/bin/pytest -m "not e2e" -x $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# schemathesis against the OpenAPI description of a running dev server (`make run`):
# bounded, finds any server error or answer that breaks /api/schema/ (bench/api_schema_check.sh).
api-schema-check: install
	bash bench/api_schema_check.sh $${API_URL:-http://$(HOST):$(PORT)}

# The FollowTheMoney export's peak memory at growing sizes (bench/ftm_bench.py).
ftm-bench: install
	$(PY) bench/ftm_bench.py $(FTM_BENCH_ARGS)

# docs/data-dictionary.md from the import resources (a test fails when it is stale).
data-dictionary: install
	DEBUG=1 $(MANAGE) data_dictionary

migrations-check: install
	DEBUG=1 $(MANAGE) makemigrations --check --dry-run

# One dated archive of the database and media in BACKUP_DIR; its path is the last line.
# Encrypted to BACKUP_KEY (docs/security.md); without a key it is refused unless DEBUG=1
# (so DEBUG is not defaulted to 1 here, as it is for running the site).
backup: install
	@$(MANAGE) backup

# Into the empty database DATABASE_URL names, decrypted with the secret key in BACKUP_KEY:
# make restore FILE=backups/archive-....tar.gz.age
restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=backups/archive-....tar.gz.age"; exit 2; }
	DEBUG=$${DEBUG:-1} $(MANAGE) restore "$(FILE)"
	DEBUG=$${DEBUG:-1} $(MANAGE) migrate --noinput -v 0

# People-search recall per query kind on SQLite and, when a server answers, PostgreSQL.
eval-search: install
	$(PY) bench/eval_search.py $(EVAL_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Builds (or reuses) a 1,000,000-victim PostgreSQL database archive_bench and a 100,000-victim
# SQLite one of synthetic records, loads each from 127.0.0.1 and prints one table (bench/run.py).
bench: install messages
	$(PY) bench/run.py --save docs/benchmarks.md $(BENCH_ARGS)
