"""The nightly job's cost at scale: `pledges refresh` on a synthetic corpus of N pages, measured
from outside the way an operator would see it.

For each corpus size it writes N pages (`scripts/corpus.py`), then runs the real CLI on a fresh
temporary warehouse and DAGSTER_HOME, up to three times:

  full   the first refresh of the folder;
  noop   the same folder again, nothing changed;
  new    after adding 1% new pages to the folder.

and prints for each run: wall seconds, CPU seconds of the whole process tree (dbt's subprocess
and any process pool included), the peak of the tree's summed RSS (sampled from /proc about every
50 ms), pages per second, CPU milliseconds per page, whether the run published (the published file
was replaced and holds rows in main.fct_pledges) and whether every dbt test passed; then the same
figures per Dagster step, from the step start and end times the run left in its DAGSTER_HOME.

    .venv/bin/python scripts/benchmark_refresh.py --pages 1000
    .venv/bin/python scripts/benchmark_refresh.py --pages 1000,10000 --runs full,noop --json /tmp/bench.json
    .venv/bin/python scripts/benchmark_refresh.py --pages 10000 --limit-rss-gb 4 --limit-seconds 600

The CPU total of a run is the kernel's own count for the finished process tree (the rusage of
reaped children); per-step CPU comes from the samples, so a step shorter than the sampling
interval shows little. Summed RSS counts memory shared between processes (forked workers) once
per process, as `ps` would.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from corpus import write_corpus  # noqa: E402

RUNS = ("full", "noop", "new")
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


# --- the process tree, sampled from /proc ---------------------------------------------------

@dataclass
class Sample:
    at: float  # time.time(), the clock Dagster's event timestamps use
    cpu: float  # seconds: user+system of live processes in the tree, plus their reaped children
    rss: int  # bytes, summed over the live processes of the tree
    processes: int
    largest_rss: int  # bytes, the largest single process


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, cpu seconds including reaped children, rss bytes) of one process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            raw = f.read()
    except OSError:
        return None
    fields = raw[raw.rfind(b")") + 2:].split()  # the command name may hold spaces and parentheses
    # fields[0] is field 3 of proc(5): ppid 4, utime 14, stime 15, cutime 16, cstime 17, rss 24
    ticks = int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
    return int(fields[1]), ticks / CLK_TCK, int(fields[21]) * PAGE_SIZE


class TreeSampler(threading.Thread):
    """Samples a process and all its descendants every `interval` seconds until stopped.

    A process is in the tree when its parent is; new processes are found by listing /proc and
    reading the parent of each pid not seen before, so a tick reads few files."""

    def __init__(self, root: int, interval: float = 0.05, on_sample=None):
        super().__init__(daemon=True)
        self.root, self.interval, self.on_sample = root, interval, on_sample
        self.samples: list[Sample] = []
        self._stop_event = threading.Event()
        self._tree = {root}
        self._outside: set[int] = set()

    def _discover(self) -> None:
        try:
            pids = sorted(int(p) for p in os.listdir("/proc") if p.isdigit())
        except OSError:
            return
        for pid in pids:
            if pid in self._tree or pid in self._outside:
                continue
            stat = _stat(pid)
            if stat is None:
                continue
            (self._tree if stat[0] in self._tree else self._outside).add(pid)

    def sample(self) -> Sample:
        self._discover()
        cpu, rss, largest, alive = 0.0, 0, 0, 0
        for pid in list(self._tree):
            stat = _stat(pid)
            if stat is None:
                # gone, and reaped: its time is now in its parent's reaped-children count. A pid the
                # kernel gives out again later is not in the tree because it once was.
                if pid != self.root:
                    self._tree.discard(pid)
                    self._outside.add(pid)
                continue
            alive += 1
            cpu += stat[1]
            rss += stat[2]
            largest = max(largest, stat[2])
        return Sample(time.time(), cpu, rss, alive, largest)

    def run(self) -> None:
        while not self._stop_event.is_set():
            sample = self.sample()
            if sample.processes:
                self.samples.append(sample)
                if self.on_sample:
                    self.on_sample(sample)
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


# --- one run of the CLI ---------------------------------------------------------------------

@dataclass
class StepFigures:
    step: str
    status: str | None
    start: float | None
    end: float | None
    wall_s: float | None
    cpu_s: float | None
    peak_rss_bytes: int | None


@dataclass
class RunFigures:
    run: str
    pages: int  # pages in the folder
    new_pages: int  # pages added before this run
    returncode: int
    wall_s: float
    cpu_s: float
    sampled_cpu_s: float
    peak_rss_bytes: int
    largest_process_rss_bytes: int
    samples: int
    pages_per_s: float
    cpu_ms_per_page: float
    published: bool  # the published file was replaced by this run
    release: str  # published | kept (nothing new: no dbt build, the release left as it was) | not published
    fct_pledges_rows: int | None
    dbt_tests: dict = field(default_factory=dict)  # status -> count, from dbt's run_results.json
    dbt_tests_all_passed: bool = False
    checks: dict = field(default_factory=dict)  # passed / failed asset check evaluations (Dagster)
    run_id: str | None = None
    stopped: str | None = None  # why the benchmark stopped the run, if it did
    error: str | None = None
    steps: list[StepFigures] = field(default_factory=list)


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _environment(home: Path, workdir: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PLEDGES_WAREHOUSE", "PLEDGES_BUILD_DB", "PLEDGES_ALERT_WEBHOOK", "PLEDGES_REGISTRY")}
    env.update({"DAGSTER_HOME": str(home), "PLEDGES_ALERT_LOG": str(workdir / "alerts.log"),
                "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1", "DAGSTER_DISABLE_TELEMETRY": "1",
                "PYTHONPATH": os.pathsep.join([str(REPO)] + [p for p in [env.get("PYTHONPATH")] if p])})
    return env


def prepare_dagster_home(home: Path) -> None:
    """As `make` prepares one: the project's instance settings, no welcome modal."""
    (home / ".nux").mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "orchestration" / "dagster.yaml", home / "dagster.yaml")
    (home / ".nux" / "nux.yaml").write_text("seen: 1\n")


