"""Switching a live lake's source from MariaDB to PostgreSQL (handlers/ingest/README.md, "Source
engines"; docs/runbook.md): the tables are copied with their rows, the manifest's engine changes,
the state (watermarks) is kept. The first runs after the switch read only what changed, keep
every row and duplicate none; then a reconcile on the new source (run by the job under the
table's lease) repairs what no load can see (rows deleted from incremental and append tables
after the switch, a row changed without its cursor moving) and proves the lake equals the new
source: its verify afterwards finds every table equal."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.conftest import pg_scratch_database
from tests.helpers import Lake

TABLES = {
    "customer": "id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL, updated_at {datetime} NOT NULL",
    "ledger_event": "event_id BIGINT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL",
    "country": "code CHAR(2) NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL",
}


@pytest.fixture
def new_source(spark: Any, warehouse: str, postgres: str, lake: Lake, tmp_path: Any) -> Iterator[Lake]:
    """The same lake (state table, catalog databases) reading a PostgreSQL copy of the source."""
    for name in pg_scratch_database(f"t_switch_{uuid.uuid4().hex[:6]}"):
        switched = Lake(spark, warehouse, name, str(tmp_path), "postgresql")
        switched.prefix, switched.state_table = lake.prefix, lake.state_table
        yield switched
        switched.src.close()


def specs(lake: Lake) -> list[dict]:
    return [
        lake.spec(name="customer", strategy="incremental", cursor="updated_at", primaryKey=["id"], lookbackSeconds=60),
        lake.spec(name="ledger_event", domain="finance", strategy="append", key="event_id", primaryKey=["event_id"]),
        lake.spec(name="country", strategy="snapshot", primaryKey=["code"]),
    ]


def create_tables(lake: Lake) -> None:
    for table, columns in TABLES.items():
        lake.sql(f"CREATE TABLE {table} ({columns.format(datetime=lake.type('datetime'))})")


def test_switch_from_mariadb_to_postgresql(lake: Lake, new_source: Lake) -> None:
    create_tables(lake)
    lake.sql(
        f"INSERT INTO customer VALUES (1, 'Ada', {lake.now(-600)}), (2, 'Bob', {lake.now(-600)}),"
        f" (3, 'Cy', {lake.now(-600)})",
        "INSERT INTO ledger_event VALUES (1, 10.00), (2, 20.00)",
        "INSERT INTO country VALUES ('DE', 'Germany'), ('FR', 'France')",
    )
    before = lake.load(*specs(lake))
    assert before.status == "SUCCEEDED", before
    lake.sql(f"UPDATE customer SET name = 'Ada L.', updated_at = {lake.now()} WHERE id = 1")  # after the last run

    # the copy: same tables, same rows (cursor values and keys included)
    pg = new_source
    create_tables(pg)
    with pg.src.cursor() as cur:
        for table in TABLES:
            rows = lake.sql(f"SELECT * FROM {table}")
            marks = ", ".join(["%s"] * len(rows[0]))
            cur.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    # changes on the new source after the switch
    pg.sql(
        f"UPDATE customer SET name = 'Bob B.', updated_at = {pg.now()} WHERE id = 2",
        f"INSERT INTO customer VALUES (4, 'Dee', {pg.now()})",
        "INSERT INTO ledger_event VALUES (3, 30.00)",
        "UPDATE country SET name = 'République française' WHERE code = 'FR'",
    )
    after = pg.load(*specs(pg))
    assert after.status == "SUCCEEDED", after
    by_name = {t.name: t for t in after.tables}
    # watermarks kept: only the changes are read (customer 1 changed before the copy, 2 and 4
    # after; the append key 3); the snapshot is compared by key ranges and its changed row moves
    assert by_name["customer"].rowsRead == 3, by_name["customer"]
    assert by_name["ledger_event"].rowsRead == 1, by_name["ledger_event"]
    assert by_name["country"].status == "LOADED" and by_name["country"].rowsRead == 2
    for spec in specs(pg):
        pg.assert_full_copy_equals_source(spec)
    again = pg.load(*specs(pg))
    assert {t.name: t.status for t in again.tables} == {
        "customer": "LOADED",  # what the lookback re-reads is merged, never duplicated
        "ledger_event": "LOADED",
        "country": "UNCHANGED",
    }
    assert {t.name: t.rowsRead for t in again.tables}["ledger_event"] == 0
    for spec in specs(pg):
        pg.assert_full_copy_equals_source(spec)

    # What no load sees, after the switch: deletes in the incremental and the append table, and a
    # row changed while its cursor moved an hour back (a lagging application clock, beyond the
    # lookback). The snapshot table's delete is the range gate's, in the load itself.
    pg.sql(
        "DELETE FROM customer WHERE id = 3",
        "DELETE FROM ledger_event WHERE event_id = 1",
        "UPDATE customer SET name = 'Ada Lovelace', updated_at = updated_at - INTERVAL '1 hour' WHERE id = 1",
        "DELETE FROM country WHERE code = 'DE'",
    )
    quiet = pg.load(*specs(pg))
    assert {t.name: (t.rowsRead, t.rowsDeleted or 0) for t in quiet.tables}["ledger_event"] == (0, 0)
    assert {t.name: t.rowsDeleted for t in quiet.tables}["country"] == 1
    with pytest.raises(AssertionError, match="differs from the source"):
        pg.assert_full_copy_equals_source(specs(pg)[0])  # the load alone leaves customer 3 behind

    repair = {"mode": "repair", "skipLoad": True, "repairAlertRows": 100}
    reconciled = pg.load(*[{**spec, "reconcile": repair} for spec in specs(pg)])
    assert reconciled.status == "SUCCEEDED", reconciled
    blocks = {t.name: t.reconcile for t in reconciled.tables}
    repairs = {
        name: (b["rowsDeleted"], b["rowsUpdated"], b["rowsInserted"]) for name, b in blocks.items() if b is not None
    }
    assert repairs == {"customer": (1, 1, 0), "ledger_event": (1, 0, 0), "country": (0, 0, 0)}, repairs
    for spec in specs(pg):
        pg.assert_full_copy_equals_source(spec)
    verify = {"mode": "verify", "skipLoad": True, "repairAlertRows": 100}
    verified = pg.load(*[{**spec, "reconcile": verify} for spec in specs(pg)])
    assert all(t.reconcile is not None and t.reconcile["equal"] for t in verified.tables), verified
