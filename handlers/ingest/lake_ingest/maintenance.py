"""Iceberg maintenance of one full copy, run by the job after the table's load inside its lease
(runs with --maintenance true: the catch-all tier, once a day), before the state commit.

First, a table created before its properties included METADATA_CLEANUP (writer.py) gets them, so
its old metadata files go too.

Steps, in this order (Iceberg's Spark procedures):
1. rewrite_data_files: small files (and data files with delete files) into larger ones;
2. rewrite_position_delete_files: merge-on-read's position delete files compacted;
3. expire_snapshots older than the retention (--snapshot_retention_hours, default 168 = 7 days;
   at least 1). The current snapshot is never expired (retain_last 1), so a table written
   less often than the retention keeps its latest state. Time travel reaches back exactly the
   retention: older snapshots, and the rows only they held (deleted or corrected rows, PII
   included), are gone.
4. remove_orphan_files older than the retention (and never younger than 24 hours, Iceberg's
   own floor): files no snapshot references (a failed write's leftovers). Only old files, so a
   write in flight (its files not yet committed) is never removed.

Measured and reported in the table result as "maintenance": seconds per step and file counts
before and after. A failing step does not undo the load: the error is reported, the state
commit still happens.
"""

from __future__ import annotations

import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from .writer import METADATA_CLEANUP, FullCopy, q

log = logging.getLogger("lake_ingest.maintenance")

# A group of this many small files is compacted (Iceberg's default, 5, leaves small tables alone).
MIN_INPUT_FILES = 2


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def file_counts(spark: Any, full: FullCopy) -> dict[str, int]:
    """Files of the current snapshot (data and delete files) and snapshots kept."""
    counts = {}
    for key, table in (("dataFiles", "data_files"), ("deleteFiles", "delete_files"), ("snapshots", "snapshots")):
        counts[key] = int(spark.sql(f"SELECT count(*) FROM {full.ident}.{table}").collect()[0][0])
    return counts


def ensure_metadata_cleanup(spark: Any, full: FullCopy) -> None:
    table = full.iceberg_table()
    properties = table.properties() if table is not None else None
    if properties is None or all(properties.get(k) == v for k, v in METADATA_CLEANUP.items()):
        return
    settings = ", ".join(f"{_sql_string(k)}={_sql_string(v)}" for k, v in METADATA_CLEANUP.items())
    spark.sql(f"ALTER TABLE {full.ident} SET TBLPROPERTIES ({settings})")


def maintain(spark: Any, full: FullCopy, retention_hours: int, now: datetime | None = None) -> dict[str, Any]:
    """Runs the four steps on full (an existing Iceberg table); returns the measurements."""
    if retention_hours < 1:
        raise ValueError(f"snapshot retention must be at least 1 hour (got {retention_hours})")
    at = now or datetime.now(UTC)
    cutoff = (at - timedelta(hours=retention_hours)).strftime("%Y-%m-%d %H:%M:%S.%f")
    orphan_cutoff = min(at - timedelta(hours=retention_hours), datetime.now(UTC) - timedelta(hours=24))
    table = _sql_string(f"{full.database}.{full.table}")
    call = f"CALL {q(full.catalog)}.system"
    started = time.monotonic()
    report: dict[str, Any] = {"retentionHours": retention_hours, "before": file_counts(spark, full)}
    ensure_metadata_cleanup(spark, full)
    seconds: dict[str, float] = {}

    def step(name: str, sql: str) -> Any:
        begin = time.monotonic()
        row = spark.sql(sql).collect()
        seconds[name] = round(time.monotonic() - begin, 3)
        return row

    rewritten = step(
        "rewriteDataFiles",
        f"{call}.rewrite_data_files(table => {table}, options => map("
        f"'min-input-files', '{MIN_INPUT_FILES}', 'delete-file-threshold', '1', 'remove-dangling-deletes', 'true'))",
    )
    deletes = step(
        "rewritePositionDeletes",
        f"{call}.rewrite_position_delete_files(table => {table}, options => map('rewrite-all', 'true'))",
    )
    expired = step(
        "expireSnapshots",
        f"{call}.expire_snapshots(table => {table}, older_than => TIMESTAMP '{cutoff}', retain_last => 1)",
    )
    orphans = step(
        "removeOrphanFiles",
        f"{call}.remove_orphan_files(table => {table}, older_than => TIMESTAMP '{orphan_cutoff:%Y-%m-%d %H:%M:%S.%f}')",
    )
    report.update(
        {
            "after": file_counts(spark, full),
            "rewrittenDataFiles": int(rewritten[0]["rewritten_data_files_count"]) if rewritten else 0,
            "addedDataFiles": int(rewritten[0]["added_data_files_count"]) if rewritten else 0,
            "rewrittenDeleteFiles": int(deletes[0]["rewritten_delete_files_count"]) if deletes else 0,
            "expiredSnapshotFiles": sum(int(v or 0) for v in expired[0].asDict().values()) if expired else 0,
            "orphanFilesRemoved": len(orphans),
            "seconds": seconds,
            "totalSeconds": round(time.monotonic() - started, 3),
        }
    )
    log.info("%s: maintenance %s", full.ident, report)
    return report
