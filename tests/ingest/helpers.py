"""Test helpers: a per-module lake (state table + manifests), running the job in-process, and
the row-by-row comparison of a full copy with its source table."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import os
import uuid
from collections import Counter
from typing import Any

import pytest

import local_harness
from lake_ingest.args import JobArgs
from lake_ingest.job import JobResult, TableResult, report, run
from tests.conftest import source_connection


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so nothing in the job catches it."""


class Lake:
    def __init__(self, spark: Any, warehouse: str, srcdb: str, tmp_dir: str) -> None:
        self.spark = spark
        self.srcdb = srcdb
        self.lake_uri = warehouse  # shared warehouse; table names are unique per module via prefix
        self.prefix = srcdb  # catalog databases <srcdb>_<domain>
        self.tmp_dir = tmp_dir
        self.state_table = f"state-{srcdb}"
        self.ddb = local_harness.ddb_client()
        local_harness.ensure_state_table(self.ddb, self.state_table)
        self.src = source_connection(srcdb)

    # -- source ------------------------------------------------------------------------------
    def sql(self, *statements: str) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = []
        with self.src.cursor() as cur:
            for s in statements:
                cur.execute(s)
                rows = list(cur.fetchall())
        return rows

    # -- manifest and run --------------------------------------------------------------------
    def spec(self, **entry: Any) -> dict[str, Any]:
        entry.setdefault("domain", "sales")
        entry.setdefault("primaryKey", [])
        spec = local_harness.table_spec(
            entry,
            self.lake_uri,
            self.srcdb,
            prefix=self.prefix,
            lookback_seconds=int(entry.pop("lookbackSeconds", 600)),
        )
        return spec

    def plan(
        self,
        specs: list[dict[str, Any]],
        run_id: str | None = None,
        take_leases: bool = True,
        time_zone: str | None = None,
    ) -> str:
        run_id = run_id or f"run-{uuid.uuid4().hex[:10]}"
        manifest = local_harness.plan_run(
            self.ddb,
            run_id=run_id,
            tier="daily",
            specs=specs,
            lake_uri=self.lake_uri,
            state_table=self.state_table,
            source_db=self.srcdb,
            take_leases=take_leases,
            source_time_zone=time_zone,
        )
        path = os.path.join(self.tmp_dir, f"{run_id}.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle)
        return path

    def run_manifest(self, path: str, **overrides: Any) -> JobResult:
        with open(path, encoding="utf-8") as handle:
            run_id = json.load(handle)["runId"]
        args = JobArgs(
            run_id=run_id,
            manifest_uri=path,
            jdbc_url=overrides.pop("jdbc_url", "jdbc:mysql://127.0.0.1:3306/"),
            safety_lag_seconds=overrides.pop("safety_lag_seconds", 0),
            **overrides,
        )
        result = run(self.spark, args)
        report(result, args)
        return result

    def run_crashing_in(self, path: str, owner: type, method: str, monkeypatch: pytest.MonkeyPatch) -> str:
        """Runs a manifest whose process dies when owner.method is called; returns the run id."""

        def die(*_a: object, **_k: object) -> None:
            raise Crash()

        with monkeypatch.context() as patched:
            patched.setattr(owner, method, die)
            with pytest.raises(Crash):
                self.run_manifest(path)
        with open(path, encoding="utf-8") as handle:
            return str(json.load(handle)["runId"])

    def load(self, *specs: dict[str, Any], time_zone: str | None = None, **overrides: Any) -> JobResult:
        return self.run_manifest(self.plan(list(specs), time_zone=time_zone), **overrides)

    def load_one(self, spec: dict[str, Any], time_zone: str | None = None, **overrides: Any) -> TableResult:
        result = self.load(spec, time_zone=time_zone, **overrides)
        assert len(result.tables) == 1, result
        return result.tables[0]

    # -- state -------------------------------------------------------------------------------
    def state(self, table: str) -> dict[str, Any]:
        item = local_harness.get_item(self.ddb, self.state_table, table)
        return {k: next(iter(v.values())) for k, v in item.items()}

    def set_watermark(self, table: str, kind: str, value: str) -> None:
        self.ddb.update_item(
            TableName=self.state_table,
            Key={"pk": {"S": f"table#{table}"}},
            UpdateExpression="SET watermark=:w, watermarkKind=:k",
            ExpressionAttributeValues={":w": {"S": value}, ":k": {"S": kind}},
        )

    def clear_watermark(self, table: str) -> None:
        """What `lake backfill` does before its manual event: the next load reads from scratch."""
        self.ddb.update_item(
            TableName=self.state_table,
            Key={"pk": {"S": f"table#{table}"}},
            UpdateExpression="REMOVE watermark, watermarkKind",
        )

    # -- lake --------------------------------------------------------------------------------
    def ident(self, spec: dict[str, Any]) -> str:
        return f"lake.`{spec['targetDatabase']}`.`{spec['targetTable']}`"

    def lake_rows(self, spec: dict[str, Any], columns: list[str]) -> list[tuple[Any, ...]]:
        cols = ", ".join(f"`{c.lower()}`" for c in columns)
        return [tuple(r) for r in self.spark.sql(f"SELECT {cols} FROM {self.ident(spec)}").collect()]

    def steal_lease(self, table: str, run_id: str) -> None:
        """Another run takes the lease over (as after the first lease expired)."""
        self.ddb.update_item(
            TableName=self.state_table,
            Key={"pk": {"S": f"table#{table}"}},
            UpdateExpression="SET leaseRunId=:run, leaseTier=:tier, leaseExpiresAt=:exp",
            ExpressionAttributeValues={":run": {"S": run_id}, ":tier": {"S": "daily"}, ":exp": {"N": "4102444800"}},
        )

    def release_lease(self, table: str) -> None:
        self.ddb.update_item(
            TableName=self.state_table,
            Key={"pk": {"S": f"table#{table}"}},
            UpdateExpression="REMOVE leaseRunId, leaseTier, leaseExpiresAt",
        )

    def snapshot_count(self, spec: dict[str, Any]) -> int:
        return int(self.spark.sql(f"SELECT count(*) FROM {self.ident(spec)}.snapshots").collect()[0][0])

    def raw_batches(self, spec: dict[str, Any]) -> list[str]:
        root = spec["rawPath"][len("file://") :]
        found = []
        for dirpath, _dirs, files in os.walk(root):
            if any(f.endswith(".parquet") for f in files):
                found.append(os.path.relpath(dirpath, root))
        return sorted(found)

    def assert_full_copy_equals_source(self, spec: dict[str, Any], source_table: str | None = None) -> int:
        """Row by row: every source row once in the full copy, nothing else (multiset equality)."""
        table = source_table or spec["sourceName"]
        with self.src.cursor() as cur:
            cur.execute(f"SELECT * FROM `{table}`")
            columns = [d[0] for d in cur.description]
            types = {
                r[0]: (r[1], r[2])
                for r in self.sql(
                    "SELECT COLUMN_NAME, LOWER(DATA_TYPE), LOWER(COLUMN_TYPE) FROM information_schema.COLUMNS "
                    f"WHERE TABLE_SCHEMA = '{self.srcdb}' AND TABLE_NAME = '{table}'"
                )
            }
            cur.execute(f"SELECT * FROM `{table}`")
            source = [
                tuple(norm_source(v, types[c]) for v, c in zip(row, columns, strict=True)) for row in cur.fetchall()
            ]
        lake = [tuple(norm_lake(v) for v in row) for row in self.lake_rows(spec, columns)]
        missing = Counter(source) - Counter(lake)
        extra = Counter(lake) - Counter(source)
        assert not missing and not extra, (
            f"full copy of {table} differs from the source: missing {list(missing.elements())[:5]}, "
            f"extra {list(extra.elements())[:5]} (source {len(source)} rows, lake {len(lake)} rows)"
        )
        return len(source)


def _time_text(value: dt.timedelta) -> str:
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    micro = abs(value.microseconds) if total == 0 else value.microseconds
    text = f"{sign}{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"
    return text + (f".{micro:06d}" if micro and not sign else "")


def _precision(column_type: str) -> int:
    inside = column_type.partition("(")[2].partition(")")[0]
    return int(inside.split(",")[0]) if inside else 10


def norm_source(value: Any, kind: tuple[str, str]) -> Any:
    data_type, _column_type = kind
    if value is None:
        return None
    if isinstance(value, str) and data_type in ("date", "datetime", "timestamp") and value.startswith("0000"):
        return None  # zero dates load as NULL (documented)
    if data_type == "time" and isinstance(value, dt.timedelta):
        return _time_text(value)
    if data_type == "decimal" and _precision(_column_type) > 38:
        return str(value)
    return norm_lake(value)


def norm_lake(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        if value == value.to_integral_value() and value.as_tuple().exponent >= 0:
            return int(value)
        return value.normalize()
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, bytearray):
        return bytes(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, float):
        return round(value, 9)
    return value
