# Two commands for a newcomer: `make run` and `make test`. Both set everything up first.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Overridable (make dev DAGSTER_HOME=/abs/path DEV_PORT=3001): the UI test starts `make dev` this way.
DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export DAGSTER_HOME
DEV_PORT ?= 3000
DEV_LOCATIONS ?= -m orchestration.definitions
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: setup run test dev docs manifest browser postgres clean

setup: $(VENV)/.installed $(DAGSTER_HOME)/dagster.yaml manifest

# Every package at the version in requirements.lock (the transitive set, tested together), then
# the project itself without letting it pull anything else.
$(VENV)/.installed: pyproject.toml requirements.lock
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

$(DAGSTER_HOME)/dagster.yaml: orchestration/dagster.yaml
	mkdir -p $(DAGSTER_HOME)/.nux
	cp orchestration/dagster.yaml $@
	echo "seen: 1" > $(DAGSTER_HOME)/.nux/nux.yaml

manifest: $(VENV)/.installed
	$(BIN)/python -m orchestration.manifest

run: setup
	$(BIN)/pledges refresh

test: setup browser postgres
	$(BIN)/pytest -n 2 --dist loadfile

# dbt's documentation site (lineage, column descriptions, tests, exposures) as one offline page,
# warehouse/docs/index.html; its column types come from the build file of `make run`.
docs: setup
	$(BIN)/python -m orchestration.docs

dev: setup
	$(BIN)/dagster dev $(DEV_LOCATIONS) -h 127.0.0.1 -p $(DEV_PORT)

# Headless Chromium for the UI test (Debian's package), installed when missing.
browser:
	@command -v chromium >/dev/null || { echo "installing chromium (apt) for the UI test"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q chromium >/dev/null || \
	  { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q >/dev/null && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q chromium >/dev/null; }; }

# PostgreSQL's server for the deployment tests (Debian's package), installed when missing; the
# tests start their own cluster on 127.0.0.1 and stop it.
postgres:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { echo "installing postgresql (apt) for the deployment tests"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q postgresql >/dev/null || \
	  { $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get update -q >/dev/null && \
	    $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q postgresql >/dev/null; }; }

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) dbt_project/target dbt_project/logs warehouse/build warehouse/exports warehouse/*.duckdb
