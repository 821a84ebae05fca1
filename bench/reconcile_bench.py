"""Benchmark of reconciliation (prints figures; not a test).

One generated table of N rows with a one-column key and no cursor, and a keyless copy of it.
Both are loaded once; then for 0, 10 and 10,000 changed rows (half updates, half deletes, spread
evenly over the key range) the same run compares side by side:
  - reconcile (mode repair, skipLoad): key ranges, bisection, re-read of the differing leaves
    (the keyless table: one whole-table aggregate, replaced when it differs);
  - a full reload: CHECKSUM TABLE and a read of every row, replacing the whole full copy (what a
    snapshot table did before the range gate; its watermark is reset so it always reloads).
Figures: source rows scanned (rows the source's engine read: the aggregates' ranges, CHECKSUM
TABLE, re-reads), rows transferred (rows sent over JDBC into Spark), wall time.

  .venv/bin/python bench/reconcile_bench.py [--rows 1000000] [--changes 0,10,10000]

Needs scripts/mariadb.sh, scripts/ingest-deps.sh and a moto server (started here if missing).
"""

from __future__ import annotations

import argparse
import json
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
from lake_ingest.job import TableResult, run  # noqa: E402
from lake_ingest.localconf import local_spark_conf  # noqa: E402


def sh(script: str, *args: str) -> str:
    out = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", script), *args], check=True, capture_output=True, text=True
    )
    lines = out.stdout.strip().splitlines()
    return lines[-1] if lines else ""


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


def generate(db: str, rows: int) -> None:
    conn = connect()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        cur.execute(f"USE `{db}`")
        columns = (
            "id BIGINT UNSIGNED NOT NULL, name VARCHAR(60) NOT NULL, amount DECIMAL(18,4) NOT NULL, "
            "qty INT NOT NULL, ratio DOUBLE NULL, note TEXT NULL, created_at DATETIME(6) NOT NULL"
        )
        cur.execute(f"CREATE TABLE keyed ({columns}, PRIMARY KEY (id))")
        cur.execute(f"CREATE TABLE keyless ({columns})")
        cur.execute(f"""INSERT INTO keyed SELECT seq, CONCAT('name-', seq), seq * 1.2345, seq % 1000, seq / 7,
            REPEAT('x', seq % 50), '2024-01-01' + INTERVAL seq SECOND FROM seq_1_to_{rows}""")
        cur.execute("INSERT INTO keyless SELECT * FROM keyed")
    conn.close()


