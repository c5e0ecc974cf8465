"""The container deployment's files agree with each other (CI runs no Docker; README: "Deploy on a
server"): the instance config is one Dagster accepts, its run launcher starts runs on the network
and with the volumes compose.yaml creates, and gets every variable it passes on."""
import re

import yaml
from dagster._core.instance.config import dagster_instance_config
from dagster._serdes import ConfigurableClassData
from dagster_docker import DockerRunLauncher

from tests.conftest import REPO

DEPLOY = REPO / "deploy" / "docker"
POSTGRES_VARS = {f"DAGSTER_POSTGRES_{part}" for part in ("HOST", "PORT", "USER", "PASSWORD", "DB")}


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def _instance(tmp_path, monkeypatch) -> dict:
    for name in POSTGRES_VARS:
        monkeypatch.setenv(name, "5432" if name.endswith("PORT") else "x")
    (tmp_path / "dagster.yaml").write_text((DEPLOY / "dagster.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    config, _ = dagster_instance_config(str(tmp_path))
    return config


def test_the_instance_keeps_runs_in_postgres_and_launches_each_in_a_container(tmp_path, monkeypatch):
    config = _instance(tmp_path, monkeypatch)
    db = config["storage"]["postgres"]["postgres_db"]
    assert db["scheme"] == "postgresql+psycopg2"
    assert {value["env"] for key, value in db.items() if isinstance(value, dict)} == POSTGRES_VARS
    assert config["concurrency"] == {"runs": {"max_concurrent_runs": 1}, "pools": {"default_limit": 1}}

    launcher_config = config["run_launcher"]
    launcher = ConfigurableClassData(launcher_config["module"], launcher_config["class"],
                                     yaml.safe_dump(launcher_config["config"])).rehydrate(DockerRunLauncher)
    assert isinstance(launcher, DockerRunLauncher)
    # the run containers reach the same database and write the same warehouse as the services
    assert POSTGRES_VARS | {"PLEDGES_WAREHOUSE"} <= set(launcher.env_vars)


def test_compose_creates_what_the_run_launcher_names(tmp_path, monkeypatch):
    launcher = _instance(tmp_path, monkeypatch)["run_launcher"]["config"]
    compose = _compose()
    services = compose["services"]

    assert launcher["network"] in {network["name"] for network in compose["networks"].values()}
    volume_names = {volume["name"] for volume in compose["volumes"].values()}
    mounts = dict(volume.split(":", 1) for volume in launcher["container_kwargs"]["volumes"])
    assert set(mounts) <= volume_names
    assert mounts["pledges-warehouse"] == "/data/warehouse"
    assert services["daemon"]["environment"]["PLEDGES_WAREHOUSE"].startswith("/data/warehouse/")

    # the daemon launches, the webserver stops runs: both need the Docker socket and its group,
    # and every variable the launcher passes on must be set where it runs
    for name in ("daemon", "webserver"):
        assert "/var/run/docker.sock:/var/run/docker.sock" in services[name]["volumes"]
        assert services[name]["group_add"]
        assert set(launcher["env_vars"]) <= set(services[name]["environment"])
    # the runs use the code location's own image, which the code server announces
    code = services["code"]
    assert code["environment"]["DAGSTER_CURRENT_IMAGE"] == code["image"]
    assert all(services[name]["image"] == code["image"] for name in ("webserver", "daemon"))
    # the UI only on the host's loopback
    assert all(port.startswith("127.0.0.1:") for port in services["webserver"]["ports"])


def test_webserver_and_daemon_load_the_code_service_the_image_starts(tmp_path):
    location = yaml.safe_load((DEPLOY / "workspace.yaml").read_text(encoding="utf-8"))["load_from"][0]["grpc_server"]
    code_env = _compose()["services"]["code"]["environment"]
    assert code_env[location["host"]["env"]] == "code"
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    command = re.search(r'^CMD \[(.*)\]$', dockerfile, re.M).group(1)
    assert '"-m", "orchestration.definitions"' in command
    assert f'"-p", "{code_env[location["port"]["env"]]}"' in command
    # runs are not root's: the last USER before CMD is the project's own
    assert re.findall(r"^USER (\S+)$", dockerfile, re.M)[-1] == "pledges"
