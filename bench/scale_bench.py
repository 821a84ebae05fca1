"""Benchmark of the ingest job at the source's real scale (prints figures; not a test).

On a generated source (N tables x R rows, cursor updated_at a day old, generated in MariaDB by
INSERT ... SELECT from its sequence engine), loads everything once (an incremental full
copy of every table, a snapshot full copy of the sampled ones), then side by side in one run, each run on its
own fresh change of the source:
  - daily, sequential: the incremental tables, --table_concurrency 1, 1% of rows changed;
  - daily, full reload: the snapshot tables (they read every row), concurrency C, 1% changed,
    against the same incremental tables at concurrency C;
  - 15-minute tier: the first F incremental tables, concurrency C, 0.1% changed (a 15-minute
    share of a day's changes);
  - daily, concurrent: the N incremental tables, --table_concurrency C, 1% changed;
  - with --sweep 2,4,16: the sampled tables once more at each of those concurrencies (which pool
    size pays on this machine); --sweep 4,1 ends with the sequential run again, on a warm JVM
    (the first sequential run also pays for compiling Spark's generated code: the summary then
    compares against the warm one).
Each run also reports the share of the machine's cores busy while it ran (/proc/stat): near
100%, the run is bound by the CPU and more tables at once cannot make it faster.
With --sample-tables K the sequential and full-reload runs (and their incremental twin) take the
first K tables only (a loaded machine cannot run 300 tables one by one in an evening); the
summary then compares per table and says so.
and the fixed work per table by step (stepsMs, mean over the tables of each run). Every figure
is printed with the load average at the time (the machine is shared). With --json the figures
are written as JSON (also after each run, so a cut run keeps what it measured); `lake plan
--measured <file>` derives the Glue cost per day from them (cli/measured.ts reads the format).

  .venv/bin/python bench/scale_bench.py [--tables 300] [--rows 10000] [--concurrency 8]
      [--fast-tables 30] [--sample-tables K] [--skip sequential,fast,full] [--sweep 2,4,16]
      [--merge-mode copy-on-write|merge-on-read] [--json out.json]

Needs scripts/mariadb.sh, scripts/ingest-deps.sh and a moto server (started here if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from ingest_bench import REPO, bench_env, change, generate, moto_answers, sh, teardown  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))
import local_harness  # noqa: E402
from lake_ingest.args import JobArgs  # noqa: E402
from lake_ingest.job import JobResult, run  # noqa: E402
from lake_ingest.localconf import local_spark_conf  # noqa: E402

FORMAT = "lake-scale-bench/1"  # the JSON's "format"; cli/measured.ts checks it


@dataclass
class MeasuredRun:
    """One timed run of the job, as written to the JSON."""

    label: str
    tier: str
    strategy: str
    tables: int
    rowsPerTable: int  # noqa: N815 (JSON field names)
    changeFraction: float  # noqa: N815
    concurrency: int
    wallSeconds: float  # noqa: N815
    rowsRead: int  # noqa: N815
    loadAverage: list[float]  # noqa: N815 (1, 5 and 15 minutes, when the run ended)
    cpuBusy: float  # noqa: N815 (share of all cores busy during the run, from /proc/stat: 1.0 = saturated)
    stepsMsMean: dict[str, float]  # noqa: N815 (mean milliseconds per table and step)
    durationMsMean: float  # noqa: N815 (mean of the tables' own durations)


@dataclass
class Report:
    format: str
    measuredAt: str  # noqa: N815
    cores: int
    tables: int
    rowsPerTable: int  # noqa: N815
    concurrency: int
    mergeMode: str  # noqa: N815
    runs: list[MeasuredRun] = field(default_factory=list)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot (the first line of /proc/stat)."""
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(x) for x in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def busy_share(before: tuple[int, int], after: tuple[int, int]) -> float:
    """Share of the machine's cores busy between two cpu_ticks() readings."""
    total = after[1] - before[1]
    return round((after[0] - before[0]) / total, 3) if total > 0 else 0.0


def load_text(load: list[float]) -> str:
    return f"load {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}"