def change(db: str, table: str, rows: int, count: int) -> None:
    """count rows of table: every step-th id, alternately updated and deleted."""
    if count == 0:
        return
    step = max(2, rows // count)
    conn = connect(db)
    with conn.cursor() as cur:
        # offset by count, so each round changes rows the earlier rounds left alone
        cur.execute(f"UPDATE {table} SET qty = qty + 1 WHERE id % {step} = {count % step} AND (id DIV {step}) % 2 = 0")
        cur.execute(f"DELETE FROM {table} WHERE id % {step} = {count % step} AND (id DIV {step}) % 2 = 1")
    conn.close()


class Bench:
    def __init__(self, spark: Any, db: str, lake_uri: str, tmp: str) -> None:
        self.spark, self.db, self.lake_uri, self.tmp = spark, db, lake_uri, tmp
        self.ddb = local_harness.ddb_client()
        self.state = f"bench-state-{db}"

    def spec(self, name: str, source: str, keyed: bool, reconcile: bool = False) -> dict[str, Any]:
        entry: dict[str, Any] = {"name": name, "source": source, "domain": "bench", "strategy": "snapshot"}
        if keyed:
            entry["primaryKey"] = ["id"]
        spec = local_harness.table_spec(entry, self.lake_uri, self.db, prefix=self.db)
        if reconcile:
            spec["reconcile"] = {"mode": "repair", "skipLoad": True, "repairAlertRows": 0}
        return spec

    def run(self, spec: dict[str, Any]) -> tuple[TableResult, float]:
        run_id = f"bench-{uuid.uuid4().hex[:8]}"
        manifest = local_harness.plan_run(
            self.ddb,
            run_id=run_id,
            tier="daily",
            specs=[spec],
            lake_uri=self.lake_uri,
            state_table=self.state,
            source_db=self.db,
        )
        path = os.path.join(self.tmp, f"{run_id}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        started = time.monotonic()
        result = run(self.spark, JobArgs(run_id=run_id, manifest_uri=path, jdbc_url="jdbc:mysql://127.0.0.1:3306/"))
        elapsed = time.monotonic() - started
        table = result.tables[0]
        if table.status not in ("LOADED", "UNCHANGED") or table.error:
            raise SystemExit(f"benchmark run failed: {table}")
        return table, elapsed

    def force_reload(self, name: str) -> None:
        self.ddb.update_item(
            TableName=self.state,
            Key={"pk": {"S": f"table#{name}"}},
            UpdateExpression="SET watermark=:w",
            ExpressionAttributeValues={":w": {"S": "force-reload"}},
        )

    def source_rows(self, table: str) -> int:
        conn = connect(self.db)
        with conn.cursor() as cur:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            count = int(cur.fetchone()[0])
        conn.close()
        return count


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--changes", default="0,10,10000")
    parser.add_argument("--keep", action="store_true", help="keep the generated database")
    a = parser.parse_args()
    os.environ.setdefault("LAKE_SOURCE_USER", "lake_ingest")
    os.environ.setdefault("LAKE_SOURCE_PASSWORD", "lake_ingest_local")
    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
    os.environ["TZ"] = "UTC"
    time.tzset()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    os.environ.setdefault("MOTO_PORT", "5056")
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")

    db = f"rbench_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="reconcile-bench-")
    t0 = time.monotonic()
    generate(db, a.rows)
    print(f"generated keyed and keyless tables of {a.rows} rows in {time.monotonic() - t0:.1f} s", flush=True)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("reconcile-bench").config("spark.ui.showConsoleProgress", "false")
    for k, v in local_spark_conf("lake", f"file://{tmp}/warehouse/", jars).items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    bench = Bench(spark, db, f"file://{tmp}/", tmp)
    lines = []
    try:
        for source, keyed in (("keyed", True), ("keyless", False)):
            rec = bench.spec(source, source, keyed, reconcile=True)
            full = bench.spec(f"{source}_full", source, keyed=False)
            for spec in (bench.spec(source, source, keyed), full):
                loaded, secs = bench.run(spec)
                print(f"initial load of {spec['name']}: {loaded.rowsRead} rows in {secs:.1f} s", flush=True)
            for count in (int(c) for c in a.changes.split(",")):
                change(db, source, a.rows, count)
                r, t_rec = bench.run(rec)
                assert r.reconcile is not None
                bench.force_reload(full["name"])
                f, t_full = bench.run(full)
                total = bench.source_rows(source)
                lake_rows = spark.read.table(f"lake.`{db}_bench`.`{source}`").count()
                block = r.reconcile
                fixed = (
                    f"deleted {block['rowsDeleted']}, updated {block['rowsUpdated']}, inserted {block['rowsInserted']}"
                )
                line = (
                    f"{source:8} {count:>6} changed | reconcile: scanned {block['sourceRowsScanned']:>9}, "
                    f"transferred {r.rowsRead:>8}, {t_rec:6.1f} s ({block['method']}, {block['rangesCompared']} "
                    f"ranges compared, {block['rangesRepaired']} repaired; {fixed}) | full reload: scanned "
                    f"{2 * total:>9}, transferred {f.rowsRead:>8}, {t_full:6.1f} s | lake rows {lake_rows} = source {total}"
                )
                print(line, flush=True)
                lines.append(line)
                if lake_rows != total:
                    raise SystemExit("the reconciled full copy does not have the source's row count")
        print()
        print("full reload scanned = CHECKSUM TABLE (every row) + the read (every row)")
        print("\n".join(lines))
        return 0
    finally:
        spark.stop()
        if not a.keep:
            conn = connect()
            with conn.cursor() as cur:
                cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
            conn.close()


if __name__ == "__main__":
    sys.exit(main())
