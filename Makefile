# The two commands: `make run` (demo site on http://127.0.0.1:8000) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup migrate lint worker clean bench

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[test]"
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

migrate: setup
	@mkdir -p var
	$(PY) manage.py migrate --noinput -v0

# The dev server with a task worker and the periodic jobs beside it, so mail is delivered and scheduled
# pages go live with no extra step; both stop when the server does.
run: migrate
	$(PY) manage.py seed_demo --show-passwords
	@echo "Serving http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/; mail is printed here)"
	@$(PY) manage.py db_worker --interval 1 --no-startup-delay & worker=$$!; \
	  $(PY) manage.py periodic --loop 60 & periodic=$$!; \
	  trap 'kill $$worker $$periodic 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

# The benchmark (bench/run.py): fresh bench data on SQLite and PostgreSQL, the site and the floor under
# gunicorn, wrk on every page; writes docs/performance.md. BENCH_ARGS="--duration 3s --rounds 1" is quicker.
bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

lint: setup
	$(VENV)/bin/ruff check .

worker: migrate
	$(PY) manage.py db_worker

clean:
	rm -rf $(VENV) var
