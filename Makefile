# Two commands on a fresh machine: `make serve` (the main job) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: install serve test bench clean

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

bench: install
	$(BIN)/python benchmarks/world_throughput.py

clean:
	rm -rf $(VENV) out var .pytest_cache
