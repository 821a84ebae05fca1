"""Benchmark of one table over a day of 15-minute runs: files, metadata and read time with and
without Iceberg maintenance, copy-on-write against merge-on-read (prints figures; not a test).

One source table (R rows, ingest_bench.generate) feeds two full copies, one created
copy-on-write and one merge-on-read. Each of --runs incremental runs (96 = a day of 15-minute
runs) first changes the source: --change of the rows updated, spread over the whole key range
(a different slice each run), and --inserts new rows. Both copies load in one job run, one after
the other (--table_concurrency 1, so their write times do not share the cores). Then:
  - "no maintenance": the copies after the runs: data and delete files of the current snapshot,
    snapshots kept, metadata files (*.metadata.json, manifest lists, manifests) and their size,
    files under data/ and their size, and the read time (a full scan hashing every row, median
    of 3);
  - "maintained": the job's daily maintenance (maintenance.py, as the catch-all run does it:
    compaction, delete-file compaction, expiry at --retention-hours, orphans) on both copies,
    then the same figures;
  - "past the retention": expiry once the day's snapshots are older than the retention (the
    maintenance run with its clock moved forward by the retention): what the table keeps in
    the steady state;
  - per copy, the mean write time per run (the table's durationMs) over the first and the last
    quarter of the runs, and the maintenance's seconds.

  .venv/bin/python bench/maintenance_bench.py [--runs 96] [--rows 20000] [--change 0.01] [--inserts 100]

Needs scripts/mariadb.sh, scripts/ingest-deps.sh and a moto server (started here if missing).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from fixed_work_bench import load_average, local_spark, run_job  # noqa: E402
from ingest_bench import bench_env, connect, generate, moto_answers, sh, teardown  # noqa: E402

import local_harness  # noqa: E402  (on the path through fixed_work_bench)
from lake_ingest.maintenance import file_counts, maintain  # noqa: E402
from lake_ingest.writer import FullCopy  # noqa: E402

MODES = ("copy-on-write", "merge-on-read")
SOURCE = "bench_000"


def change_source(db: str, run: int, fraction: float, inserts: int) -> None:
    """Updates every (1/fraction)-th row, a different slice each run, and appends new rows."""
    every = max(1, round(1 / fraction))
    conn = connect(db)
    try:
        with conn.cursor() as cur:
            cur.execute(
                f"UPDATE {SOURCE} SET qty = qty + 1, updated_at = UTC_TIMESTAMP(6) WHERE id % {every} = {run % every}"
            )
            cur.execute(f"SELECT COALESCE(MAX(id), 0) FROM {SOURCE}")
            top = int(cur.fetchone()[0])
            cur.execute(
                f"""INSERT INTO {SOURCE} SELECT {top} + seq, CONCAT('new-', seq), seq * 1.5, seq % 1000, 0, NULL,
                    UTC_TIMESTAMP(), UTC_TIMESTAMP(6) FROM seq_1_to_{inserts}"""
            )
    finally:
        conn.close()


def folder_figures(path: str) -> tuple[int, int]:
    """Files under path and their total size in bytes."""
    count = size = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            if not name.startswith(".") and not name.endswith(".crc"):
                count += 1
                size += os.path.getsize(os.path.join(root, name))
    return count, size


def table_folder(tmp: str, full: FullCopy) -> str:
    """The Hadoop catalog's folder of the table: <warehouse>/<database>/<table>."""
    return os.path.join(tmp, "warehouse", full.database, full.table)


def read_seconds(spark: Any, full: FullCopy) -> float:
    """Median of 3 full scans hashing every row (no count from metadata alone)."""
    from pyspark.sql import functions as F

    times = []
    for _ in range(3):
        df = spark.read.table(full.ident)
        begin = time.monotonic()
        df.agg(F.count(F.lit(1)), F.sum(F.xxhash64(*df.columns))).collect()
        times.append(time.monotonic() - begin)
    return statistics.median(times)


def figures(spark: Any, tmp: str, full: FullCopy) -> dict[str, Any]:
    counts = file_counts(spark, full)
    meta_files, meta_bytes = folder_figures(os.path.join(table_folder(tmp, full), "metadata"))
    data_files, data_bytes = folder_figures(os.path.join(table_folder(tmp, full), "data"))
    return {
        **counts,
        "metadataFiles": meta_files,
        "metadataMB": meta_bytes / 1e6,
        "filesInDataFolder": data_files,
        "dataFolderMB": data_bytes / 1e6,
        "readSeconds": read_seconds(spark, full),
    }


def print_table(title: str, rows: dict[str, dict[str, Any]]) -> None:
    print(f"\n{title}")
    labels = list(rows)
    print(f"{'':22}" + "".join(f"{label:>30}" for label in labels))
    for key in rows[labels[0]]:
        cells = "".join(
            f"{rows[label][key]:>30.2f}" if isinstance(rows[label][key], float) else f"{rows[label][key]:>30}"
            for label in labels
        )
        print(f"{key:22}{cells}")


