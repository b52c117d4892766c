# Two commands set everything up: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PORT ?= 8000
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Python keeps what it compiled (__pycache__, and pytest its rewritten test modules) even where the
# shell says not to: every test worker, server and command the suite starts would otherwise
# compile the project again (pytest's collection alone takes 6.5 s instead of 3 s).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: worker scheduler demo test test-fast coverage install lint check messages clean bench-excel bench-dtsen screenshots serve bench-load bench-pages bench-lighthouse bench-offline

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when a requirements file changed, so a second run is quick. Nothing compiled at
# install (half its time): Python compiles a module the first time it is imported and keeps it.
$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-compile -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# Tasks run at once in the demo (DJANGO_TASKS_BACKEND=immediate while debugging); the scheduler
# runs beside the server for the periodic ones (digests, reminders, retries, housekeeping).
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py run_scheduler > .scheduler.log 2>&1 & scheduler=$$!; \
		trap "kill $$scheduler" EXIT INT TERM; \
		$(BIN)/python manage.py demo_server 127.0.0.1:$(PORT)

# Production: settings from the environment (DJANGO_DEBUG=false, DJANGO_SECRET_KEY, DATABASE_URL,
# DJANGO_ALLOWED_HOSTS...; see docs/deploy.md), static files collected, gunicorn on 127.0.0.1:$(PORT).
serve: install
	$(BIN)/python manage.py check --deploy --fail-level WARNING
	$(BIN)/python manage.py collectstatic --noinput -v 0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	PORT=$(PORT) $(BIN)/gunicorn -c metro_slum/gunicorn.conf.py metro_slum.wsgi

# Beside `make serve` (settings from the same environment): the background tasks' worker and the
# scheduler of periodic jobs (docs/deploy.md).
worker: install
	DJANGO_TASKS_BACKEND=database $(BIN)/python manage.py db_worker --interval 2

scheduler: install
	DJANGO_TASKS_BACKEND=database $(BIN)/python manage.py run_scheduler

# The whole suite on every core (pytest-xdist), in a random order (pytest-randomly; the seed is
# printed first: PYTEST_ARGS="-p randomly --randomly-seed=N" repeats it). SQLite unless
# DATABASE_URL names a PostgreSQL server; .ci/run runs every test on PostgreSQL too.
TEST_WORKERS ?= auto
# On SQLite each worker's test database is built from the models (`--nomigrations`: a second, not
# the migrations' twenty) and what data migrations write is put back (tests/conftest.py); on
# PostgreSQL (.ci/run) by the migrations, as the office's database is.
MIGRATIONS ?= $(if $(findstring postgres,$(DATABASE_URL)),--migrations,--nomigrations)
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(MIGRATIONS)
test: install
	$(PYTEST) $(PYTEST_ARGS)

# The inner loop: no browser, no test that starts a server or another program.
test-fast: install
	$(PYTEST) -m "not browser and not process" $(PYTEST_ARGS)

# Line coverage of the application (not the tests) by the whole suite, across the workers.
coverage: install
	$(PYTEST) --cov --cov-report=term:skip-covered --cov-report=html:.coverage-html $(PYTEST_ARGS)

lint: install
	$(BIN)/python -m ruff check .
	$(BIN)/python -m ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# Refresh the Indonesian catalogue after changing user-facing strings (needs GNU gettext).
messages: install
	$(BIN)/python manage.py makemessages --locale id --ignore "$(VENV)/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale id --ignore "$(VENV)/*"

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .coverage .coverage-html

# Excel export/import speed against django-import-export's defaults, on a database of its own.
BENCH_DB ?= .bench/bench.sqlite3
bench-excel: install
	mkdir -p $(dir $(BENCH_DB))
	DATABASE_URL=sqlite:///$(abspath $(BENCH_DB)) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(abspath $(BENCH_DB)) $(BIN)/python manage.py bench_excel $(BENCH_ARGS)

# The DTSEN list import: 10,000 rows previewed and confirmed (seconds, peak memory).
bench-dtsen: install
	mkdir -p $(dir $(BENCH_DB))
	DATABASE_URL=sqlite:///$(abspath $(BENCH_DB)) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(abspath $(BENCH_DB)) $(BIN)/python manage.py bench_dtsen $(BENCH_ARGS)

# The user guide's screenshots (docs/img/), taken from a fresh demo in Chromium (/usr/bin/chromium).
SHOTS_DB ?= .bench/screenshots.sqlite3
SHOTS_PORT ?= 8123
screenshots: install
	mkdir -p $(dir $(SHOTS_DB)) && rm -f $(SHOTS_DB)
	DATABASE_URL=sqlite:///$(abspath $(SHOTS_DB)) $(BIN)/python manage.py migrate --noinput -v 0
	DATABASE_URL=sqlite:///$(abspath $(SHOTS_DB)) $(BIN)/python manage.py createcachetable
	DATABASE_URL=sqlite:///$(abspath $(SHOTS_DB)) $(BIN)/python manage.py load_demo > /dev/null
	DATABASE_URL=sqlite:///$(abspath $(SHOTS_DB)) $(BIN)/python manage.py runserver \
		127.0.0.1:$(SHOTS_PORT) --noreload > .bench/screenshots-server.log 2>&1 & server=$$!; \
		trap "kill $$server" EXIT; sleep 4; \
		$(BIN)/python docs/screenshots.py http://127.0.0.1:$(SHOTS_PORT) docs/img

# 20 users for 120 s against gunicorn and a throwaway PostgreSQL (root, like .ci/run).
bench-load: install
	benchmarks/run-load.sh $(or $(USERS),20) $(or $(SECONDS),120)

# Pages at a province's size on a throwaway PostgreSQL (PARTICIPANTS=1000000 REPEAT=7 by default).
bench-pages: install
	benchmarks/run-pages.sh $(or $(PARTICIPANTS),1000000) $(or $(REPEAT),7)

# 50 monitoring visits with camera photos queued on a 360 px phone offline, then synced in one go
# (seconds, bytes moved), in Chromium against a fresh demo.
bench-offline: install
	$(BIN)/python benchmarks/offline.py $(or $(VISITS),50)

# Lighthouse (mobile) accessibility and best practices of the key pages, on a fresh demo: the
# portal as `make demo` serves it, the admin grant list as `make serve` does (needs npx).
bench-lighthouse: install
	$(BIN)/python benchmarks/lighthouse.py
