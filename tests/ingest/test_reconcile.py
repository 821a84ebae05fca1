"""Reconciliation through the real job: MariaDB, local Spark + Iceberg, moto's state table.

Deletes an incremental or append load never sees, a changed row whose cursor did not move, a
column added with a default, a keyless table, and the key-range gate of snapshot tables; every
repair's counts are asserted exactly and the full copy is compared with the source row by row.
Small CHUNK_ROWS / LEAF_ROWS make the tables here bisect over several levels."""

from __future__ import annotations

from typing import Any

import pytest

from lake_ingest import reconcile
from tests.ingest.helpers import Lake


@pytest.fixture(autouse=True)
def small_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reconcile, "CHUNK_ROWS", 64)
    monkeypatch.setattr(reconcile, "LEAF_ROWS", 8)


def with_reconcile(spec: dict[str, Any], mode: str = "repair", skip_load: bool = False) -> dict[str, Any]:
    return {**spec, "reconcile": {"mode": mode, "skipLoad": skip_load, "repairAlertRows": 5}}


def counts(block: dict[str, Any] | None) -> tuple[int, int, int]:
    assert block is not None
    return block["rowsDeleted"], block["rowsUpdated"], block["rowsInserted"]


def test_incremental_deletes_and_silent_update_repaired(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE sales_order (id INT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL, "
        "note VARCHAR(40) NULL, updated_at DATETIME(6) NOT NULL)"
    )
    values = ", ".join(f"({i}, {i}.50, 'n{i}', '2024-01-01 00:00:00')" for i in range(1, 301))
    lake.sql(f"INSERT INTO sales_order VALUES {values}")
    spec = lake.spec(name="sales_order", strategy="incremental", cursor="updated_at", primaryKey=["id"])
    assert lake.load_one(spec).status == "LOADED"

    lake.sql(
        "DELETE FROM sales_order WHERE id IN (7, 150, 299)",
        "UPDATE sales_order SET note = 'changed, cursor kept' WHERE id = 42",
    )
    res = lake.load_one(with_reconcile(spec))
    assert res.status == "LOADED", res.error
    block = res.reconcile
    assert block is not None and block["equal"] is False and block["method"] == "ranges"
    assert counts(block) == (3, 1, 0)
    assert block["rangesRepaired"] >= 1 and block["repairAlertRows"] == 5
    # bisection: the re-read covers only small leaves, not the whole table
    assert block["sourceRowsScanned"] < 3 * 300
    assert lake.assert_full_copy_equals_source(spec) == 297
    state = lake.state("sales_order")
    assert state["lastReconcileRepairs"] == "4" and state["lastReconcileEqual"] is False
    assert state["lastReconciledAt"] and "leaseRunId" not in state

    again = lake.load_one(with_reconcile(spec, mode="verify"))
    assert again.reconcile is not None and again.reconcile["equal"] is True
    assert counts(again.reconcile) == (0, 0, 0)
    assert lake.state("sales_order")["lastReconcileEqual"] is True


def test_append_deletes_repaired_without_moving_the_watermark(lake: Lake) -> None:
    lake.sql("CREATE TABLE audit_event (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY, payload VARCHAR(20) NOT NULL)")
    lake.sql("INSERT INTO audit_event (payload) VALUES " + ", ".join(f"('e{i}')" for i in range(120)))
    spec = lake.spec(name="audit_event", strategy="append", key="id", primaryKey=["id"])
    assert lake.load_one(spec).status == "LOADED"
    watermark = lake.state("audit_event")["watermark"]
    lake.sql("DELETE FROM audit_event WHERE id IN (3, 77)")

    verify = lake.load_one(with_reconcile(spec, mode="verify", skip_load=True))
    assert verify.status == "UNCHANGED", verify.error
    assert verify.reconcile is not None and verify.reconcile["equal"] is False
    assert counts(verify.reconcile) == (0, 0, 0)  # verify repairs nothing

    res = lake.load_one(with_reconcile(spec, skip_load=True))
    assert res.status == "LOADED", res.error
    assert counts(res.reconcile) == (2, 0, 0) and res.rowsDeleted == 2
    state = lake.state("audit_event")
    assert state["watermark"] == watermark and state["lastReconcileRepairs"] == "2"
    assert lake.assert_full_copy_equals_source(spec) == 118


def test_added_column_with_default_restored_by_reconcile(lake: Lake) -> None:
    lake.sql("CREATE TABLE invoice (id INT NOT NULL PRIMARY KEY, total INT NOT NULL, updated_at DATETIME(6) NOT NULL)")
    lake.sql("INSERT INTO invoice VALUES " + ", ".join(f"({i}, {i}, '2024-01-01')" for i in range(1, 41)))
    spec = lake.spec(name="invoice", strategy="incremental", cursor="updated_at", primaryKey=["id"])
    assert lake.load_one(spec).status == "LOADED"
    lake.sql("ALTER TABLE invoice ADD COLUMN status INT NOT NULL DEFAULT 1")
    res = lake.load_one(with_reconcile(spec))
    assert res.status == "LOADED", res.error
    assert res.schemaChanged
    # the load itself filled the added column for every key: nothing left to repair
    assert counts(res.reconcile) == (0, 0, 0) and res.reconcile is not None and res.reconcile["equal"], res.reconcile
    # a backfill after the run that added the column, cursor untouched: only a reconcile sees it
    lake.sql("UPDATE invoice SET status = 2")
    res = lake.load_one(with_reconcile(spec))
    assert res.status == "LOADED", res.error
    assert counts(res.reconcile) == (0, 40, 0)
    assert lake.assert_full_copy_equals_source(spec) == 40


def test_keyless_table_replaced_on_mismatch(lake: Lake) -> None:
    lake.sql("CREATE TABLE shift_import (plant VARCHAR(10) NOT NULL, headcount INT NULL)")
    lake.sql("INSERT INTO shift_import VALUES ('P1', 5), ('P1', 5), ('P2', NULL), ('P3', 1)")
    spec = lake.spec(name="shift_import", domain="manufacturing", strategy="snapshot")
    assert lake.load_one(spec).status == "LOADED"
    # one of two identical rows deleted (a XOR would not see it), one row added
    lake.sql("DELETE FROM shift_import WHERE plant = 'P1' LIMIT 1", "INSERT INTO shift_import VALUES ('P4', 0)")
    verify = lake.load_one(with_reconcile(spec, mode="verify", skip_load=True))
    assert verify.reconcile is not None and verify.reconcile["equal"] is False
    assert verify.reconcile["method"] == "whole-table"
    res = lake.load_one(with_reconcile(spec, skip_load=True))
    assert res.status == "LOADED", res.error
    assert counts(res.reconcile) == (1, 0, 1) and res.reconcile["rangesRepaired"] == 1
    assert lake.assert_full_copy_equals_source(spec) == 4


def test_snapshot_with_integer_key_moves_only_changed_ranges(lake: Lake) -> None:
    lake.sql("CREATE TABLE price_list (id INT NOT NULL PRIMARY KEY, price DECIMAL(10,2) NOT NULL)")
    lake.sql("INSERT INTO price_list VALUES " + ", ".join(f"({i}, {i}.25)" for i in range(1, 501)))
    spec = lake.spec(name="price_list", strategy="snapshot", primaryKey=["id"])
    assert lake.load_one(spec).status == "LOADED"
    snaps = lake.snapshot_count(spec)
    same = lake.load_one(spec)
    assert same.status == "UNCHANGED" and same.rowsRead == 0 and lake.snapshot_count(spec) == snaps
    assert same.watermarkKind == "checksum" and same.watermark.startswith("rows:500:")

    lake.sql(
        "UPDATE price_list SET price = 1 WHERE id = 250",
        "DELETE FROM price_list WHERE id = 10",
        "INSERT INTO price_list VALUES (1000, 9.99)",
    )
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert (res.rowsDeleted, res.rowsWritten) == (1, 2)
    assert res.rowsRead <= 3 * 8  # three leaves of at most 8 rows re-read, not 500 rows
    assert res.reconcile is None  # the gate is the load, not a reconcile (no alert for it)
    assert lake.snapshot_count(spec) == snaps + 1  # one commit
    assert lake.assert_full_copy_equals_source(spec) == 500


def test_snapshot_with_composite_string_key_follows_case_changes(lake: Lake) -> None:
    lake.sql("""CREATE TABLE currency_rate (
      from_currency CHAR(3) NOT NULL, to_currency CHAR(3) NOT NULL, rate DECIMAL(18,8) NOT NULL,
      PRIMARY KEY (from_currency, to_currency))""")
    pairs = [(a, b) for a in ("EUR", "USD", "GBP", "CHF", "JPY") for b in ("AAA", "BBB", "CCC", "DDD")]
    lake.sql("INSERT INTO currency_rate VALUES " + ", ".join(f"('{a}', '{b}', 1.5)" for a, b in pairs))
    spec = lake.spec(name="currency_rate", strategy="snapshot", primaryKey=["from_currency", "to_currency"])
    assert lake.load_one(spec).status == "LOADED"
    # under utf8mb4_unicode_ci 'eur' = 'EUR': the source key changes only in case
    lake.sql(
        "UPDATE currency_rate SET from_currency = 'eur' WHERE from_currency = 'EUR' AND to_currency = 'AAA'",
        "UPDATE currency_rate SET rate = 2 WHERE from_currency = 'USD' AND to_currency = 'BBB'",
    )
    res = lake.load_one(with_reconcile(spec))
    assert res.status == "LOADED", res.error
    assert (res.rowsDeleted, res.rowsWritten) == (1, 2)  # EUR/AAA deleted, eur/AAA inserted, USD/BBB updated
    assert res.reconcile is not None and res.reconcile["equal"] is True  # the reconcile after it agrees
    assert lake.assert_full_copy_equals_source(spec) == 20
    rows = lake.lake_rows(spec, ["from_currency", "to_currency"])
    assert ("eur", "AAA") in rows and ("EUR", "AAA") not in rows
