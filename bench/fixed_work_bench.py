"""Benchmark of the fixed work per table (prints figures; not a test).

On a generated source (N tables x R rows, see ingest_bench.py), loads everything once, then
runs the same incremental tables one after another (--table_concurrency 1, so the steps do not
share the cores) twice: unchanged (no row moved since the load) and with 1% of rows changed.
Prints the mean milliseconds per step of the job's stepsMs for both, and the wall time.

  .venv/bin/python bench/fixed_work_bench.py [--tables 10] [--rows 10000] [--repeat 1]

Needs scripts/mariadb.sh, scripts/ingest-deps.sh and a moto server (started here if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
import uuid
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from ingest_bench import REPO, bench_env, change, generate, moto_answers, sh, teardown  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))
import local_harness  # noqa: E402
from lake_ingest.args import JobArgs  # noqa: E402
from lake_ingest.job import JobResult, run  # noqa: E402
from lake_ingest.localconf import local_spark_conf  # noqa: E402


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def local_spark(app: str, lake_uri: str, jars: str) -> Any:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName(app).config("spark.ui.showConsoleProgress", "false")
    for k, v in local_spark_conf("lake", f"{lake_uri}warehouse/", jars).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def run_job(
    spark: Any,
    ddb: Any,
    db: str,
    state: str,
    lake_uri: str,
    tmp: str,
    specs: list[dict[str, Any]],
    **job_args: Any,
) -> tuple[JobResult, float]:
    """One job run over specs (leases taken as the coordinator would); fails on a failed table."""
    run_id = f"bench-{uuid.uuid4().hex[:8]}"
    manifest = local_harness.plan_run(
        ddb, run_id=run_id, tier="daily", specs=specs, lake_uri=lake_uri, state_table=state, source_db=db
    )
    path = os.path.join(tmp, f"{run_id}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle)
    args = JobArgs(
        run_id=run_id, manifest_uri=path, jdbc_url="jdbc:mysql://127.0.0.1:3306/", safety_lag_seconds=1, **job_args
    )
    started = time.monotonic()
    result = run(spark, args)
    elapsed = time.monotonic() - started
    failed = [t for t in result.tables if t.status not in ("LOADED", "UNCHANGED")]
    if failed:
        raise SystemExit(f"benchmark run failed: {failed[0]}")
    return result, elapsed


def mean_steps(results: list[JobResult]) -> dict[str, float]:
    tables = [t for r in results for t in r.tables]
    keys = sorted({k for t in tables for k in t.stepsMs})
    n = max(1, len(tables))
    return {k: sum(t.stepsMs.get(k, 0) for t in tables) / n for k in keys}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=10)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs of each kind (the means are over all)")
    a = parser.parse_args()
    bench_env()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    moto_was_running = moto_answers(os.environ["MOTO_PORT"])
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")
    db = f"fixed_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="fixed-work-bench-")
    lake_uri = f"file://{tmp}/"
    state = f"bench-state-{db}"
    generate(db, a.tables, a.rows)
    spark = local_spark("fixed-work-bench", lake_uri, jars)
    ddb = local_harness.ddb_client()
    local_harness.ensure_state_table(ddb, state)
    entries = [
        {"name": f"bench_{i:03d}", "domain": "bench", "strategy": "incremental", "cursor": "updated_at"}
        for i in range(a.tables)
    ]
    specs = [local_harness.table_spec({**e, "primaryKey": ["id"]}, lake_uri, db, prefix=db) for e in entries]
    try:
        _, t_initial = run_job(spark, ddb, db, state, lake_uri, tmp, specs, table_concurrency=1)
        print(f"initial load of {a.tables} x {a.rows} rows: {t_initial:.1f} s", flush=True)
        figures: dict[str, tuple[dict[str, float], float]] = {}
        for label, fraction in (("unchanged", 0.0), ("1% changed", 0.01)):
            results, wall = [], 0.0
            for _ in range(a.repeat):
                time.sleep(1.5)  # past the safety lag of the previous run's high mark
                if fraction:
                    change(db, a.tables, fraction)
                    time.sleep(1.5)
                result, elapsed = run_job(spark, ddb, db, state, lake_uri, tmp, specs, table_concurrency=1)
                results.append(result)
                wall += elapsed
            figures[label] = (mean_steps(results), wall / a.repeat / a.tables)
        print(f"\nmean ms per table and step ({a.tables} tables x {a.rows} rows, sequential; {load_average()})")
        steps = sorted({k for means, _ in figures.values() for k in means})
        print(f"{'step':>14}" + "".join(f"{label:>14}" for label in figures))
        for step in steps:
            print(f"{step:>14}" + "".join(f"{means.get(step, 0):>14.0f}" for means, _ in figures.values()))
        print(f"{'sum':>14}" + "".join(f"{sum(means.values()):>14.0f}" for means, _ in figures.values()))
        print(f"{'wall / table':>14}" + "".join(f"{per_table * 1000:>14.0f}" for _, per_table in figures.values()))
        return 0
    finally:
        teardown(spark, db, moto_was_running)


if __name__ == "__main__":
    sys.exit(main())
