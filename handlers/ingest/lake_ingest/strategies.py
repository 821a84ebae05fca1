"""What to read for each strategy, and the watermark a successful load commits.

incremental  cursor > (watermark - lookback) AND cursor <= high, where high is the source's
incremental  cursor > (watermark - lookback) AND cursor <= high, where high is the source's
             UTC clock at the start of the table's read minus a safety lag, capped just before
             the start of the oldest open transaction (Jdbc.high_mark: its rows may commit later
             with an older cursor; rows committed late otherwise are caught by the lookback), OR
             cursor IS NULL (a row without a cursor value has no position: it is read, and merged
             by key, on every run). First load: every row with cursor <= high or a NULL cursor.
             New watermark: high (never moves back), a UTC instant. The cursor must be a
             date-time (DATETIME, TIMESTAMP; timestamp with or without time zone). A wall-time
             cursor is compared in the source's wall time (manifest source.timeZone, see
             clock.py); a TIMESTAMP cursor in UTC.
append       key > watermark - lookbackKeys AND key <= max(key) read at the start (the lookback
             finds ids committed late below the watermark). New watermark: that max (never
             moves back); none while the source has had no row. A max below the watermark
             (TRUNCATE, a restore) fails the table: keys up to the watermark would be skipped.
snapshot     the whole table; the dialect's change gate first (MariaDB: CHECKSUM TABLE), and when
             it and the column names and types equal the stored token nothing is read (a renamed
             column leaves the checksum as it was). New watermark: "<checksum>/<column
             fingerprint>" taken before the read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from . import clock
from .errors import TableError
from .fingerprint import schema_fingerprint
from .manifest import TableSpec, Watermark
from .source import Jdbc, SourceColumn

# Cursor types the window (a UTC instant or the source's wall time) can be compared with: a DATE
# cursor would miss the rows of the current day after the first run, a number or text compares
# as text or as a number, not as a time. (PostgreSQL reports "timestamp without time zone".)
TIMESTAMP_CURSOR_TYPES = ("datetime", "timestamp", "timestamp without time zone", "timestamp with time zone")


@dataclass(frozen=True)
class ReadPlan:
    where: str | None  # condition inside the subquery over the exact quoted table
    new_watermark: Watermark | None
    unchanged: bool = False


def parse_ts(value: str) -> datetime:
    text = value.strip().replace(" ", "T")
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def iso_ts(dt: datetime) -> str:
    """Watermark text: ISO-8601 UTC with microseconds, e.g. 2024-05-01T10:00:00.000000Z."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def sql_ts(dt: datetime) -> str:
    """A SQL literal: an aware datetime in UTC, a naive one (a wall time) as it is."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC)
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


def find_column(columns: list[SourceColumn], name: str, what: str, table: str) -> SourceColumn:
    for c in columns:
        if c.name == name:
            return c
    for c in columns:  # MariaDB column names are case-insensitive
        if c.name.lower() == name.lower():
            return c
    raise TableError(f"{what} column {name} not found in source table {table}")


def is_wall_time(column: SourceColumn, time_zone: str) -> bool:
    """A wall-time cursor (DATETIME, timestamp without time zone) written in a zone other than
    UTC: compared in that zone's wall time."""
    return column.wall_time and time_zone != clock.UTC_NAME


def plan_incremental(
    jdbc: Jdbc,
    spec: TableSpec,
    columns: list[SourceColumn],
    safety_lag_seconds: int,
    time_zone: str = "UTC",
    schema: str | None = None,
) -> ReadPlan:
    """schema: the source schema, so that only its sessions' open transactions cap the read."""
    assert spec.cursor is not None
    col = find_column(columns, spec.cursor, "cursor", spec.source_name)
    require_timestamp_cursor(spec, col)
    cursor = col.quoted
    high = parse_ts(jdbc.high_mark(safety_lag_seconds, schema))
    old = spec.watermark
    if old is not None and old.kind != "timestamp":
        raise TableError(f"watermark kind {old.kind} does not fit strategy incremental")
    wall = clock.zone(time_zone) if is_wall_time(col, time_zone) else None
    if old is None:
        upper: datetime = high if wall is None else clock.wall_window(wall, None, high)[1]
        where = f"({cursor} <= '{sql_ts(upper)}' OR {cursor} IS NULL)"
        return ReadPlan(where, Watermark("timestamp", iso_ts(high)))
    previous = parse_ts(old.value)
    low = previous - timedelta(seconds=spec.lookback_seconds)
    new_high = max(high, previous)
    lower: datetime | None = low
    upper = new_high
    if wall is not None:
        lower, upper = clock.wall_window(wall, low, new_high)
    assert lower is not None
    where = f"(({cursor} > '{sql_ts(lower)}' AND {cursor} <= '{sql_ts(upper)}') OR {cursor} IS NULL)"
    return ReadPlan(where, Watermark("timestamp", iso_ts(new_high)))


