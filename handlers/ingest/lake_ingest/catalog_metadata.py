"""What the catalog shows about a full copy: its comment, lake.* properties and column docs.

The facts come from the run manifest (tableSpec.catalog: description, owner and tier from
tables.yaml; domain, strategy, source name and PII columns) and from the source's column
comments (information_schema, through the dialect). They are written into the Iceberg table's
metadata, which Iceberg's GlueCatalog (1.10) carries into the Glue table it commits: the table
property `comment` becomes the Glue table's Description and each field's doc its column's
Comment. Glue Parameters are not filled from Iceberg properties by that catalog (it keeps the
Glue table's own parameters and adds metadata_location), so the lake.* properties are read
through the engine (Athena `SHOW TBLPROPERTIES`, Spark) and the dictionary.

Only what differs is set, in one Iceberg transaction (one metadata commit): a table whose
metadata is current gets no commit. lake.last-load-at is the commit time of the newest snapshot
that brought data (maintenance's rewrites, operation "replace", are passed over), so it moves
only when a run published data and a run that found nothing new adds no commit either.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from .manifest import TableSpec

COMMENT = "comment"  # the Iceberg table property Spark and Glue show as the table's description
PREFIX = "lake."
PII_MARK = "[PII]"
LAST_LOAD = PREFIX + "last-load-at"
# Snapshots walked back from the current one to find the last data commit (past maintenance).
MAX_SNAPSHOTS_WALKED = 100


@dataclass(frozen=True)
class TableMetadata:
    """The metadata a full copy should carry (or carries)."""

    properties: dict[str, str]  # the comment and every lake.* property
    column_docs: dict[str, str]  # lake column name -> doc


@dataclass
class MetadataChange:
    """What one sync set: property names and column names (empty when nothing differed)."""

    properties: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    # every column's doc as wanted (set or already there): the coordinator puts the same
    # comments on the raw table (handlers/coordinator/flows/describeTables.ts)
    docs: dict[str, str] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.properties or self.columns)

    def to_result(self) -> dict[str, Any]:
        return {"properties": self.properties, "columns": self.columns, "columnDocs": self.docs}


def column_doc(source_comment: str | None, pii: bool) -> str | None:
    """The column's doc: its source comment, marked when the column holds personal data."""
    text = (source_comment or "").strip()
    if pii:
        return f"{text} {PII_MARK}".strip()
    return text or None


def desired_metadata(
    spec: TableSpec,
    lake_columns: list[str],
    source_comments: Mapping[str, str],
    loaded_at: str | None,
) -> TableMetadata:
    """lake_columns: the full copy's columns (lower case); source_comments: by exact source
    name; loaded_at: the last data commit's time (None: no data yet, the property is left out)."""
    assert spec.catalog is not None
    properties = {
        COMMENT: spec.catalog.description,
        PREFIX + "owner": spec.catalog.owner,
        PREFIX + "domain": spec.domain,
        PREFIX + "tier": spec.catalog.tier,
        PREFIX + "strategy": spec.strategy,
        PREFIX + "source-table": spec.source_name,
        PREFIX + "pii-columns": ",".join(sorted(c.lower() for c in spec.pii)),
    }
    if loaded_at is not None:
        properties[LAST_LOAD] = loaded_at
    comments = {name.lower(): text for name, text in source_comments.items()}
    pii = {c.lower() for c in spec.pii}
    docs: dict[str, str] = {}
    for name in lake_columns:
        doc = column_doc(comments.get(name), name in pii)
        if doc is not None:
            docs[name] = doc
    return TableMetadata(properties, docs)


def plan_change(current: TableMetadata, desired: TableMetadata) -> MetadataChange:
    """The properties and column docs that differ. A doc the source no longer has is cleared
    (set to empty: Iceberg has no way to remove a doc); lake.* keys not wanted are left alone."""
    change = MetadataChange()
    change.properties = sorted(k for k, v in desired.properties.items() if current.properties.get(k) != v)
    stale = {name for name, doc in current.column_docs.items() if doc and name not in desired.column_docs}
    differing = {name for name, doc in desired.column_docs.items() if current.column_docs.get(name) != doc}
    change.columns = sorted(stale | differing)
    change.docs = dict(desired.column_docs)
    return change


class IcebergMetadata:
    """Reads and writes a full copy's metadata through Iceberg's Java API (one transaction)."""

    def __init__(self, spark: Any, ident: str) -> None:
        jvm = spark.sparkContext._jvm
        self.table = jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(spark._jsparkSession, ident)

    def current(self) -> TableMetadata:
        self.table.refresh()
        props = self.table.properties()
        properties = {
            str(k): str(props.get(k)) for k in props.keySet() if str(k) == COMMENT or str(k).startswith(PREFIX)
        }
        docs: dict[str, str] = {}
        for column in self.table.schema().columns():
            doc = column.doc()
            if doc is not None:
                docs[str(column.name())] = str(doc)
        return TableMetadata(properties, docs)

    def last_data_commit(self) -> str | None:
        """ISO-8601 UTC time of the newest snapshot that is not a rewrite; None: no data yet."""
        snapshot = self.table.currentSnapshot()
        for _ in range(MAX_SNAPSHOTS_WALKED):
            if snapshot is None:
                return None
            if str(snapshot.operation()) != "replace":
                stamp = datetime.fromtimestamp(int(snapshot.timestampMillis()) / 1000, UTC)
                return stamp.isoformat(timespec="milliseconds").replace("+00:00", "Z")
            parent = snapshot.parentId()
            snapshot = self.table.snapshot(parent) if parent is not None else None
        return None

    def columns(self) -> list[str]:
        return [str(c.name()) for c in self.table.schema().columns()]

    def apply(self, desired: TableMetadata, change: MetadataChange) -> None:
        if not change.changed:
            return
        transaction = self.table.newTransaction()
        if change.columns:
            schema = transaction.updateSchema()
            for name in change.columns:
                schema = schema.updateColumnDoc(name, desired.column_docs.get(name, ""))
            schema.commit()
        if change.properties:
            update = transaction.updateProperties()
            for key in change.properties:
                update = update.set(key, desired.properties[key])
            update.commit()
        transaction.commitTransaction()


def sync_metadata(
    spark: Any,
    ident: str,
    spec: TableSpec,
    source_comments: Mapping[str, str],
) -> MetadataChange:
    """Sets what differs of the full copy's catalog metadata; returns what it set."""
    table = IcebergMetadata(spark, ident)
    current = table.current()
    desired = desired_metadata(spec, table.columns(), source_comments, table.last_data_commit())
    change = plan_change(current, desired)
    table.apply(desired, change)
    return change
