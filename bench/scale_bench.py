"""Benchmark of concurrent table loads and Iceberg maintenance (prints figures; not a test).

On a generated source (N tables x R rows, see ingest_bench.py), loads everything once, then in
one run side by side:
  - a daily run with 1% of rows changed, sequential (--table_concurrency 1) and concurrent
    (--table_concurrency C), each on its own fresh 1% change; wall time and the mean fixed
    work per table by step (stepsMs);
  - K small incremental runs of one table without maintenance and of a twin table with
    maintenance after every run: data files, delete files and snapshots at the end.

  .venv/bin/python bench/scale_bench.py [--tables 30] [--rows 10000] [--concurrency 4] [--runs 8]
  (scale to 300 tables with --tables 300)

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
from ingest_bench import REPO, change, connect, generate, moto_answers, sh  # noqa: E402

sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))
import local_harness  # noqa: E402
from lake_ingest.args import JobArgs  # noqa: E402
from lake_ingest.job import JobResult, run  # noqa: E402
from lake_ingest.localconf import local_spark_conf  # noqa: E402
from lake_ingest.maintenance import file_counts  # noqa: E402
from lake_ingest.writer import FullCopy  # noqa: E402


class Bench:
    def __init__(self, spark: Any, db: str, lake_uri: str, tmp: str) -> None:
        self.spark, self.db, self.lake_uri, self.tmp = spark, db, lake_uri, tmp
        self.ddb = local_harness.ddb_client()
        self.state = f"bench-state-{db}"

    def spec(self, name: str, source: str) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": name, "source": source, "domain": "bench", "strategy": "incremental"}
        entry.update({"cursor": "updated_at", "primaryKey": ["id"]})
        return local_harness.table_spec(entry, self.lake_uri, self.db, prefix=self.db)

    def run(self, specs: list[dict[str, Any]], concurrency: int, maintenance: bool = False) -> tuple[JobResult, float]:
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        manifest = local_harness.plan_run(
            self.ddb,
            run_id=run_id,
            tier="daily",
            specs=specs,
            lake_uri=self.lake_uri,
            state_table=self.state,
            source_db=self.db,
        )
        path = os.path.join(self.tmp, f"{run_id}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        args = JobArgs(
            run_id=run_id,
            manifest_uri=path,
            jdbc_url="jdbc:mysql://127.0.0.1:3306/",
            safety_lag_seconds=1,
            table_concurrency=concurrency,
            maintenance=maintenance,
        )
        started = time.monotonic()
        result = run(self.spark, args)
        elapsed = time.monotonic() - started
        failed = [t for t in result.tables if t.status not in ("LOADED", "UNCHANGED")]
        if failed:
            raise SystemExit(f"benchmark run failed: {failed[0]}")
        return result, elapsed


def mean_steps(result: JobResult) -> str:
    keys = sorted({k for t in result.tables for k in t.stepsMs})
    n = max(1, len(result.tables))
    return ", ".join(f"{k} {sum(t.stepsMs.get(k, 0) for t in result.tables) / n:.0f} ms" for k in keys)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=30)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--runs", type=int, default=8, help="small runs for the file-count comparison")
    a = parser.parse_args()

    for key, value in {
        "LAKE_SOURCE_USER": "lake_ingest",
        "LAKE_SOURCE_PASSWORD": "lake_ingest_local",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "MOTO_PORT": "5056",
    }.items():
        os.environ.setdefault(key, value)
    os.environ["TZ"] = "UTC"
    time.tzset()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    moto_was_running = moto_answers(os.environ["MOTO_PORT"])
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")
    db = f"scale_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="scale-bench-")
    lake_uri = f"file://{tmp}/"
    generate(db, a.tables, a.rows)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("scale-bench").config("spark.ui.showConsoleProgress", "false")
    for k, v in local_spark_conf("lake", f"{lake_uri}warehouse/", jars).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    bench = Bench(spark, db, lake_uri, tmp)
    local_harness.ensure_state_table(bench.ddb, bench.state)
    names = [f"bench_{i:03d}" for i in range(a.tables)]
    specs = [bench.spec(n, n) for n in names]
    try:
        _initial, t_initial = bench.run(specs, a.concurrency)
        print(
            f"initial load of {a.tables} x {a.rows} rows: {t_initial:.1f} s (concurrency {a.concurrency})", flush=True
        )
        timings = {}
        for label, concurrency in (("sequential", 1), ("concurrent", a.concurrency)):
            time.sleep(1.5)
            change(db, a.tables, 0.01)
            time.sleep(1.5)
            result, elapsed = bench.run(specs, concurrency)
            timings[label] = elapsed
            print(f"{label:>11} (x{concurrency}): {elapsed:6.1f} s; per table: {mean_steps(result)}", flush=True)
        print(f"concurrent / sequential wall time: {timings['concurrent'] / timings['sequential']:.2f}")

        plain, kept = bench.spec("files_plain", names[0]), bench.spec("files_maintained", names[0])
        for i in range(a.runs):
            time.sleep(1.1)
            change(db, 1, 0.01)
            time.sleep(1.1)
            bench.run([plain], 1)
            bench.run([kept], 1, maintenance=True)
            print(f"file-count run {i + 1}/{a.runs} done", flush=True)
        for label, spec in (("without maintenance", plain), ("with maintenance", kept)):
            full = FullCopy(spark, "lake", spec["targetDatabase"], spec["targetTable"])
            print(f"after {a.runs + 1} runs {label:>20}: {file_counts(spark, full)}")
        return 0
    finally:
        spark.stop()
        if not moto_was_running:
            sh("moto-server.sh", "stop")
        conn = connect()
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
        conn.close()


if __name__ == "__main__":
    sys.exit(main())