def run_refresh(corpus: Path, warehouse: Path, home: Path, workdir: Path, label: str, interval: float,
                limit_rss: int | None, limit_seconds: float | None) -> tuple[int, float, float, list[Sample], str | None]:
    """Run `pledges refresh` once; (returncode, wall, cpu, samples, why it was stopped)."""
    logs = workdir / "logs"
    logs.mkdir(exist_ok=True)
    command = [sys.executable, "-m", "orchestration.cli", "refresh", "--source-dir", str(corpus),
               "--warehouse", str(warehouse)]
    stopped: list[str] = []
    cpu_before = _child_cpu()
    started = time.time()
    with open(logs / f"{label}.out", "wb") as out, open(logs / f"{label}.err", "wb") as err:
        process = subprocess.Popen(command, cwd=REPO, env=_environment(home, workdir), stdout=out, stderr=err,
                                   start_new_session=True)  # its own group: a limit stops every process in it

        def enforce(sample: Sample) -> None:
            if stopped:
                return
            if limit_rss and sample.rss > limit_rss:
                stopped.append(f"summed RSS {sample.rss / 1e9:.2f} GB over the limit of {limit_rss / 1e9:.2f} GB")
            elif limit_seconds and sample.at - started > limit_seconds:
                stopped.append(f"still running after {limit_seconds:.0f} s")
            if stopped:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

        sampler = TreeSampler(process.pid, interval, enforce)
        sampler.start()
        try:
            returncode = process.wait()
        except KeyboardInterrupt:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
        finally:
            sampler.stop()
    wall = time.time() - started
    return returncode, wall, _child_cpu() - cpu_before, sampler.samples, (stopped[0] if stopped else None)


# --- what the run left behind ---------------------------------------------------------------

