"""Lake names on the Python side: the catalog databases of a domain, a table's raw-zone folder
and a source table's qualified, quoted name. The coordinator writes these into every run
manifest (model/naming.ts, model/engines.ts); the local harness builds manifests for tests with
these. handlers/ingest/tests/test_naming_rules.py and test/model/namingRules.test.ts run both on the same
cases (test/fixtures/naming-cases.json). Identifier quoting itself is the dialect's
(dialects/*.py), the lake column name SourceColumn.lake_name's.
"""

from __future__ import annotations

from .dialects import dialect_for


def catalog_database(prefix: str, domain: str, zone: str) -> str:
    """Glue database of a domain: the full copy (Iceberg, zone "full") or the raw zone ("raw")."""
    if zone == "raw":
        return f"{prefix}_{domain}_raw"
    if zone == "full":
        return f"{prefix}_{domain}"
    raise ValueError(f"zone must be full or raw (got {zone!r})")


def raw_table_path(raw_root: str, domain: str, table: str) -> str:
    """A table's raw-zone folder below the raw root; ends with "/" so it never matches a longer name."""
    return f"{raw_root}raw/{domain}/{table}/"


def qualified_source_name(engine: str, schema: str, table: str) -> str:
    """schema.table, each quoted for the engine."""
    dialect = dialect_for(engine)
    return f"{dialect.quote(schema)}.{dialect.quote(table)}"
