"""scripts/benchmark_refresh.py: the process-tree sampler on a small tree of its own, then the whole
benchmark on 30 pages through the real CLI (three refreshes: each pays the job's fixed cost of
start-up, `dbt parse` and `dbt build`, which is most of this test's time)."""
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from benchmark_refresh import TreeSampler, step_figures, Sample  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def test_the_sampler_sums_the_whole_tree_and_counts_reaped_children():
    """A parent starting two children that each hold 60 MB and burn CPU: the peak is their sum
    (not the largest one), and the CPU of children that exited is still counted."""
    child = "b = bytearray(60_000_000); b[::4096] = b'x' * len(b[::4096]); import time; t = time.process_time()\n" \
            "while time.process_time() - t < 0.4: pass\ntime.sleep(0.6)"
    parent = textwrap.dedent(f"""
        import subprocess, sys, time
        procs = [subprocess.Popen([sys.executable, "-c", {child!r}]) for _ in range(2)]
        for p in procs:
            p.wait()
        time.sleep(0.3)
    """)
    process = subprocess.Popen([sys.executable, "-c", parent])
    sampler = TreeSampler(process.pid, interval=0.02)
    sampler.start()
    process.wait()
    sampler.stop()
    samples = sampler.samples
    assert max(s.processes for s in samples) == 3
    assert max(s.rss for s in samples) > 120e6  # both children at once
    assert max(s.largest_rss for s in samples) < 100e6
    assert samples[-1].cpu >= 0.7  # the two children's 0.4 s each, now in the parent's reaped count


def test_steps_get_the_cpu_and_peak_of_their_window():
    samples = [Sample(at=t, cpu=t * 0.5, rss=int(1e9) if 4 <= t <= 5 else int(1e8), processes=1, largest_rss=0)
               for t in range(11)]
    first, second = step_figures([{"step": "a", "status": "SUCCESS", "start": 1.0, "end": 3.0},
                                  {"step": "b", "status": "SUCCESS", "start": 3.5, "end": 9.0}], samples)
    assert (first.wall_s, first.cpu_s, first.peak_rss_bytes) == (2.0, 1.0, int(1e8))
    assert (second.wall_s, second.cpu_s, second.peak_rss_bytes) == (5.5, 2.75, int(1e9))


def test_benchmark_runs_full_and_noop_through_the_cli(tmp_path):
    """Two runs, not three, to keep the suite short: the 1%-new run is the full run's code path
    on a folder with more pages (its counting of new pages is tested with the corpus)."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "benchmark_refresh.py"), "--pages", "20",
                           "--seed", "5", "--runs", "full,noop", "--keep", str(tmp_path / "keep"),
                           "--json", str(tmp_path / "figures.json")],
                          capture_output=True, text=True, cwd=REPO, timeout=900)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    for run in ("full", "noop"):
        assert f"run {run}: " in out
    assert out.count("published: yes") == 1 and out.count("-> all passed") == 1
    assert "published: kept as it was (nothing new)" in out and "the build was skipped" in out
    for step in ("raw__documents", "raw__articles", "raw__pledge_mentions", "pledges_dbt_models",
                 "published_warehouse"):
        assert out.count(f"  {step} ") == 2, step

    figures = json.loads((tmp_path / "figures.json").read_text())
    full, noop = figures["sizes"][0]["runs"]
    assert (full["run"], noop["run"]) == ("full", "noop")
    assert full["published"] and full["release"] == "published" and full["dbt_tests_all_passed"]
    assert noop["release"] == "kept" and not noop["published"]
    for run in (full, noop):
        assert run["fct_pledges_rows"] > 0
        assert run["cpu_s"] > 1 and run["peak_rss_bytes"] > 50e6 and run["wall_s"] > 1
        assert abs(run["sampled_cpu_s"] - run["cpu_s"]) < 0.2 * run["cpu_s"]  # samples agree with the kernel
        assert sum(s["wall_s"] or 0 for s in run["steps"]) <= run["wall_s"]
    steps = {s["step"]: s for s in full["steps"]}
    assert steps["pledges_dbt_models"]["cpu_s"] > 0 and steps["pledges_dbt_models"]["peak_rss_bytes"] > 0
    assert {s["step"]: s["status"] for s in noop["steps"]}["published_warehouse"] == "SUCCESS"
    assert steps["pledges_dbt_models"]["wall_s"] > 5 * {s["step"]: s for s in noop["steps"]}["pledges_dbt_models"]["wall_s"]
    # --keep keeps what was measured
    kept = tmp_path / "keep" / "20-pages"
    assert len(list((kept / "corpus").iterdir())) == 20
    assert (kept / "warehouse" / "pledges.duckdb").exists()
    print(f"end-to-end benchmark test took {time.monotonic() - started:.0f} s")
