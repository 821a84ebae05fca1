"""Catalog metadata on the full copy, set by the job that loads it (catalog_metadata.py): the
table comment and lake.* properties from the manifest's tableSpec.catalog, column docs from the
source's comments (information_schema / col_description) with a PII mark, kept current when
tables.yaml or the comments change, and no metadata commit when nothing differs. On both
engines, against the real local Iceberg catalog."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


def comment_on(lake: Lake, table: str, column: str, column_type: str, text: str) -> str:
    if lake.pg:
        return f"COMMENT ON COLUMN {lake.q(table)}.{lake.q(column)} IS '{text}'"
    return f"ALTER TABLE {lake.q(table)} MODIFY {lake.q(column)} {column_type} COMMENT '{text}'"


@pytest.fixture(scope="module")
def customer(lake: Lake) -> dict[str, Any]:
    lake.sql(
        f"""CREATE TABLE cm_customer (
          customer_id INT NOT NULL PRIMARY KEY, {lake.q("Email")} VARCHAR(80) NULL,
          segment VARCHAR(20) NULL, phone VARCHAR(20) NULL, updated_at {lake.type("datetime")} NOT NULL)""",
        comment_on(lake, "cm_customer", "Email", "VARCHAR(80) NULL", "Primary e-mail address"),
        comment_on(lake, "cm_customer", "segment", "VARCHAR(20) NULL", "Sales segment: A, B or C"),
        f"INSERT INTO cm_customer VALUES (1,'a@x.org','A','1',{lake.now(-60)}), (2,'b@x.org','B','2',{lake.now(-60)})",
    )
    spec = lake.spec(
        name="customer",
        source="cm_customer",
        domain="sales",
        strategy="incremental",
        cursor="updated_at",
        primaryKey=["customer_id"],
        pii=["Email", "phone"],
        lookbackSeconds=0,
    )
    spec["catalog"] = {"description": "Customers of the CRM.", "owner": "sales-data@example.com", "tier": "daily"}
    return spec


def properties(lake: Lake, spec: dict[str, Any]) -> dict[str, str]:
    """The lake.* properties and the table comment (which Spark shows as DESCRIBE's Comment)."""
    rows = lake.spark.sql(f"SHOW TBLPROPERTIES {lake.ident(spec)}").collect()
    found = {r[0]: r[1] for r in rows if r[0].startswith("lake.")}
    described = lake.spark.sql(f"DESCRIBE TABLE EXTENDED {lake.ident(spec)}").collect()
    for row in described:
        if row[0] == "Comment":
            found["comment"] = row[1]
    return found


def column_docs(lake: Lake, spec: dict[str, Any]) -> dict[str, str | None]:
    rows = lake.spark.sql(f"DESCRIBE TABLE {lake.ident(spec)}").collect()
    return {r[0]: r[2] for r in rows if r[0] and not r[0].startswith("#")}


def changed_fields(result: dict[str, Any] | None) -> dict[str, Any]:
    assert result is not None and "error" not in result, result
    return {k: v for k, v in result.items() if k != "columnDocs"}


def metadata_commits(lake: Lake, spec: dict[str, Any]) -> int:
    return int(lake.spark.sql(f"SELECT count(*) FROM {lake.ident(spec)}.metadata_log_entries").collect()[0][0])


def last_data_commit(lake: Lake, spec: dict[str, Any]) -> str:
    row = lake.spark.sql(
        f"SELECT committed_at FROM {lake.ident(spec)}.snapshots WHERE operation <> 'replace' "
        "ORDER BY committed_at DESC LIMIT 1"
    ).collect()[0]
    stamp: datetime = row[0]  # session time zone is UTC (tests/conftest.py)
    return stamp.replace(tzinfo=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def test_first_load_sets_comment_properties_and_column_docs(lake: Lake, customer: dict[str, Any]) -> None:
    res = lake.load_one(customer)
    assert res.status == "LOADED", res.error
    assert res.catalogMetadata is not None and "error" not in res.catalogMetadata, res.catalogMetadata
    assert properties(lake, customer) == {
        "comment": "Customers of the CRM.",
        "lake.owner": "sales-data@example.com",
        "lake.domain": "sales",
        "lake.tier": "daily",
        "lake.strategy": "incremental",
        "lake.source-table": "cm_customer",
        "lake.pii-columns": "email,phone",
        "lake.last-load-at": last_data_commit(lake, customer),
    }
    docs = column_docs(lake, customer)
    assert docs["email"] == "Primary e-mail address [PII]"
    assert docs["segment"] == "Sales segment: A, B or C"
    assert docs["phone"] == "[PII]"  # no source comment, but personal data
    assert docs["customer_id"] is None and docs["updated_at"] is None
    # the docs the coordinator puts on the raw table's columns
    assert res.catalogMetadata is not None and res.catalogMetadata["columnDocs"] == {
        "email": "Primary e-mail address [PII]",
        "phone": "[PII]",
        "segment": "Sales segment: A, B or C",
    }


def test_nothing_new_adds_no_metadata_commit(lake: Lake, customer: dict[str, Any]) -> None:
    before = metadata_commits(lake, customer)
    res = lake.load_one(customer)
    assert res.status in ("LOADED", "UNCHANGED"), res.error
    assert res.rowsWritten == 0
    assert changed_fields(res.catalogMetadata) == {"properties": [], "columns": []}
    assert metadata_commits(lake, customer) == before


def test_changed_description_and_comments_are_set_in_one_commit(lake: Lake, customer: dict[str, Any]) -> None:
    lake.sql(
        comment_on(lake, "cm_customer", "segment", "VARCHAR(20) NULL", "Segment (A best)"),
        comment_on(lake, "cm_customer", "customer_id", "INT NOT NULL", "CRM number"),
    )
    changed = {
        **customer,
        "catalog": {**customer["catalog"], "description": "All CRM customers.", "tier": "every_15_min"},
    }
    before = metadata_commits(lake, changed)
    res = lake.load_one(changed)
    assert changed_fields(res.catalogMetadata) == {
        "properties": ["comment", "lake.tier"],
        "columns": ["customer_id", "segment"],
    }
    assert metadata_commits(lake, changed) == before + 1
    props = properties(lake, changed)
    assert props["comment"] == "All CRM customers." and props["lake.tier"] == "every_15_min"
    docs = column_docs(lake, changed)
    assert docs["segment"] == "Segment (A best)" and docs["customer_id"] == "CRM number"
    assert docs["email"] == "Primary e-mail address [PII]"  # untouched


def test_a_load_with_data_moves_last_load_at(lake: Lake, customer: dict[str, Any]) -> None:
    spec = {**customer, "catalog": {**customer["catalog"], "description": "All CRM customers.", "tier": "every_15_min"}}
    before = properties(lake, spec)["lake.last-load-at"]
    lake.sql(f"INSERT INTO cm_customer VALUES (3,'c@x.org','C','3',{lake.now()})")
    res = lake.load_one(spec)
    assert res.status == "LOADED" and res.rowsWritten == 1, res.error
    assert changed_fields(res.catalogMetadata) == {"properties": ["lake.last-load-at"], "columns": []}
    after = properties(lake, spec)["lake.last-load-at"]
    assert after == last_data_commit(lake, spec) and after > before


def test_without_catalog_facts_the_metadata_is_left_alone(lake: Lake, customer: dict[str, Any]) -> None:
    bare = {k: v for k, v in customer.items() if k != "catalog"}
    before = metadata_commits(lake, bare)
    res = lake.load_one(bare)
    assert res.catalogMetadata is None
    assert metadata_commits(lake, bare) == before
    assert properties(lake, bare)["comment"] == "All CRM customers."