def dagster_steps(home: Path, known_runs: set[str]) -> tuple[str | None, list[dict], dict]:
    """The newest run in this DAGSTER_HOME not seen before: its id, its steps (key, status,
    start, end) in order, and its asset check evaluations passed and failed."""
    os.environ["DAGSTER_HOME"] = str(home)
    import dagster as dg

    with dg.DagsterInstance.get() as instance:
        runs = [r for r in instance.get_runs(limit=5) if r.run_id not in known_runs]
        if not runs:
            return None, [], {}
        run_id = runs[0].run_id
        steps = [{"step": s.step_key, "status": s.status.value if s.status else None, "start": s.start_time,
                  "end": s.end_time} for s in instance.get_run_step_stats(run_id)]
        checks = {"passed": 0, "failed": 0}
        records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION).records
        for record in records:
            evaluation = record.event_log_entry.dagster_event.event_specific_data
            checks["passed" if evaluation.passed else "failed"] += 1
    steps.sort(key=lambda s: (s["start"] is None, s["start"] or 0))
    return run_id, steps, checks


def dbt_test_results(run_id: str | None) -> dict:
    """Test statuses (pass, fail, warn, error, skipped) of the run's dbt build, from dbt's own
    run_results.json in the folder dagster-dbt gives each run."""
    if not run_id:
        return {}
    pattern = str(REPO / "dbt_project" / "target" / f"*-{run_id[:7]}-*" / "run_results.json")
    counts: dict[str, int] = {}
    for path in glob.glob(pattern):
        for result in json.loads(Path(path).read_text(encoding="utf-8")).get("results", []):
            if result.get("unique_id", "").startswith("test."):
                counts[result["status"]] = counts.get(result["status"], 0) + 1
    return counts


def published_rows(warehouse: Path, since: float) -> tuple[bool, int | None]:
    """Whether the published file was replaced since `since`, and its rows in main.fct_pledges."""
    if not warehouse.exists():
        return False, None
    import duckdb

    try:
        with duckdb.connect(str(warehouse), read_only=True) as conn:
            rows = conn.execute("select count(*) from main.fct_pledges").fetchone()[0]
    except duckdb.Error:
        rows = None
    return warehouse.stat().st_mtime >= since - 1 and bool(rows), rows


def _cpu_at(samples: list[Sample], at: float) -> float:
    """Tree CPU at a moment, interpolated between the samples either side."""
    if at <= samples[0].at:
        return samples[0].cpu
    for before, after in zip(samples, samples[1:]):
        if after.at >= at:
            span = after.at - before.at
            return before.cpu + (after.cpu - before.cpu) * ((at - before.at) / span if span else 1)
    return samples[-1].cpu


def step_figures(steps: list[dict], samples: list[Sample]) -> list[StepFigures]:
    out = []
    for step in steps:
        start, end = step["start"], step["end"]
        if not samples or start is None:
            out.append(StepFigures(step["step"], step["status"], start, end, None, None, None))
            continue
        end = end if end is not None else samples[-1].at
        inside = [s.rss for s in samples if start <= s.at <= end]
        if not inside:  # shorter than a sampling interval: the nearest sample
            inside = [min(samples, key=lambda s: abs(s.at - start)).rss]
        out.append(StepFigures(step["step"], step["status"], start, end, end - start,
                               max(0.0, _cpu_at(samples, end) - _cpu_at(samples, start)), max(inside)))
    return out


