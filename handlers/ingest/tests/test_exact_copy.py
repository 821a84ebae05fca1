"""The full copy stays exact under the real-world changes of issue 10 (defects 2, 3, 5-8, 10, 11),
each on the real MariaDB and local Spark + Iceberg: an added column with a default or a
backfill, a renamed column, a NULL cursor, a lagging application clock, an append source whose
MAX(key) falls below the watermark, a dropped full copy whose reload failed after CREATE TABLE,
a NULL in a key column, a cursor that is not a timestamp, and a publish that must take the
snapshot its own attempt staged."""

from __future__ import annotations

import pytest

from lake_ingest.writer import FullCopy
from tests.helpers import Lake


# -- 2: added and renamed columns ------------------------------------------------------------
def test_added_column_with_default_and_backfill_lands_in_every_row_incremental(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE sales_order (order_id INT NOT NULL PRIMARY KEY, amount DECIMAL(10,2) NOT NULL,"
        " note VARCHAR(20) NULL, updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO sales_order SELECT seq, seq * 1.5, CONCAT('n', seq), UTC_TIMESTAMP(6) - INTERVAL 1 DAY"
        " FROM seq_1_to_20",
    )
    spec = lake.spec(
        name="sales_order", strategy="incremental", cursor="updated_at", primaryKey=["order_id"], lookbackSeconds=60
    )
    assert lake.load_one(spec).status == "LOADED"
    # A migration that never touches the cursor: a NOT NULL column with a default, a nullable
    # column backfilled with updated_at kept, and a renamed column.
    lake.sql(
        "ALTER TABLE sales_order ADD COLUMN status TINYINT NOT NULL DEFAULT 1",
        "ALTER TABLE sales_order ADD COLUMN region VARCHAR(10) NULL",
        "UPDATE sales_order SET region = IF(order_id % 2 = 0, 'north', 'south'), updated_at = updated_at",
        "ALTER TABLE sales_order RENAME COLUMN note TO remark",
        "UPDATE sales_order SET amount = 99, updated_at = UTC_TIMESTAMP(6) WHERE order_id = 3",
    )
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert res.schemaChanged
    assert lake.assert_full_copy_equals_source(spec) == 20  # status, region and remark in every row
    kept = dict(lake.spark.sql(f"SELECT order_id, note FROM {lake.ident(spec)}").collect())
    assert kept[5] == "n5"  # the old name keeps its last values
    # the next run has nothing to fill again: the full copy stays equal
    again = lake.load_one(spec)
    assert again.status == "LOADED", again.error
    assert lake.assert_full_copy_equals_source(spec) == 20


def test_added_column_with_default_lands_in_every_row_append(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE stock_move (move_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, qty INT NOT NULL)",
        "INSERT INTO stock_move (qty) SELECT seq FROM seq_1_to_30",
    )
    spec = lake.spec(name="stock_move", domain="logistics", strategy="append", key="move_id", primaryKey=["move_id"])
    assert lake.load_one(spec).status == "LOADED"
    lake.sql(
        "ALTER TABLE stock_move ADD COLUMN status TINYINT NOT NULL DEFAULT 1",
        "INSERT INTO stock_move (qty, status) VALUES (31, 2)",
    )
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert res.rowsRead == 1  # only the new key is appended; the old ones get their status filled
    assert lake.assert_full_copy_equals_source(spec) == 31


def test_added_column_is_filled_after_a_failed_run_that_added_it(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    """The run that added the column to the full copy failed before its publish: the next run
    (which no longer sees a new column) still fills it."""
    lake.sql(
        "CREATE TABLE vendor (vendor_id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO vendor SELECT seq, CONCAT('v', seq), UTC_TIMESTAMP(6) - INTERVAL 1 DAY FROM seq_1_to_5",
    )
    spec = lake.spec(name="vendor", strategy="incremental", cursor="updated_at", primaryKey=["vendor_id"])
    assert lake.load_one(spec).status == "LOADED"
    lake.sql(
        "ALTER TABLE vendor ADD COLUMN rating INT NOT NULL DEFAULT 7",
        "UPDATE vendor SET name = 'v1b', updated_at = UTC_TIMESTAMP(6) WHERE vendor_id = 1",
    )

    def fail(*_a: object, **_k: object) -> None:
        raise RuntimeError("publish failed")

    with monkeypatch.context() as m:
        m.setattr(FullCopy, "_publish", fail)
        assert lake.load_one(spec).status == "FAILED"
    assert "rating" in lake.spark.read.table(lake.ident(spec)).columns  # added, not filled
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(spec) == 5


# -- 3: NULL cursor --------------------------------------------------------------------------
def test_rows_with_a_null_cursor_are_read_on_every_run(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE contact (contact_id INT NOT NULL PRIMARY KEY, email VARCHAR(40) NOT NULL,"
        " updated_at DATETIME(6) NULL)",
        "INSERT INTO contact VALUES (1, 'a@x', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR), (2, 'b@x', NULL)",
    )
    spec = lake.spec(name="contact", strategy="incremental", cursor="updated_at", primaryKey=["contact_id"])
    assert lake.load_one(spec).rowsRead == 2
    lake.sql(
        "INSERT INTO contact VALUES (3, 'c@x', NULL)",
        "UPDATE contact SET email = 'b2@x' WHERE contact_id = 2",
    )
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(spec) == 3


# -- 5: a lagging application clock ----------------------------------------------------------
def test_a_cursor_moved_backwards_still_replaces_the_row(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE invoice (invoice_id INT NOT NULL PRIMARY KEY, total DECIMAL(10,2) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO invoice VALUES (1, 10, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE),"
        " (2, 20, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE)",
    )
    spec = lake.spec(
        name="invoice", domain="finance", strategy="incremental", cursor="updated_at", primaryKey=["invoice_id"]
    )
    assert lake.load_one(spec).status == "LOADED"
    # An application server whose clock lags stamps the change before the loaded version (still
    # inside the lookback): the source row is the truth.
    lake.sql("UPDATE invoice SET total = 11, updated_at = UTC_TIMESTAMP(6) - INTERVAL 2 MINUTE WHERE invoice_id = 1")
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(spec) == 2


# -- 6: append source below its watermark ----------------------------------------------------
def test_append_source_max_below_the_watermark_fails_loudly(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE scan_event (scan_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, code VARCHAR(10) NOT NULL)",
        "INSERT INTO scan_event (code) SELECT CONCAT('c', seq) FROM seq_1_to_10",
    )
    spec = lake.spec(name="scan_event", domain="logistics", strategy="append", key="scan_id", primaryKey=["scan_id"])
    assert lake.load_one(spec).watermark == "10"
    lake.sql("TRUNCATE TABLE scan_event", "INSERT INTO scan_event (code) VALUES ('r1'), ('r2'), ('r3')")
    res = lake.load_one(spec)
    assert res.status == "FAILED"
    error = res.error or ""
    assert "scan_event" in error and "10" in error and "3" in error and "watermark" in error, error
    assert lake.state("scan_event")["watermark"] == "10"
    # The operator's answer (lake backfill): the watermark goes, the next load reads the whole
    # source and REPLACES the full copy: the refilled keys 1..3 are new rows, 4..10 are gone.
    lake.clear_watermark("scan_event")
    reloaded = lake.load_one(spec)
    assert reloaded.status == "LOADED" and reloaded.rowsDeleted == 7 and reloaded.watermark == "3", reloaded
    assert lake.assert_full_copy_equals_source(spec) == 3


def test_reload_from_scratch_replaces_an_incremental_copy(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE price_tag (tag_id INT NOT NULL PRIMARY KEY, price DECIMAL(8,2) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO price_tag SELECT seq, seq, UTC_TIMESTAMP(6) - INTERVAL 1 DAY FROM seq_1_to_12",
    )
    spec = lake.spec(name="price_tag", strategy="incremental", cursor="updated_at", primaryKey=["tag_id"])
    assert lake.load_one(spec).status == "LOADED"
    lake.sql("DELETE FROM price_tag WHERE tag_id > 9")  # hard deletes: no cursor shows them
    assert lake.load_one(spec).rowsRead == 0
    lake.clear_watermark("price_tag")
    reloaded = lake.load_one(spec)
    assert reloaded.status == "LOADED" and reloaded.rowsDeleted == 3, reloaded
    assert lake.assert_full_copy_equals_source(spec) == 9


# -- 7: a dropped full copy whose reload failed after CREATE TABLE ---------------------------
def test_reload_that_failed_after_create_table_reloads_everything(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    lake.sql(
        "CREATE TABLE route (route_id INT NOT NULL PRIMARY KEY, name VARCHAR(20) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO route SELECT seq, CONCAT('r', seq), UTC_TIMESTAMP(6) - INTERVAL 1 DAY FROM seq_1_to_8",
        "CREATE TABLE depot (depot_code CHAR(3) NOT NULL PRIMARY KEY, city VARCHAR(20) NOT NULL)",
        "INSERT INTO depot VALUES ('BER', 'Berlin'), ('VIE', 'Wien')",
    )
    route = lake.spec(
        name="route", domain="logistics", strategy="incremental", cursor="updated_at", primaryKey=["route_id"]
    )
    depot = lake.spec(name="depot", domain="logistics", strategy="snapshot", primaryKey=["depot_code"])
    assert all(t.status == "LOADED" for t in lake.load(route, depot).tables)
    for spec in (route, depot):
        lake.spark.sql(f"DROP TABLE {lake.ident(spec)} PURGE")

    def fail(*_a: object, **_k: object) -> None:
        raise RuntimeError("publish failed")

    with monkeypatch.context() as m:
        m.setattr(FullCopy, "_publish", fail)
        assert all(t.status == "FAILED" for t in lake.load(route, depot).tables)
    for spec in (route, depot):  # created, never published
        assert lake.spark.catalog.tableExists(lake.ident(spec).replace("`", ""))
    result = lake.load(route, depot)
    assert [t.status for t in result.tables] == ["LOADED", "LOADED"], result
    assert lake.assert_full_copy_equals_source(route) == 8
    assert lake.assert_full_copy_equals_source(depot) == 2


# -- 8: a NULL in a declared key column ------------------------------------------------------
def test_null_in_a_key_column_is_matched_never_duplicated(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE parcel_event (event_id INT NOT NULL, hub VARCHAR(5) NULL, what VARCHAR(10) NOT NULL,"
        " KEY (event_id))",
        "INSERT INTO parcel_event VALUES (1, 'A', 'in'), (2, NULL, 'in'), (3, 'B', 'out')",
        "CREATE TABLE order_line (order_id INT NOT NULL, line_no INT NULL, qty INT NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO order_line VALUES (1, 1, 5, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE),"
        " (1, NULL, 7, UTC_TIMESTAMP(6) - INTERVAL 1 MINUTE)",
    )
    events = lake.spec(
        name="parcel_event", domain="logistics", strategy="append", key="event_id", primaryKey=["event_id", "hub"]
    )
    lines = lake.spec(
        name="order_line", strategy="incremental", cursor="updated_at", primaryKey=["order_id", "line_no"]
    )
    assert all(t.status == "LOADED" for t in lake.load(events, lines).tables)
    lake.sql("UPDATE order_line SET qty = 8, updated_at = UTC_TIMESTAMP(6) WHERE line_no IS NULL")
    again = lake.load(events, lines)  # both lookbacks re-read the NULL-keyed rows
    assert all(t.status == "LOADED" for t in again.tables), again
    assert again.tables[0].rowsRead == 0  # nothing new in the append table
    assert lake.assert_full_copy_equals_source(events) == 3
    assert lake.assert_full_copy_equals_source(lines) == 2


# -- 10: a cursor that cannot be compared as a timestamp -------------------------------------
@pytest.mark.parametrize("column_type", ["DATE", "INT", "VARCHAR(30)"])
def test_a_cursor_that_is_not_a_timestamp_is_refused(lake: Lake, column_type: str) -> None:
    table = f"cursor_{column_type.split('(')[0].lower()}"
    lake.sql(
        f"CREATE TABLE {table} (id INT NOT NULL PRIMARY KEY, changed {column_type} NULL)",
        f"INSERT INTO {table} VALUES (1, NULL)",
    )
    spec = lake.spec(name=table, strategy="incremental", cursor="changed", primaryKey=["id"])
    res = lake.load_one(spec)
    assert res.status == "FAILED"
    error = res.error or ""
    assert table in error and "changed" in error and "DATETIME or TIMESTAMP" in error, error


# -- 11: publishing this attempt's snapshot; a rename in a snapshot table --------------------
def test_publish_takes_the_snapshot_this_attempt_staged(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    lake.sql(
        "CREATE TABLE warehouse_bin (bin_id INT NOT NULL PRIMARY KEY, label VARCHAR(10) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO warehouse_bin VALUES (1, 'a', UTC_TIMESTAMP(6) - INTERVAL 1 HOUR)",
    )
    spec = lake.spec(
        name="warehouse_bin", domain="logistics", strategy="incremental", cursor="updated_at", primaryKey=["bin_id"]
    )
    assert lake.load_one(spec).status == "LOADED"
    lake.sql("INSERT INTO warehouse_bin VALUES (2, 'b', UTC_TIMESTAMP(6))")
    real_publish = FullCopy._publish

    def another_attempt_stages_later(self: FullCopy, *args: object) -> None:
        # another attempt of the same run (a zombie) stages a snapshot after this attempt's
        run_id = str(args[0])
        self.spark.conf.set("spark.wap.id", run_id)
        try:
            self.spark.sql(
                f"INSERT INTO {self.ident} VALUES (99, 'zombie', current_timestamp(), current_timestamp(), 'z')"
            )
        finally:
            self.spark.conf.unset("spark.wap.id")
        real_publish(self, *args)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(FullCopy, "_publish", another_attempt_stages_later)
        res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(spec) == 2


def test_snapshot_table_with_only_a_renamed_column_is_reloaded(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE unit_of_measure (uom VARCHAR(3) NOT NULL PRIMARY KEY, factor INT NOT NULL)",
        "INSERT INTO unit_of_measure VALUES ('KG', 1000), ('G', 1)",
    )
    spec = lake.spec(name="unit_of_measure", domain="logistics", strategy="snapshot", primaryKey=["uom"])
    assert lake.load_one(spec).status == "LOADED"
    checksum = lake.sql("CHECKSUM TABLE unit_of_measure")[0][1]
    lake.sql("ALTER TABLE unit_of_measure RENAME COLUMN factor TO grams")
    assert lake.sql("CHECKSUM TABLE unit_of_measure")[0][1] == checksum  # the trap: same checksum
    res = lake.load_one(spec)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(spec) == 2
    assert lake.load_one(spec).status == "UNCHANGED"