class Bench:
    def __init__(self, spark: Any, db: str, lake_uri: str, tmp: str, merge_mode: str) -> None:
        self.spark, self.db, self.lake_uri, self.tmp = spark, db, lake_uri, tmp
        self.merge_mode = merge_mode  # set on each full copy when the initial load creates it
        self.ddb = local_harness.ddb_client()
        self.state = f"bench-state-{db}"

    def spec(self, name: str, source: str, strategy: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": name, "source": source, "domain": "bench", "strategy": strategy}
        entry["primaryKey"] = ["id"]
        if strategy == "incremental":
            entry["cursor"] = "updated_at"
        return local_harness.table_spec(entry, self.lake_uri, self.db, prefix=self.db)

    def run(self, specs: list[dict[str, Any]], concurrency: int, tier: str) -> tuple[JobResult, float, float]:
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        manifest = local_harness.plan_run(
            self.ddb,
            run_id=run_id,
            tier=tier,
            specs=specs,
            lake_uri=self.lake_uri,
            state_table=self.state,
            source_db=self.db,
        )
        if len(manifest["tables"]) != len(specs):
            raise SystemExit(f"run {run_id}: leased {len(manifest['tables'])} of {len(specs)} tables")
        path = os.path.join(self.tmp, f"{run_id}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        args = JobArgs(
            run_id=run_id,
            manifest_uri=path,
            jdbc_url="jdbc:mysql://127.0.0.1:3306/",
            safety_lag_seconds=1,
            table_concurrency=concurrency,
            merge_mode=self.merge_mode,
        )
        ticks = cpu_ticks()
        started = time.monotonic()
        result = run(self.spark, args)
        elapsed = time.monotonic() - started
        busy = busy_share(ticks, cpu_ticks())
        failed = [t for t in result.tables if t.status not in ("LOADED", "UNCHANGED")]
        if failed:
            raise SystemExit(f"benchmark run failed: {failed[0]}")
        return result, elapsed, busy


def mean_steps(result: JobResult) -> dict[str, float]:
    keys = sorted({k for t in result.tables for k in t.stepsMs})
    n = max(1, len(result.tables))
    return {k: round(sum(t.stepsMs.get(k, 0) for t in result.tables) / n, 1) for k in keys}


def steps_text(steps: dict[str, float]) -> str:
    return ", ".join(f"{k} {v:.0f} ms" for k, v in steps.items())


def measured(
    label: str,
    tier: str,
    strategy: str,
    fraction: float,
    concurrency: int,
    rows: int,
    res: JobResult,
    wall: float,
    busy: float,
) -> MeasuredRun:
    n = max(1, len(res.tables))
    return MeasuredRun(
        label=label,
        tier=tier,
        strategy=strategy,
        tables=len(res.tables),
        rowsPerTable=rows,
        changeFraction=fraction,
        concurrency=concurrency,
        wallSeconds=round(wall, 2),
        rowsRead=sum(t.rowsRead for t in res.tables),
        loadAverage=load_average(),
        cpuBusy=busy,
        stepsMsMean=mean_steps(res),
        durationMsMean=round(sum(t.durationMs for t in res.tables) / n, 1),
    )


def print_run(m: MeasuredRun) -> None:
    print(
        f"{m.label:>24}: {m.tables} tables x{m.concurrency} in {m.wallSeconds:7.1f} s "
        f"({m.wallSeconds / max(1, m.tables):.2f} s/table wall, {m.durationMsMean / 1000:.2f} s/table own), "
        f"rows read {m.rowsRead}; cores busy {m.cpuBusy:.0%}; {load_text(m.loadAverage)}",
        flush=True,
    )
    print(f"{'':>26}per table by step: {steps_text(m.stepsMsMean)}", flush=True)


def write_json(path: str | None, report: Report) -> None:
    if path is None:
        return
    tmp = f"{path}.tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        json.dump(asdict(report), handle, indent=2)
        handle.write("\n")
    os.replace(tmp, path)


def summary(report: Report) -> None:
    """The goals, per table where the runs differ in table count (a sample: extrapolated)."""
    by = {m.label: m for m in report.runs}
    # A sequential run after the others (--sweep ...,1) runs on a warm JVM (Spark's generated code
    # compiled): the fair comparison, when measured.
    warm = by.get("daily sample x1 again") or by.get("daily sample x1")
    seq, conc = warm or by.get("daily sequential"), by.get("daily concurrent")
    twin = by.get("daily concurrent sample", conc)
    full = by.get("daily full reload")
    print()
    if seq and (conc or twin):
        whole = conc or twin
        assert whole is not None
        per_seq, per_conc = seq.wallSeconds / seq.tables, whole.wallSeconds / whole.tables
        sampled = seq.tables < whole.tables
        estimate = (
            f" (sequential of {seq.tables} tables extrapolated: {per_seq * whole.tables:.0f} s)" if sampled else ""
        )
        ratio = per_conc / per_seq
        goal = "met" if ratio <= 0.25 else "not met"
        which = "warm sequential (after the other runs)" if seq is warm else "sequential"
        print(f"concurrent / {which} wall time per table: {ratio:.2f} (goal <= 0.25: {goal}){estimate}")
    if twin and full:
        speedup = full.wallSeconds / twin.wallSeconds
        goal = "met" if speedup >= 5 else "not met"
        print(
            f"incremental speedup over full reload ({full.tables} tables x{full.concurrency}): {speedup:.1f}x "
            f"(goal >= 5x: {goal})"
        )
    fast = by.get("15-minute tier")
    if fast:
        print(f"15-minute tier, {fast.tables} tables: {fast.wallSeconds:.1f} s of its 900 s window")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=300)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--fast-tables", type=int, default=30, help="tables of the 15-minute tier run")
    parser.add_argument("--change", type=float, default=0.01, help="share of rows changed before a daily run")
    parser.add_argument("--fast-change", type=float, default=0.001, help="share changed before the 15-minute run")
    parser.add_argument(
        "--sample-tables",
        type=int,
        default=0,
        help="tables of the sequential and full-reload runs (default: all); fewer when the machine is too slow",
    )
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated runs to leave out: sequential, fast (the 15-minute tier), full (the full reload)",
    )
    parser.add_argument(
        "--sweep",
        default="",
        help="comma-separated table concurrencies to run the sample at as well (e.g. 2,4,16): which pool size pays",
    )
    parser.add_argument(
        "--merge-mode",
        choices=("copy-on-write", "merge-on-read"),
        default="copy-on-write",
        help="the full copies' merge mode (the tier's mergeMode)",
    )
    parser.add_argument("--json", help="write the figures to this file (also after each run)")
    a = parser.parse_args()
    if a.fast_tables > a.tables:
        parser.error(f"--fast-tables {a.fast_tables} is more than --tables {a.tables}")
    skip = {s for s in a.skip.split(",") if s}
    if skip - {"sequential", "fast", "full"}:
        parser.error(f"--skip {a.skip}: only sequential, fast and full can be left out")

    try:
        sweep = [int(x) for x in a.sweep.split(",") if x]
    except ValueError:
        parser.error(f"--sweep {a.sweep}: expected whole numbers separated by commas")
    if any(level < 1 for level in sweep):
        parser.error(f"--sweep {a.sweep}: every concurrency is at least 1")

    bench_env()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    moto_was_running = moto_answers(os.environ["MOTO_PORT"])
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")
    db = f"scale_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="scale-bench-")
    lake_uri = f"file://{tmp}/"
    report = Report(
        format=FORMAT,
        measuredAt=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        cores=os.cpu_count() or 0,
        tables=a.tables,
        rowsPerTable=a.rows,
        concurrency=a.concurrency,
        mergeMode=a.merge_mode,
    )
    started = time.monotonic()
    generate(db, a.tables, a.rows)
    print(
        f"generated {a.tables} tables x {a.rows} rows in {time.monotonic() - started:.1f} s; "
        f"{report.cores} cores, {load_text(load_average())}",
        flush=True,
    )

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("scale-bench").config("spark.ui.showConsoleProgress", "false")
    for k, v in local_spark_conf("lake", f"{lake_uri}warehouse/", jars).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    bench = Bench(spark, db, lake_uri, tmp, a.merge_mode)
    local_harness.ensure_state_table(bench.ddb, bench.state)
    names = [f"bench_{i:03d}" for i in range(a.tables)]
    incremental = [bench.spec(n, n, "incremental") for n in names]
    snapshot = [bench.spec(f"{n}_full", n, "snapshot") for n in names]
    sample = min(a.sample_tables or a.tables, a.tables)
    try:
        setup = incremental + ([] if "full" in skip else snapshot[:sample])
        initial, t_initial, busy_initial = bench.run(setup, a.concurrency, "daily")
        first = measured(
            "initial load",
            "daily",
            "incremental and snapshot",
            1.0,
            a.concurrency,
            a.rows,
            initial,
            t_initial,
            busy_initial,
        )
        report.runs.append(first)
        print_run(first)
        write_json(a.json, report)
        # The comparisons first (a loaded machine may not finish the long run), the whole tier last.
        plan: list[tuple[str, str, list[dict[str, Any]], int, float]] = []
        if "sequential" not in skip:
            plan.append(("daily sequential", "daily", incremental[:sample], 1, a.change))
        for i, level in enumerate(sweep):  # a level given twice is labelled apart (e.g. 1 again: warm-up)
            again = " again" if level in sweep[:i] else ""
            plan.append((f"daily sample x{level}{again}", "daily", incremental[:sample], level, a.change))
        if sample < a.tables:  # the sequential run's and the full reload's twin: the same sample
            plan.append(("daily concurrent sample", "daily", incremental[:sample], a.concurrency, a.change))
        if "full" not in skip:
            plan.append(("daily full reload", "daily", snapshot[:sample], a.concurrency, a.change))
        if "fast" not in skip:
            plan.append(("15-minute tier", "every_15_min", incremental[: a.fast_tables], a.concurrency, a.fast_change))
        plan.append(("daily concurrent", "daily", incremental, a.concurrency, a.change))
        for label, tier, specs, concurrency, fraction in plan:
            time.sleep(1.5)  # past the safety lag of the previous run's high-water mark
            change(db, len(specs), fraction)
            time.sleep(1.5)
            result, elapsed, busy = bench.run(specs, concurrency, tier)
            strategy = specs[0]["strategy"]
            m = measured(label, tier, strategy, fraction, concurrency, a.rows, result, elapsed, busy)
            report.runs.append(m)
            print_run(m)
            write_json(a.json, report)
        summary(report)
        return 0
    finally:
        try:
            teardown(spark, db, moto_was_running)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