def measure(label: str, corpus: Path, warehouse: Path, home: Path, workdir: Path, pages: int, new_pages: int,
            known_runs: set[str], args) -> RunFigures:
    limit_rss = int(args.limit_rss_gb * 1e9) if args.limit_rss_gb else None
    returncode, wall, cpu, samples, stopped = run_refresh(corpus, warehouse, home, workdir, label, args.interval,
                                                          limit_rss, args.limit_seconds)
    started = time.time() - wall
    run_id, steps, checks = dagster_steps(home, known_runs)
    if run_id:
        known_runs.add(run_id)
    tests = dbt_test_results(run_id)
    published, rows = published_rows(warehouse, started)
    release = ("published" if published and returncode == 0 else
               "kept" if returncode == 0 and rows and not tests else "not published")
    error = None
    if returncode != 0:
        err = (workdir / "logs" / f"{label}.err").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        error = next((line for line in reversed(err) if line.startswith("pledges:")), err[-1] if err else "no output")
    return RunFigures(
        run=label, pages=pages, new_pages=new_pages, returncode=returncode, wall_s=wall, cpu_s=cpu,
        sampled_cpu_s=(samples[-1].cpu - samples[0].cpu) if samples else 0.0,
        peak_rss_bytes=max((s.rss for s in samples), default=0),
        largest_process_rss_bytes=max((s.largest_rss for s in samples), default=0), samples=len(samples),
        pages_per_s=pages / wall if wall else 0.0, cpu_ms_per_page=cpu * 1000 / pages if pages else 0.0,
        published=published and returncode == 0, release=release, fct_pledges_rows=rows, dbt_tests=tests,
        dbt_tests_all_passed=bool(tests) and set(tests) == {"pass"}, checks=checks, run_id=run_id,
        stopped=stopped, error=error, steps=step_figures(steps, samples))


# --- report ---------------------------------------------------------------------------------

def _gb(n: int | None) -> str:
    return "-" if n is None else f"{n / 1e9:.2f}"


def _num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def report(figures: RunFigures) -> str:
    f = figures
    tests = ", ".join(f"{n} {status}" for status, n in sorted(f.dbt_tests.items())) or "none found"
    verdict = "all passed" if f.dbt_tests_all_passed else "NOT all passed"
    if f.release == "kept":
        tests, verdict = "none run", "the build was skipped"
    shown = {"published": "yes", "kept": "kept as it was (nothing new)", "not published": "NO"}[f.release]
    lines = [
        f"run {f.run}: {f.pages:,} pages in the folder ({f.new_pages:,} new), exit code {f.returncode}"
        + (f", STOPPED: {f.stopped}" if f.stopped else "") + (f"\n  error: {f.error}" if f.error else ""),
        f"  wall {f.wall_s:.1f} s | cpu {f.cpu_s:.1f} s (process tree) | peak RSS {_gb(f.peak_rss_bytes)} GB "
        f"(summed; largest process {_gb(f.largest_process_rss_bytes)} GB) | {f.pages_per_s:.1f} pages/s | "
        f"{f.cpu_ms_per_page:.1f} cpu ms/page",
        f"  published: {shown} (main.fct_pledges: "
        f"{'-' if f.fct_pledges_rows is None else f'{f.fct_pledges_rows:,}'} rows) | dbt tests: {tests}"
        f" -> {verdict} | asset checks: "
        f"{f.checks.get('passed', 0)} passed, {f.checks.get('failed', 0)} failed",
        f"  {'step':<34} {'status':<8} {'wall s':>8} {'cpu s':>8} {'peak GB':>8}",
    ]
    for s in f.steps:
        lines.append(f"  {s.step:<34} {(s.status or '-'):<8} {_num(s.wall_s):>8} {_num(s.cpu_s):>8} "
                     f"{_gb(s.peak_rss_bytes):>8}")
    in_steps = sum(s.wall_s or 0 for s in f.steps)
    cpu_in_steps = sum(s.cpu_s or 0 for s in f.steps)
    lines.append(f"  {'(outside steps: start-up, manifest, summary)':<43} {f.wall_s - in_steps:>8.1f} "
                 f"{max(0.0, f.cpu_s - cpu_in_steps):>8.1f}")
    return "\n".join(lines)


# --- main -----------------------------------------------------------------------------------

