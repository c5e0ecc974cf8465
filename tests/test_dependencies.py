"""The lock file and pyproject.toml agree: every direct pin is locked at the same version."""
import re
import tomllib

from tests.conftest import REPO


def _pins(lines) -> dict[str, str]:
    pins = {}
    for line in lines:
        found = re.match(r"\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?==([^\s;#]+)", line)
        if found:
            pins[re.sub(r"[-_.]+", "-", found.group(1)).lower()] = found.group(2)
    return pins


def test_every_pinned_dependency_is_locked_at_its_version():
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    direct = _pins(declared)
    assert len(direct) == len(declared), "every dependency is pinned exactly (==)"
    locked = _pins((REPO / "requirements.lock").read_text(encoding="utf-8").splitlines())
    assert {name: locked.get(name) for name in direct} == direct
    assert locked["dbt-core"].startswith("1.11.") and locked["duckdb"] == "1.5.6"
