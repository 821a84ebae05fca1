"""What to read for each strategy, and the watermark a successful load commits.

incremental  cursor > (watermark - lookback) AND cursor <= high, where high is the source's
             UTC clock at the start of the table's read minus a safety lag (rows committed
             late with an older cursor value are caught by the lookback). First load: every
             row with cursor <= high or a NULL cursor. New watermark: high (never moves back).
append       key > watermark AND key <= max(key) read at the start. New watermark: that max.
snapshot     the whole table; CHECKSUM TABLE first, and when it equals the stored checksum
             nothing is read. New watermark: the checksum taken before the read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from .errors import TableError
from .manifest import TableSpec, Watermark
from .source import Jdbc, SourceColumn, quote_ident

INTEGRAL = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")


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
    return dt.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def find_column(columns: list[SourceColumn], name: str, what: str, table: str) -> SourceColumn:
    for c in columns:
        if c.name == name:
            return c
    for c in columns:  # MariaDB column names are case-insensitive
        if c.name.lower() == name.lower():
            return c
    raise TableError(f"{what} column {name} not found in source table {table}")


def plan_incremental(jdbc: Jdbc, spec: TableSpec, columns: list[SourceColumn], safety_lag_seconds: int) -> ReadPlan:
    assert spec.cursor is not None
    cursor = quote_ident(find_column(columns, spec.cursor, "cursor", spec.source_name).name)
    high = parse_ts(jdbc.utc_now_minus(safety_lag_seconds))
    old = spec.watermark
    if old is not None and old.kind != "timestamp":
        raise TableError(f"watermark kind {old.kind} does not fit strategy incremental")
    if old is None:
        where = f"({cursor} <= '{sql_ts(high)}' OR {cursor} IS NULL)"
        return ReadPlan(where, Watermark("timestamp", iso_ts(high)))
    previous = parse_ts(old.value)
    low = previous - timedelta(seconds=spec.lookback_seconds)
    new_high = max(high, previous)
    where = f"{cursor} > '{sql_ts(low)}' AND {cursor} <= '{sql_ts(new_high)}'"
    return ReadPlan(where, Watermark("timestamp", iso_ts(new_high)))


def plan_append(jdbc: Jdbc, spec: TableSpec, columns: list[SourceColumn]) -> ReadPlan:
    assert spec.key is not None
    col = find_column(columns, spec.key, "key", spec.source_name)
    key = quote_ident(col.name)
    old = spec.watermark
    if old is not None and old.kind != "integer":
        raise TableError(f"watermark kind {old.kind} does not fit strategy append")
    start = int(old.value) if old is not None else None
    top = jdbc.scalar(f"SELECT MAX({key}) FROM {spec.quoted_source_name}")
    if top is None:  # empty source table
        return ReadPlan("1 = 0", old)
    top_int = int(top)
    if start is not None and top_int <= start:
        return ReadPlan("1 = 0", old)
    lower = f"{key} > {start} AND " if start is not None else ""
    return ReadPlan(f"{lower}{key} <= {top_int}", Watermark("integer", str(top_int)))


def plan_snapshot(jdbc: Jdbc, spec: TableSpec, full_copy_exists: bool) -> ReadPlan:
    checksum = jdbc.checksum(spec.quoted_source_name)
    old = spec.watermark
    unchanged = full_copy_exists and old is not None and old.kind == "checksum" and old.value == checksum
    return ReadPlan(None, Watermark("checksum", checksum), unchanged=unchanged)


def partition_column(spec: TableSpec, columns: list[SourceColumn]) -> SourceColumn | None:
    """A single integral column to split parallel reads on: the append key or a one-column key."""
    name = spec.key if spec.strategy == "append" else (spec.primary_key[0] if len(spec.primary_key) == 1 else None)
    if name is None:
        return None
    try:
        col = find_column(columns, name, "partition", spec.source_name)
    except TableError:
        return None
    return col if col.data_type in INTEGRAL else None


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
    q = quote_ident(col.name)
    cond = f" WHERE {where}" if where else ""
    row = jdbc.query(f"SELECT COUNT(*), MIN({q}), MAX({q}) FROM {spec.quoted_source_name}{cond}")[0]
    count = int(row[0] or 0)
    if count <= rows_per_partition or row[1] is None or row[2] is None:
        return None
    lo, hi = int(row[1]), int(row[2])
    parts = min(max_partitions, math.ceil(count / rows_per_partition))
    step = max(1, math.ceil((hi - lo + 1) / parts))
    lake = quote_ident(col.lake_name)
    preds: list[str] = []
    start = lo
    while start <= hi:
        end = start + step
        preds.append(f"{lake} >= {start} AND {lake} < {end}" if end <= hi else f"{lake} >= {start}")
        start = end
    return preds
