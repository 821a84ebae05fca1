"""Benchmark of the ingest job (prints figures; not a test).

On a generated source (N tables x R rows, cursor updated_at a day old), loads everything once,
changes 1% of the rows of every table, then in one run side by side:
  - the incremental load of the change (strategy incremental, lookback 10 min, real watermarks),
  - a full reload of the same tables (strategy snapshot forced to read, into separate tables),
and prints rows read per row changed and wall time of both.

  .venv/bin/python bench/ingest_bench.py [--tables 10] [--rows 100000] [--change 0.01]

Needs scripts/mariadb.sh, scripts/ingest-deps.sh and a moto server (started here if missing).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from typing import Any

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))

import local_harness  # noqa: E402
from lake_ingest.args import JobArgs  # noqa: E402
from lake_ingest.job import JobResult, run  # noqa: E402
from lake_ingest.localconf import local_spark_conf  # noqa: E402


def sh(script: str, *args: str) -> str:
    out = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", script), *args], check=True, capture_output=True, text=True
    )
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


def moto_answers(port: str) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/", timeout=2):
            return True
    except OSError:
        return False


def connect(db: str | None = None) -> Any:
    import pymysql

    return pymysql.connect(
        host="127.0.0.1",
        user=os.environ["LAKE_SOURCE_USER"],
        password=os.environ["LAKE_SOURCE_PASSWORD"],
        database=db,
        autocommit=True,
        init_command="SET time_zone = '+00:00'",
    )


def bench_env() -> None:
    """The local source user, moto's dummy credentials and UTC: what every benchmark runs under."""
    for key, value in {
        "LAKE_SOURCE_USER": "lake_ingest",
        "LAKE_SOURCE_PASSWORD": "lake_ingest_local",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
        "MOTO_PORT": "5056",  # the ingest side's port (5055: coordinator)
    }.items():
        os.environ.setdefault(key, value)
    os.environ["TZ"] = "UTC"
    time.tzset()


def teardown(spark: Any, db: str | None, moto_was_running: bool) -> None:
    """Stops Spark (it may raise when interrupted mid-run: the rest still cleans up), the moto
    server this benchmark started, and drops its generated database (db None: kept)."""
    try:
        spark.stop()
    finally:
        if not moto_was_running:
            sh("moto-server.sh", "stop")
        if db is not None:
            conn = connect()
            try:
                with conn.cursor() as cur:
                    cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
            finally:
                conn.close()