def quarter_means(times: list[float]) -> tuple[float, float, float]:
    quarter = max(1, len(times) // 4)
    return statistics.mean(times), statistics.mean(times[:quarter]), statistics.mean(times[-quarter:])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=96, help="15-minute runs (96: a day)")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--change", type=float, default=0.01, help="rows updated per run, spread over the table")
    parser.add_argument("--inserts", type=int, default=100, help="rows inserted per run")
    parser.add_argument("--retention-hours", type=int, default=168)
    parser.add_argument("--budget-minutes", type=float, default=0, help="stop the runs after this long (0: never)")
    a = parser.parse_args()
    bench_env()
    jars = sh("ingest-deps.sh")
    sh("mariadb.sh")
    moto_was_running = moto_answers(os.environ["MOTO_PORT"])
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = sh("moto-server.sh", "start")
    db = f"maint_{uuid.uuid4().hex[:6]}"
    tmp = tempfile.mkdtemp(prefix="maintenance-bench-")
    lake_uri = f"file://{tmp}/"
    state = f"bench-state-{db}"
    generate(db, 1, a.rows)
    spark = local_spark("maintenance-bench", lake_uri, jars)
    ddb = local_harness.ddb_client()
    local_harness.ensure_state_table(ddb, state)
    names = {mode: mode.replace("-", "_") for mode in MODES}
    specs = {
        mode: local_harness.table_spec(
            {"name": name, "source": SOURCE, "domain": "bench", "strategy": "incremental", "cursor": "updated_at"}
            | {"primaryKey": ["id"]},
            lake_uri,
            db,
            prefix=db,
        )
        for mode, name in names.items()
    }
    copies = {
        mode: FullCopy(spark, "lake", spec["targetDatabase"], spec["targetTable"], mode) for mode, spec in specs.items()
    }
    print(f"{a.runs} runs of one table of {a.rows} rows; {load_average()}", flush=True)
    try:
        for mode in MODES:  # created in its merge mode by its first load
            run_job(spark, ddb, db, state, lake_uri, tmp, [specs[mode]], table_concurrency=1, merge_mode=mode)
        write_seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
        started = time.monotonic()
        runs = 0
        for i in range(a.runs):
            time.sleep(1.1)  # past the safety lag of the previous run's high mark
            change_source(db, i, a.change, a.inserts)
            time.sleep(1.1)
            result, _ = run_job(spark, ddb, db, state, lake_uri, tmp, [specs[m] for m in MODES], table_concurrency=1)
            for mode, table in zip(MODES, result.tables, strict=True):
                write_seconds[mode].append(table.durationMs / 1000)
            runs = i + 1
            if runs % 8 == 0:
                print(f"run {runs}/{a.runs} ({time.monotonic() - started:.0f} s; {load_average()})", flush=True)
            if a.budget_minutes and time.monotonic() - started > a.budget_minutes * 60:
                print(f"time budget of {a.budget_minutes} minutes spent after {runs} runs", flush=True)
                break

        states: dict[str, dict[str, dict[str, Any]]] = {}
        for mode, full in copies.items():
            states.setdefault("no maintenance", {})[mode] = figures(spark, tmp, full)
        maintenance_seconds = {}
        for mode, full in copies.items():
            report = maintain(spark, full, a.retention_hours)
            maintenance_seconds[mode] = report["totalSeconds"]
            states.setdefault(f"maintained (retention {a.retention_hours} h)", {})[mode] = figures(spark, tmp, full)
        later = datetime.now(UTC) + timedelta(hours=a.retention_hours)
        for mode, full in copies.items():
            maintain(spark, full, a.retention_hours, now=later)
            states.setdefault("past the retention", {})[mode] = figures(spark, tmp, full)

        print(
            f"\nafter {runs} runs ({a.change:.1%} of rows updated and {a.inserts} inserted per run); {load_average()}"
        )
        for title, rows in states.items():
            print_table(title, rows)
        print("\nwrite time per run (s): mean, first quarter, last quarter; daily maintenance (s)")
        for mode in MODES:
            mean, first, last = quarter_means(write_seconds[mode])
            print(f"{mode:>14}: {mean:6.2f} {first:6.2f} {last:6.2f}; maintenance {maintenance_seconds[mode]:.1f}")
        source_rows = a.rows + runs * a.inserts
        for mode, full in copies.items():
            rows = spark.read.table(full.ident).count()
            if rows != source_rows:
                print(f"check FAILED: {mode} copy holds {rows} rows, the source {source_rows}")
                return 1
        print(f"check: both copies hold the source's {source_rows} rows")
        return 0
    finally:
        teardown(spark, db, moto_was_running)


if __name__ == "__main__":
    sys.exit(main())
