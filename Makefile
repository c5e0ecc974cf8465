# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
export DAGSTER_HOME := $(CURDIR)/.dagster_home
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: setup run test dev manifest clean

setup: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml manifest

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -e '.[test]'
	touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)/.nux
	cp orchestration/dagster.yaml $@
	echo "seen: 1" > $(DAGSTER_HOME)/.nux/nux.yaml

manifest: $(VENV)/.installed
	$(BIN)/python -m orchestration.manifest

run: setup
	$(BIN)/pledges refresh

test: setup
	$(BIN)/pytest

dev: setup
	$(BIN)/dagster dev -m orchestration.definitions -h 127.0.0.1 -p 3000

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) dbt_project/target dbt_project/logs warehouse/build warehouse/exports warehouse/*.duckdb