def generate(db: str, tables: int, rows: int) -> None:
    conn = connect()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{db}`")
        cur.execute(f"USE `{db}`")
        for i in range(tables):
            cur.execute(f"""CREATE TABLE bench_{i:03d} (
                id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(60) NOT NULL, amount DECIMAL(18,4) NOT NULL,
                qty INT NOT NULL, flag TINYINT(1) NOT NULL, note TEXT NULL, created_at DATETIME NOT NULL,
                updated_at DATETIME(6) NOT NULL, KEY ix_updated (updated_at))""")
            cur.execute(f"""INSERT INTO bench_{i:03d}
                SELECT seq, CONCAT('name-', seq), seq * 1.2345, seq % 1000, seq % 2, REPEAT('x', seq % 50),
                       UTC_TIMESTAMP() - INTERVAL 2 DAY, UTC_TIMESTAMP(6) - INTERVAL 1 DAY
                FROM seq_1_to_{rows}""")
    conn.close()


def change(db: str, tables: int, fraction: float) -> int:
    every = max(1, round(1 / fraction))
    changed = 0
    conn = connect(db)
    with conn.cursor() as cur:
        for i in range(tables):
            changed += cur.execute(
                f"UPDATE bench_{i:03d} SET qty = qty + 1, updated_at = UTC_TIMESTAMP(6) WHERE id % {every} = 3"
            )
    conn.close()
    return changed


def timed_run(
    spark: Any, ddb: Any, db: str, specs: list[dict[str, Any]], lake_uri: str, state: str, tmp: str, mode: str
) -> tuple[JobResult, float]:
    import json

    run_id = f"bench-{uuid.uuid4().hex[:8]}"
    manifest = local_harness.plan_run(
        ddb, run_id=run_id, tier="daily", specs=specs, lake_uri=lake_uri, state_table=state, source_db=db
    )
    path = os.path.join(tmp, f"{run_id}.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle)
    started = time.monotonic()
    result = run(
        spark,
        JobArgs(
            run_id=run_id,
            manifest_uri=path,
            jdbc_url="jdbc:mysql://127.0.0.1:3306/",
            safety_lag_seconds=1,
            merge_mode=mode,
        ),
    )
    elapsed = time.monotonic() - started
    failed = [t for t in result.tables if t.status != "LOADED"]
    if failed:
        raise SystemExit(f"benchmark run failed: {failed[0]}")
    return result, elapsed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tables", type=int, default=10)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--change", type=float, default=0.01)
    parser.add_argument("--merge-mode", default="copy-on-write", choices=["copy-on-write", "merge-on-read"])
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    a = parser.parse_args()

    bench_env()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    moto_was_running = moto_answers(os.environ["MOTO_PORT"])
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")

    db = f"bench_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="ingest-bench-")
    lake_uri = f"file://{tmp}/"
    state = f"bench-state-{db}"
    ddb = local_harness.ddb_client()

    t0 = time.monotonic()
    generate(db, a.tables, a.rows)
    print(f"generated {a.tables} tables x {a.rows} rows in {time.monotonic() - t0:.1f} s", flush=True)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("ingest-bench").config("spark.ui.showConsoleProgress", "false")
    for k, v in local_spark_conf("lake", f"{lake_uri}warehouse/", jars).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")

    names = [f"bench_{i:03d}" for i in range(a.tables)]
    inc = [
        local_harness.table_spec(
            {"name": n, "domain": "bench", "strategy": "incremental", "cursor": "updated_at", "primaryKey": ["id"]},
            lake_uri,
            db,
            prefix=db,
        )
        for n in names
    ]
    full = [
        local_harness.table_spec(
            {"name": f"{n}_full", "source": n, "domain": "bench", "strategy": "snapshot", "primaryKey": ["id"]},
            lake_uri,
            db,
            prefix=db,
        )
        for n in names
    ]
    try:
        initial, t_initial = timed_run(spark, ddb, db, inc, lake_uri, state, tmp, a.merge_mode)
        print(
            f"initial load: {sum(t.rowsRead for t in initial.tables)} rows in {t_initial:.1f} s ({a.merge_mode})",
            flush=True,
        )
        time.sleep(1.5)  # let the safety lag pass the initial load's high-water mark
        changed = change(db, a.tables, a.change)
        time.sleep(1.5)
        incr, t_incr = timed_run(spark, ddb, db, inc, lake_uri, state, tmp, a.merge_mode)
        reload, t_full = timed_run(spark, ddb, db, full, lake_uri, state, tmp, a.merge_mode)
        read_incr = sum(t.rowsRead for t in incr.tables)
        read_full = sum(t.rowsRead for t in reload.tables)
        total = a.tables * a.rows
        # sanity: the incremental full copies hold every source row once, with the change applied
        lake_rows = sum(spark.read.table(f"lake.`{db}_bench`.`{n}`").count() for n in names)
        lake_changed = sum(
            spark.read.table(f"lake.`{db}_bench`.`{n}`")
            .where(f"id % {max(1, round(1 / a.change))} = 3 AND qty = (id % 1000) + 1")
            .count()
            for n in names
        )
        print()
        print(f"source: {a.tables} tables x {a.rows} rows = {total} rows; changed {changed} ({changed / total:.2%})")
        print(f"{'':28}{'incremental':>14}{'full reload':>14}")
        print(f"{'rows read':28}{read_incr:>14}{read_full:>14}")
        print(f"{'rows read per row changed':28}{read_incr / changed:>14.2f}{read_full / changed:>14.2f}")
        print(f"{'wall time (s)':28}{t_incr:>14.1f}{t_full:>14.1f}")
        print(f"{'wall time per table (s)':28}{t_incr / a.tables:>14.2f}{t_full / a.tables:>14.2f}")
        print(
            f"speedup of incremental over full reload: {t_full / t_incr:.1f}x wall time, {read_full / max(1, read_incr):.0f}x fewer rows read"
        )
        print(
            f"check: lake rows {lake_rows} (source {total}); changed rows visible in the lake {lake_changed} of {changed}"
        )
        return 0 if lake_rows == total and lake_changed == changed else 1
    finally:
        teardown(spark, None if a.keep else db, moto_was_running)


if __name__ == "__main__":
    sys.exit(main())
