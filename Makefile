# Two commands on a fresh machine: `make serve` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install serve test test-services bench clean

# Re-install whenever the dependency list changes.
$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

serve: install
	$(BIN)/vidora serve

test: install
	$(BIN)/python -m pytest -n auto -q

# The app's tests again on PostgreSQL and a Redis broker with a real Celery worker (CI starts both
# servers; see .ci/run). One process: test workers would share the Redis queue.
PG_URL ?= postgres://vidora:vidora@127.0.0.1:5432/vidora
REDIS_URL ?= redis://127.0.0.1:6379/15
test-services: install
	DATABASE_URL=$(PG_URL) CELERY_BROKER_URL=$(REDIS_URL) $(BIN)/python -m pytest -q -p no:xdist tests/app

bench: install
	$(BIN)/python benchmarks/world_throughput.py

clean:
	rm -rf $(VENV) out var .pytest_cache
