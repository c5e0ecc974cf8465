"""The GraphQL the UI test sends, in one place. Field names follow dagster-graphql 1.13
(.venv/lib/python3.11/site-packages/dagster_graphql/schema/)."""
from __future__ import annotations

import time

from tests.ui.devserver import DevServer, wait_until

LOCATIONS = """
{ workspaceOrError { __typename ... on Workspace { locationEntries { name loadStatus
    locationOrLoadError { __typename
      ... on RepositoryLocation { name repositories { name
          jobs { name }
          schedules { name cronSchedule executionTimezone scheduleState { id status } }
          sensors { name sensorType sensorState { status } } } }
      ... on PythonError { message } } } } } }
"""

ASSET_NODES = """
{ assetNodes { assetKey { path } groupName kinds isPartitioned partitionKeys description jobNames
    dependencyKeys { path }
    owners { __typename ... on TeamAssetOwner { team } ... on UserAssetOwner { email } }
    internalFreshnessPolicy { __typename ... on TimeWindowFreshnessPolicy { failWindowSeconds warnWindowSeconds } }
    freshnessPolicy { maximumLagMinutes }
    repository { name location { name } }
    assetChecksOrError { __typename ... on AssetChecks { checks { name blocking description } } } } }
"""

LAUNCH_RUN = """
mutation Launch($params: ExecutionParams!) { launchRun(executionParams: $params) { __typename
  ... on LaunchRunSuccess { run { runId status } }
  ... on PythonError { message stack }
  ... on RunConfigValidationInvalid { errors { message reason } }
  ... on InvalidSubsetError { message }
  ... on PipelineNotFoundError { message }
  ... on InvalidStepError { invalidStepKey }
  ... on InvalidOutputError { stepKey invalidOutputName }
  ... on RunConflict { message }
  ... on UnauthorizedError { message }
  ... on PresetNotFoundError { message }
  ... on ConflictingExecutionParamsError { message }
  ... on NoModeProvidedError { message } } }
"""

RUN = """
query Run($runId: ID!) { runOrError(runId: $runId) { __typename
  ... on Run { runId jobName status startTime endTime tags { key value }
               stepStats { stepKey status } }
  ... on RunNotFoundError { message } } }
"""

RUNS_WITH_TAG = """
query Runs($key: String!, $value: String!) { runsOrError(filter: {tags: [{key: $key, value: $value}]}) {
  __typename ... on Runs { results { runId jobName status creationTime tags { key value } } } } }
"""

SCHEDULE_TICKS = """
query Ticks($selector: ScheduleSelector!) { scheduleOrError(scheduleSelector: $selector) { __typename
  ... on Schedule { name cronSchedule scheduleState { id status ticks(limit: 10) { status timestamp runIds } } }
  ... on ScheduleNotFoundError { message } } }
"""

STOP_SCHEDULE = """
mutation Stop($id: String!) { stopRunningSchedule(id: $id) { __typename
  ... on ScheduleStateResult { scheduleState { status } }
  ... on PythonError { message } } }
"""

METADATA_ENTRIES = """
  metadataEntries { label __typename
    ... on IntMetadataEntry { intRepr }
    ... on FloatMetadataEntry { floatValue }
    ... on TextMetadataEntry { text }
    ... on MarkdownMetadataEntry { mdStr }
    ... on PathMetadataEntry { path }
    ... on JsonMetadataEntry { jsonString }
    ... on BoolMetadataEntry { boolValue }
    ... on UrlMetadataEntry { url } }
"""

MATERIALIZATIONS = """
query Materializations($key: AssetKeyInput!) { assetOrError(assetKey: $key) { __typename
  ... on Asset { assetMaterializations(limit: 5) { runId partition timestamp %s } } } }
""" % METADATA_ENTRIES

CHECK_EXECUTIONS = """
query CheckExecutions($key: AssetKeyInput!, $check: String!) {
  assetCheckExecutions(assetKey: $key, checkName: $check, limit: 10) {
    runId status evaluation { success severity %s } } }
""" % METADATA_ENTRIES

MAIN_LOCATION = "orchestration.definitions"
TEST_LOCATION = "tests.ui_schedule_location"
REPOSITORY = "__repository__"


def metadata_values(entries: list[dict]) -> dict[str, object]:
    """label -> the value of a metadata entry (ints as int)."""
    values = {}
    for e in entries:
        if "intRepr" in e:
            values[e["label"]] = int(e["intRepr"])
        else:
            values[e["label"]] = next((v for k, v in e.items() if k not in ("label", "__typename")), None)
    return values


def launch_run(server: DevServer, job: str, tags: dict[str, str], run_config: dict | None = None,
               location: str = MAIN_LOCATION) -> str:
    params = {"selector": {"repositoryLocationName": location, "repositoryName": REPOSITORY, "jobName": job},
              "executionMetadata": {"tags": [{"key": k, "value": v} for k, v in tags.items()]}}
    if run_config is not None:
        params["runConfigData"] = run_config
    result = server.graphql(LAUNCH_RUN, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", f"launchRun answered {result}"
    return result["run"]["runId"]


def run(server: DevServer, run_id: str) -> dict:
    result = server.graphql(RUN, {"runId": run_id})["runOrError"]
    assert result["__typename"] == "Run", result
    return result


FINISHED = {"SUCCESS", "FAILURE", "CANCELED"}


def wait_for_run(server: DevServer, run_id: str, timeout: float) -> dict:
    started = time.monotonic()

    def finished_run() -> dict | None:
        current = run(server, run_id)
        return current if current["status"] in FINISHED else None

    finished = wait_until(finished_run, timeout, f"run {run_id} to finish", interval=1.0,
                          on_timeout=lambda: "\n" + server.output_tail())
    finished["waited_seconds"] = time.monotonic() - started
    return finished


def latest_materialization(server: DevServer, path: list[str]) -> dict | None:
    result = server.graphql(MATERIALIZATIONS, {"key": {"path": path}})["assetOrError"]
    assert result["__typename"] == "Asset", f"{'/'.join(path)}: {result}"
    events = result["assetMaterializations"]
    return max(events, key=lambda e: float(e["timestamp"])) if events else None


def check_executions(server: DevServer, path: list[str], check: str) -> list[dict]:
    return server.graphql(CHECK_EXECUTIONS, {"key": {"path": path}, "check": check})["assetCheckExecutions"]


def markdown_table(md: str) -> list[dict[str, str]]:
    """Rows of a markdown table as dicts keyed by the header."""
    lines = [line.strip() for line in md.strip().splitlines() if line.strip().startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    return [dict(zip(header, (c.strip() for c in line.strip("|").split("|")))) for line in lines[2:]]
