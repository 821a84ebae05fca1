"""The run manifest (handlers/contracts/run-manifest.schema.json), validated and typed.

The schema travels inside the package zip as lake_ingest/run-manifest.schema.json (copied at
zip time, see build_zip.py); in the repository it is read from handlers/contracts/.
"""

from __future__ import annotations

import functools
import json
import os
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import clock
from .errors import ManifestError, TableError
from .uris import read_text

try:
    from ._vendor import fastjsonschema
except ImportError as missing:  # a checkout or zip built before scripts/ingest-deps.sh ran
    raise ImportError(
        "lake_ingest/_vendor/fastjsonschema is missing: run scripts/ingest-deps.sh, which unpacks the"
        " job's pinned wheels (handlers/ingest/requirements.txt) there"
    ) from missing

SCHEMA_NAME = "run-manifest.schema.json"


def load_schema() -> dict[str, Any]:
    data: bytes | None = None
    try:
        data = pkgutil.get_data(__name__.rsplit(".", 1)[0], SCHEMA_NAME)
    except (FileNotFoundError, OSError):
        data = None
    if data is None:
        here = os.path.dirname(os.path.abspath(__file__))
        repo_copy = os.path.join(here, "..", "..", "contracts", SCHEMA_NAME)
        with open(repo_copy, "rb") as handle:
            data = handle.read()
    schema: dict[str, Any] = json.loads(data)
    return schema


# append: keys re-read below the watermark (tableSpec lookbackKeys), so an id taken by a
# transaction that committed after a higher id was loaded is still found. Re-reading is cheap
# (an index range) and harmless: rows already in the full copy are dropped before the batch.
# The default is written once, in the schema (model/load.ts reads it too).
DEFAULT_LOOKBACK_KEYS = int(load_schema()["definitions"]["tableSpec"]["properties"]["lookbackKeys"]["default"])


@dataclass(frozen=True)
class Watermark:
    kind: str  # timestamp | integer | checksum
    value: str


@dataclass(frozen=True)
class ReconcileSpec:
    """tableSpec.reconcile: compare the full copy with the source (and repair it in mode repair)."""

    mode: str  # verify | repair
    skip_load: bool  # compare without loading first; the watermark stays as it was
    repair_alert_rows: int


@dataclass(frozen=True)
class CatalogSpec:
    """tableSpec.catalog: what the catalog shows about the table (from tables.yaml)."""

    description: str
    owner: str
    tier: str  # the table's own tier, not the run's


@dataclass(frozen=True)
class TableSpec:
    name: str
    domain: str
    source_name: str
    quoted_source_name: str
    strategy: str  # incremental | append | snapshot
    primary_key: tuple[str, ...]
    pii: tuple[str, ...]
    raw_path: str
    raw_database: str
    target_database: str
    target_table: str
    watermark: Watermark | None
    cursor: str | None = None
    key: str | None = None
    lookback_seconds: int = 0
    lookback_keys: int = DEFAULT_LOOKBACK_KEYS
    reconcile: ReconcileSpec | None = None
    catalog: CatalogSpec | None = None  # absent: the job leaves the table's catalog metadata alone


@dataclass(frozen=True)
class Manifest:
    version: int
    run_id: str
    tier: str
    created_at: str
    lease_expires_at: int
    engine: str
    source_database: str
    source_schema: str
    connection_name: str | None
    raw_root: str
    warehouse_root: str
    state_table: str
    catalog: str
    tables: tuple[TableSpec, ...]
    # IANA zone of the wall times the application writes into DATETIME columns (source.timeZone).
    source_time_zone: str = "UTC"


def _reconcile(raw: dict[str, Any] | None) -> ReconcileSpec | None:
    if raw is None:
        return None
    return ReconcileSpec(raw["mode"], bool(raw["skipLoad"]), int(raw["repairAlertRows"]))


def _catalog(raw: dict[str, Any] | None) -> CatalogSpec | None:
    if raw is None:
        return None
    return CatalogSpec(str(raw["description"]), str(raw["owner"]), str(raw["tier"]))


def _table(raw: dict[str, Any]) -> TableSpec:
    wm = raw.get("watermark")
    return TableSpec(
        name=raw["name"],
        domain=raw["domain"],
        source_name=raw["sourceName"],
        quoted_source_name=raw["quotedSourceName"],
        strategy=raw["strategy"],
        primary_key=tuple(raw["primaryKey"]),
        pii=tuple(raw["pii"]),
        raw_path=raw["rawPath"],
        raw_database=raw["rawDatabase"],
        target_database=raw["targetDatabase"],
        target_table=raw["targetTable"],
        watermark=Watermark(wm["kind"], wm["value"]) if wm else None,
        cursor=raw.get("cursor"),
        key=raw.get("key"),
        lookback_seconds=int(raw.get("lookbackSeconds", 0)),
        lookback_keys=int(raw.get("lookbackKeys", DEFAULT_LOOKBACK_KEYS)),
        reconcile=_reconcile(raw.get("reconcile")),
        catalog=_catalog(raw.get("catalog")),
    )


@functools.cache
def _validator() -> Callable[[Any], Any]:
    return fastjsonschema.compile(load_schema())


def check_schema(document: dict[str, Any]) -> None:
    """Validates against the draft-07 schema with fastjsonschema (vendored in the job's zip)."""
    try:
        _validator()(document)
    except fastjsonschema.JsonSchemaValueException as exc:
        # exc.path starts with the root's name ("data"); the rest is the field's path.
        where = "/".join(str(p) for p in exc.path[1:]) or "(root)"
        if len(exc.path) > 2 and exc.path[1] == "tables" and str(exc.path[2]).isdigit():
            table = document["tables"][int(exc.path[2])]
            if isinstance(table, dict) and isinstance(table.get("name"), str):
                where += f" (table {table['name']})"
        detail = exc.message.removeprefix(exc.name or "").strip()
        raise ManifestError(f"run manifest is invalid at {where}: {detail}") from None


def parse_manifest(document: dict[str, Any]) -> Manifest:
    check_schema(document)
    names = [t["name"] for t in document["tables"]]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ManifestError(f"run manifest lists tables more than once: {', '.join(dupes)}")
    source, lake = document["source"], document["lake"]
    time_zone = source.get("timeZone", "UTC")
    try:
        clock.zone(time_zone)
    except TableError as exc:
        raise ManifestError(f"run manifest is invalid at source/timeZone: {exc}") from None
    return Manifest(
        version=document["version"],
        run_id=document["runId"],
        tier=document["tier"],
        created_at=document["createdAt"],
        lease_expires_at=document["leaseExpiresAt"],
        engine=source["engine"],
        source_database=source["database"],
        source_schema=source["schema"],
        connection_name=source.get("connectionName"),
        raw_root=lake["rawRoot"],
        warehouse_root=lake["warehouseRoot"],
        state_table=lake["stateTable"],
        catalog=lake["catalog"],
        tables=tuple(_table(t) for t in document["tables"]),
        source_time_zone=time_zone,
    )


def load_manifest(uri: str) -> Manifest:
    try:
        document = json.loads(read_text(uri))
    except json.JSONDecodeError as exc:
        raise ManifestError(f"run manifest {uri} is not JSON: {exc}") from None
    return parse_manifest(document)