def require_timestamp_cursor(spec: TableSpec, col: SourceColumn) -> None:
    if col.data_type not in TIMESTAMP_CURSOR_TYPES:
        raise TableError(
            f"incremental table {spec.name}: cursor column {col.name} of source table {spec.source_name} is "
            f"{col.column_type.upper()}; a cursor must be DATETIME or TIMESTAMP (it is compared as a point in time)"
        )


def plan_append(jdbc: Jdbc, spec: TableSpec, columns: list[SourceColumn]) -> ReadPlan:
    assert spec.key is not None
    col = find_column(columns, spec.key, "key", spec.source_name)
    key = col.quoted
    old = spec.watermark
    if old is not None and old.kind != "integer":
        raise TableError(f"watermark kind {old.kind} does not fit strategy append")
    start = int(old.value) if old is not None else None
    top = jdbc.scalar(f"SELECT MAX({key}) FROM {spec.quoted_source_name}")
    if top is None:  # empty source table: nothing to read, the position stays (none on a first load)
        return ReadPlan("1 = 0", old)
    top_int = int(top)
    if start is None:
        return ReadPlan(f"{key} <= {top_int}", Watermark("integer", str(top_int)))
    if top_int < start:
        raise TableError(
            f"append table {spec.name}: the source's MAX({col.name}) is {top_int}, below the watermark {start} "
            "(truncated or restored?); new keys up to the watermark would be skipped and the full copy keeps "
            "rows the source no longer has: reload the table (drop its full copy) or reconcile it"
        )
    # Re-read the last lookbackKeys keys below the watermark even when MAX did not move: an id
    # taken by a transaction that committed after a higher id was loaded shows up there.
    lower = append_lower_bound(spec, start)
    return ReadPlan(f"{key} > {lower} AND {key} <= {top_int}", Watermark("integer", str(max(top_int, start))))


def append_lower_bound(spec: TableSpec, start: int) -> int:
    """The exclusive lower key bound of an append read after watermark start."""
    return start - spec.lookback_keys


def plan_snapshot(jdbc: Jdbc, spec: TableSpec, full_copy_loaded: bool, columns: list[SourceColumn]) -> ReadPlan:
    """full_copy_loaded: the full copy has a published load (a table created by a reload that
    failed before its publish is empty: never UNCHANGED)."""
    token = snapshot_token(jdbc.checksum(spec.quoted_source_name), columns)
    old = spec.watermark
    unchanged = full_copy_loaded and old is not None and old.kind == "checksum" and old.value == token
    return ReadPlan(None, Watermark("checksum", token), unchanged=unchanged)


def snapshot_token(checksum: str, columns: list[SourceColumn]) -> str:
    """The checksum with the columns' exact names and types: CHECKSUM TABLE hashes row data only."""
    names = schema_fingerprint((c.name, c.column_type) for c in columns)[:16]
    return f"{checksum}/{names}"


def partition_column(spec: TableSpec, columns: list[SourceColumn]) -> SourceColumn | None:
    """A single integral column to split parallel reads on: the append key or a one-column key."""
    name = spec.key if spec.strategy == "append" else (spec.primary_key[0] if len(spec.primary_key) == 1 else None)
    if name is None:
        return None
    try:
        col = find_column(columns, name, "partition", spec.source_name)
    except TableError:
        return None
    return col if col.integral else None


def partition_predicates(
    jdbc: Jdbc,
    spec: TableSpec,
    schema: str,
    columns: list[SourceColumn],
    where: str | None,
    rows_per_partition: int,
    max_partitions: int,
) -> list[str] | None:
    """Range predicates (over the subquery's lake column) for a large read, else None."""
    col = partition_column(spec, columns)
    if col is None or max_partitions <= 1:
        return None
    if jdbc.estimated_rows(schema, spec.source_name) <= rows_per_partition:
        return None
    q = col.quoted
    cond = f" WHERE {where}" if where else ""
    row = jdbc.query(f"SELECT COUNT(*), MIN({q}), MAX({q}) FROM {spec.quoted_source_name}{cond}")[0]
    count = int(row[0] or 0)
    if count <= rows_per_partition or row[1] is None or row[2] is None:
        return None
    lo, hi = int(row[1]), int(row[2])
    parts = min(max_partitions, math.ceil(count / rows_per_partition))
    return range_predicates(col.quoted_lake_name, lo, hi, parts)


def range_predicates(column: str, lo: int, hi: int, parts: int) -> list[str] | None:
    """parts ranges over [lo, hi] split at even bounds; the first is open below (and takes NULL)
    and the last open above, so a row outside the sampled MIN/MAX (committed after the sample,
    or re-read by a lookback) is still read, exactly once."""
    step = max(1, math.ceil((hi - lo + 1) / max(1, parts)))
    bounds = list(range(lo + step, hi + 1, step))  # split points, each > lo and <= hi
    if not bounds:
        return None
    preds = [f"({column} < {bounds[0]} OR {column} IS NULL)"]
    preds += [f"{column} >= {a} AND {column} < {b}" for a, b in pairwise(bounds)]
    preds.append(f"{column} >= {bounds[-1]}")
    return preds
