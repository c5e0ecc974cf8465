"""The extractor tests need no dbt manifest: override the session-wide `dbt parse` fixture of
tests/conftest.py (it exists for the Dagster definitions) so these tests stay fast and independent."""
import pytest


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    yield None