def _page_counts(values: list[str]) -> list[int]:
    counts = []
    for value in values:
        for part in value.split(","):
            part = part.strip().replace("_", "")
            if part:
                count = int(float(part[:-1]) * 1000) if part.lower().endswith("k") else int(part)
                if count < 1:
                    raise argparse.ArgumentTypeError(f"--pages must be at least 1, not {part}")
                counts.append(count)
    return counts or [1000]


def _runs(value: str) -> list[str]:
    chosen = [r.strip() for r in value.split(",") if r.strip()]
    unknown = [r for r in chosen if r not in RUNS]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown run {', '.join(unknown)} (choose from {', '.join(RUNS)})")
    return [r for r in RUNS if r in chosen]  # always in the order full, noop, new


def benchmark_size(pages: int, args, workdir: Path) -> dict:
    corpus, home, warehouse = workdir / "corpus", workdir / "dagster_home", workdir / "warehouse" / "pledges.duckdb"
    for old in (corpus, home, warehouse.parent):
        if old.exists():
            shutil.rmtree(old)
    warehouse.parent.mkdir(parents=True)
    prepare_dagster_home(home)
    started = time.perf_counter()
    _, size = write_corpus(corpus, pages, args.seed)
    corpus_seconds = time.perf_counter() - started
    print(f"== {pages:,} pages (seed {args.seed}): corpus of {size / 1e6:.1f} MB written in {corpus_seconds:.1f} s "
          f"to {corpus}", flush=True)
    result = {"pages": pages, "seed": args.seed, "corpus_bytes": size, "corpus_seconds": corpus_seconds,
              "workdir": str(workdir), "runs": []}
    known_runs: set[str] = set()
    in_folder = pages
    for label in args.runs:
        new = 0
        if label == "new":
            new = max(1, pages // 100)
            write_corpus(corpus, new, args.seed, start=in_folder)
            in_folder += new
        figures = measure(label, corpus, warehouse, home, workdir, in_folder, new if label != "full" else pages,
                          known_runs, args)
        print(report(figures), flush=True)
        result["runs"].append(asdict(figures))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[1:]))
    parser.add_argument("--pages", action="append", default=[], metavar="N[,N...]",
                        help="corpus sizes, repeatable or comma-separated (default 1000; 10k is 10000)")
    parser.add_argument("--seed", type=int, default=0, help="the corpus's seed (default %(default)s)")
    parser.add_argument("--runs", type=_runs, default=list(RUNS), metavar="full,noop,new",
                        help="which runs, always in this order (default all three)")
    parser.add_argument("--keep", metavar="DIR", help="keep corpus, warehouse, DAGSTER_HOME and logs in DIR/N-pages")
    parser.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    parser.add_argument("--interval", type=float, default=0.05, help="sampling interval in seconds (default 0.05)")
    parser.add_argument("--limit-rss-gb", type=float, metavar="GB",
                        help="stop a run whose summed RSS goes over this (it is reported as stopped)")
    parser.add_argument("--limit-seconds", type=float, metavar="S", help="stop a run that takes longer than this")
    args = parser.parse_args(argv)
    try:
        args.pages = _page_counts(args.pages)
    except (ValueError, argparse.ArgumentTypeError) as exc:
        parser.error(str(exc))
    if not (REPO / "dbt_project" / "dbt_project.yml").exists():
        parser.error(f"no dbt project beside this script ({REPO})")

    results = []
    for pages in args.pages:
        if args.keep:
            workdir = Path(args.keep).resolve() / f"{pages}-pages"
            workdir.mkdir(parents=True, exist_ok=True)
            results.append(benchmark_size(pages, args, workdir))
        else:
            with tempfile.TemporaryDirectory(prefix=f"bench-refresh-{pages}-") as tmp:
                results.append(benchmark_size(pages, args, Path(tmp)))
    if args.json:
        Path(args.json).write_text(json.dumps({"repo": str(REPO), "sizes": results}, indent=2) + "\n")
        print(f"figures written to {args.json}")
    failed = [r["run"] for size in results for r in size["runs"] if r["returncode"] != 0]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
