# The project's one image: the code location (default command), the webserver, the daemon, and
# every run (DockerRunLauncher starts each in a new container of this image). See the README,
# "Deploy on a server", and deploy/docker/compose.yaml.
#
#   online:   docker build -t pledges:latest .
#   offline:  pip wheel -r requirements.lock uv==0.13.9 setuptools==80.9.0 -w deploy/docker/wheels
#             (Python 3.11 on Linux x86_64, on a machine that reaches the index), then
#             docker build --network none --build-arg BASE_IMAGE=pledges-python-local:3.11 -t pledges:latest .
#             (deploy/docker/local-base-image.sh makes that base where no image registry is reachable)
# Python must be 3.11.5 or newer (soupsieve 4.x): Debian 12's own python3 (3.11.2) will not do.
ARG BASE_IMAGE=python:3.11.11-slim-bookworm

# --- build: the locked dependencies and the project in a virtualenv -------------------------
FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore UV_NO_CACHE=1
# A wheel in deploy/docker/wheels switches every install to that folder alone (no index), so an
# offline build fails loudly on a missing wheel rather than reaching out.
COPY requirements.lock /tmp/install/
COPY deploy/docker/wheels/ /tmp/install/wheels/
RUN set -eu; \
    if ls /tmp/install/wheels/*.whl >/dev/null 2>&1; then \
      echo "installing from deploy/docker/wheels only"; source="--no-index --find-links /tmp/install/wheels"; \
    else source=""; fi; \
    python3 -m pip install --quiet $source uv==0.13.9; \
    python3 -m uv venv --quiet --python "$(command -v python3)" /opt/venv; \
    python3 -m uv pip install --quiet --python /opt/venv/bin/python $source -r /tmp/install/requirements.lock; \
    echo "$source" > /tmp/install/source
COPY pyproject.toml README.md /app/
COPY scrapers /app/scrapers
COPY orchestration /app/orchestration
# Editable, like `make setup`: settings.REPO_ROOT must stay /app, beside dbt_project/ and sources/.
RUN python3 -m uv pip install --quiet --python /opt/venv/bin/python $(cat /tmp/install/source) --no-deps -e /app

# --- runtime ----------------------------------------------------------------------------------
FROM ${BASE_IMAGE}
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DAGSTER_HOME=/opt/dagster/home \
    PLEDGES_WAREHOUSE=/data/warehouse/pledges.duckdb \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false \
    DO_NOT_TRACK=1 \
    DAGSTER_DISABLE_TELEMETRY=1
RUN groupadd --system --gid 10001 pledges \
 && useradd --uid 10001 --gid pledges --create-home --home-dir /home/pledges --shell /usr/sbin/nologin pledges
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY pyproject.toml README.md /app/
COPY scrapers /app/scrapers
COPY orchestration /app/orchestration
COPY dbt_project /app/dbt_project
COPY sources /app/sources
COPY corrections /app/corrections
COPY deploy/docker/dagster.yaml deploy/docker/workspace.yaml /opt/dagster/home/
# Written at run time, so owned by the run's user: dbt's target/ and logs/, the warehouse volume
# and the instance's storage (compute logs; a volume too). The code and dagster.yaml stay root's.
RUN mkdir -p dbt_project/target dbt_project/logs /data/warehouse "$DAGSTER_HOME/storage" \
 && mkdir -p "$DAGSTER_HOME/.nux" && echo "seen: 1" > "$DAGSTER_HOME/.nux/nux.yaml" \
 && chown -R pledges:pledges dbt_project/target dbt_project/logs /data/warehouse "$DAGSTER_HOME/storage"
USER pledges
# dbt's manifest, made now so that importing the definitions never runs `dbt parse`; with the
# warehouse path set above, as at run time, so that dbt's partial parsing stays valid.
RUN python -m orchestration.manifest && test -s dbt_project/target/manifest.json
# Mount volumes on /data/warehouse and /opt/dagster/home/storage (compose.yaml does); no VOLUME
# here, which would leave an anonymous volume behind every container that mounts only one of them.
EXPOSE 3000 4000
CMD ["dagster", "api", "grpc", "-m", "orchestration.definitions", "-h", "0.0.0.0", "-p", "4000"]
