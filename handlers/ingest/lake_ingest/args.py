"""Job arguments: awsglue's getResolvedOptions inside Glue, argparse everywhere else.

Glue passes every argument as ``--name value``; getResolvedOptions rejects unknown required
names, so optional ones are looked up only when present in argv.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

# The manifest names everything else about the run (tier, state table, source connection).
REQUIRED = ("run_id", "manifest_uri")
OPTIONAL = (
    # Local overrides (never needed in Glue).
    "jdbc_url",
    "result_uri",
    "safety_lag_seconds",
    "rows_per_partition",
    "max_partitions",
    "fetch_size",
    "merge_mode",
    # Scale (job.py run_all, maintenance.py); IngestTier passes them from the tier's settings.
    "table_concurrency",
    "maintenance",
    "snapshot_retention_hours",
)


@dataclass(frozen=True)
class JobArgs:
    run_id: str
    manifest_uri: str
    jdbc_url: str | None = None
    result_uri: str | None = None
    safety_lag_seconds: int = 5
    rows_per_partition: int = 500_000
    max_partitions: int = 8
    fetch_size: int = 10_000
    # Iceberg row-level write mode of the full copies: copy-on-write (plain data files, every
    # reader can read them) or merge-on-read (delete files; cheaper merges, needs compaction).
    merge_mode: str = "copy-on-write"
    # Tables loaded at once; 0: sized from the Spark workers (job.default_concurrency).
    table_concurrency: int = 0
    # Iceberg maintenance after each table's load (the catch-all tier's runs: once a day).
    maintenance: bool = False
    # Snapshots younger than this stay readable by time travel (and orphan files younger than
    # it are kept, so a write in flight is never removed). Minimum 1 hour.
    snapshot_retention_hours: int = 168


def _from_mapping(values: dict[str, str | None]) -> JobArgs:
    def num(name: str, default: int) -> int:
        raw = values.get(name)
        if raw is None or raw == "":
            return default
        value = int(raw)
        if value < 0:
            raise ValueError(f"--{name} must be >= 0 (got {raw})")
        return value

    def text(name: str) -> str | None:
        raw = values.get(name)
        return raw if raw else None

    run_id = values.get("run_id")
    manifest_uri = values.get("manifest_uri")
    if not run_id or not manifest_uri:
        raise ValueError("--run_id and --manifest_uri are required")
    return JobArgs(
        run_id=run_id,
        manifest_uri=manifest_uri,
        jdbc_url=text("jdbc_url") or os.environ.get("LAKE_SOURCE_JDBC_URL") or None,
        result_uri=text("result_uri"),
        safety_lag_seconds=num("safety_lag_seconds", JobArgs.safety_lag_seconds),
        rows_per_partition=max(1, num("rows_per_partition", JobArgs.rows_per_partition)),
        max_partitions=max(1, num("max_partitions", JobArgs.max_partitions)),
        fetch_size=max(1, num("fetch_size", JobArgs.fetch_size)),
        merge_mode=_merge_mode(text("merge_mode")),
        table_concurrency=num("table_concurrency", JobArgs.table_concurrency),
        maintenance=_flag("maintenance", text("maintenance")),
        snapshot_retention_hours=_retention(num("snapshot_retention_hours", JobArgs.snapshot_retention_hours)),
    )


def _flag(name: str, value: str | None) -> bool:
    if value is None:
        return False
    if value.lower() not in ("true", "false"):
        raise ValueError(f"--{name} must be true or false (got {value})")
    return value.lower() == "true"


def _retention(hours: int) -> int:
    if hours < 1:
        raise ValueError(f"--snapshot_retention_hours must be at least 1 (got {hours})")
    return hours


def _merge_mode(value: str | None) -> str:
    if value is None:
        return JobArgs.merge_mode
    if value not in ("copy-on-write", "merge-on-read"):
        raise ValueError(f"--merge_mode must be copy-on-write or merge-on-read (got {value})")
    return value


def parse_args(argv: list[str]) -> JobArgs:
    """argv as in sys.argv (program name first)."""
    try:
        from awsglue.utils import getResolvedOptions  # type: ignore[import-not-found]
    except ImportError:
        getResolvedOptions = None  # noqa: N806

    if getResolvedOptions is not None:
        present = [name for name in OPTIONAL if f"--{name}" in argv]
        resolved = getResolvedOptions(argv, [*REQUIRED, *present])
        return _from_mapping({k: resolved.get(k) for k in (*REQUIRED, *present)})

    parser = argparse.ArgumentParser(prog="ingest_job", description="Load the tables of one run manifest")
    for name in REQUIRED:
        parser.add_argument(f"--{name}", required=True)
    for name in OPTIONAL:
        parser.add_argument(f"--{name}")
    # Glue adds its own (--JOB_ID, --TempDir, ...): ignore whatever we do not know.
    known, _unknown = parser.parse_known_args(argv[1:])
    return _from_mapping(vars(known))
