"""incremental: initial load, updates, a late update inside the lookback window, rows sharing
the boundary cursor value, mixed-case names and the reserved word `return`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lake_ingest.strategies import iso_ts, parse_ts
from tests.ingest.helpers import Lake

NOTES = """
CREATE TABLE `Order_Line_Notes` (
  `NoteId` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  `NoteText` TEXT NOT NULL,
  `IsVisible` TINYINT(1) NOT NULL DEFAULT 0,
  `LastChangedAt` DATETIME(3) NOT NULL
)
"""
RETURNS = """
CREATE TABLE `return` (
  return_id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
  reason VARCHAR(20) NOT NULL,
  refund_amount DECIMAL(18,4) NULL,
  updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP
)
"""


@pytest.fixture(scope="module")
def notes(lake: Lake) -> dict:
    lake.sql(NOTES)
    return lake.spec(
        name="order_line_notes",
        source="Order_Line_Notes",
        strategy="incremental",
        cursor="LastChangedAt",
        primaryKey=["NoteId"],
        lookbackSeconds=600,
    )


def test_initial_load_then_updates_and_inserts(lake: Lake) -> None:
    lake.sql(
        RETURNS,
        "INSERT INTO `return` (reason, refund_amount) VALUES ('damaged', 10.5), ('other', NULL), ('quality', 3)",
    )
    spec = lake.spec(
        name="sales_return", source="return", strategy="incremental", cursor="updated_at", primaryKey=["return_id"]
    )
    first = lake.load_one(spec)
    assert first.status == "LOADED", first.error
    assert first.rowsRead == 3
    lake.assert_full_copy_equals_source(spec)
    state = lake.state("sales_return")
    assert state["lastStatus"] == "LOADED" and state["watermarkKind"] == "timestamp"
    assert "leaseRunId" not in state
    assert state["watermark"] == first.watermark

    # updated_at is TIMESTAMP(0): push the changed rows' cursor past the watermark explicitly
    lake.sql(
        "UPDATE `return` SET reason = 'wrong_item', updated_at = UTC_TIMESTAMP() + INTERVAL 1 SECOND WHERE return_id = 2",
        "INSERT INTO `return` (reason, updated_at) VALUES ('new', UTC_TIMESTAMP() + INTERVAL 1 SECOND)",
    )
    with pytest.raises(AssertionError):  # the comparison sees the change before it is loaded
        lake.assert_full_copy_equals_source(spec)
    import time

    time.sleep(1.2)
    second = lake.load_one(spec)
    assert second.status == "LOADED", second.error
    assert second.rowsRead >= 2
    assert lake.assert_full_copy_equals_source(spec) == 4
    assert parse_ts(second.watermark) > parse_ts(first.watermark)


def test_update_inside_lookback_window(lake: Lake, notes: dict) -> None:
    lake.sql(
        "INSERT INTO `Order_Line_Notes` (NoteText, LastChangedAt) VALUES "
        "('a', UTC_TIMESTAMP(3) - INTERVAL 1 HOUR), ('b', UTC_TIMESTAMP(3) - INTERVAL 1 HOUR)"
    )
    assert lake.load_one(notes).status == "LOADED"
    lake.assert_full_copy_equals_source(notes)
    wm = parse_ts(lake.state("order_line_notes")["watermark"])
    # A late commit: the application stamped the change 2 minutes before the committed
    # watermark (inside the 10-minute lookback), so only the lookback finds it.
    late = (wm.replace(tzinfo=None) - __import__("datetime").timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    lake.sql(
        f"UPDATE `Order_Line_Notes` SET NoteText = 'late edit', IsVisible = 1, LastChangedAt = '{late}' WHERE NoteText = 'a'"
    )
    res = lake.load_one(notes)
    assert res.status == "LOADED", res.error
    assert res.rowsRead == 1
    lake.assert_full_copy_equals_source(notes)
    assert parse_ts(res.watermark) >= wm


def test_rows_sharing_the_boundary_cursor_value(lake: Lake, notes: dict) -> None:
    boundary = lake.sql("SELECT DATE_FORMAT(UTC_TIMESTAMP(3) - INTERVAL 1 HOUR, '%Y-%m-%d %H:%i:%s.%f')")[0][0][:23]
    b = parse_ts(boundary)
    lake.sql("DELETE FROM `Order_Line_Notes`")
    lake.spark.sql(f"DELETE FROM {lake.ident(notes)}")
    lake.sql(
        "INSERT INTO `Order_Line_Notes` (NoteText, LastChangedAt) VALUES "
        + ", ".join(f"('edge {i}', '{boundary}')" for i in range(5))
    )
    no_lookback = {**notes, "lookbackSeconds": 0}

    # A window ending exactly on the shared value includes every row that has it ...
    lake.set_watermark("order_line_notes", "timestamp", iso_ts(b - timedelta(seconds=1)))
    first = lake.load_one(no_lookback)
    assert first.status == "LOADED", first.error
    assert first.rowsRead == 5
    lake.assert_full_copy_equals_source(notes)

    # ... and a window starting exactly on it (the watermark a run committed) reads none of them
    # again without lookback, but does read a row just after it.
    lake.set_watermark("order_line_notes", "timestamp", iso_ts(b))
    after = (b + timedelta(milliseconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")[:23]
    lake.sql(f"INSERT INTO `Order_Line_Notes` (NoteText, LastChangedAt) VALUES ('after', '{after}')")
    second = lake.load_one(no_lookback)
    assert second.status == "LOADED", second.error
    assert second.rowsRead == 1
    assert lake.assert_full_copy_equals_source(notes) == 6

    # With a lookback the boundary rows are read again and merged, never duplicated.
    lake.set_watermark("order_line_notes", "timestamp", iso_ts(b))
    third = lake.load_one({**notes, "lookbackSeconds": 60})
    assert third.status == "LOADED", third.error
    assert third.rowsRead == 6
    assert lake.assert_full_copy_equals_source(notes) == 6


def test_batch_dedupe_latest_cursor_wins(lake: Lake) -> None:
    from lake_ingest.writer import dedupe_latest

    df = lake.spark.createDataFrame(
        [(1, "old", "2024-01-01 00:00:00"), (1, "new", "2024-01-02 00:00:00"), (2, "only", "2024-01-01 00:00:00")],
        "id int, v string, c string",
    ).selectExpr("id", "v", "CAST(c AS timestamp) AS c")
    got = sorted((r["id"], r["v"]) for r in dedupe_latest(df, ["id"], "c").collect())
    assert got == [(1, "new"), (2, "only")]


def test_merge_on_read_full_copy(lake: Lake) -> None:
    """--merge_mode merge-on-read: the MERGE writes delete files, still staged and published."""
    lake.sql(
        "CREATE TABLE gl_account (gl_account_id INT NOT NULL PRIMARY KEY, name VARCHAR(40) NOT NULL,"
        " updated_at DATETIME(6) NOT NULL)",
        "INSERT INTO gl_account SELECT seq, CONCAT('acct ', seq), UTC_TIMESTAMP(6) - INTERVAL 1 DAY FROM seq_1_to_50",
    )
    spec = lake.spec(
        name="gl_account",
        domain="finance",
        strategy="incremental",
        cursor="updated_at",
        primaryKey=["gl_account_id"],
        lookbackSeconds=0,
    )
    assert lake.load_one(spec, merge_mode="merge-on-read").status == "LOADED"
    lake.sql("UPDATE gl_account SET name = 'renamed', updated_at = UTC_TIMESTAMP(6) WHERE gl_account_id IN (3, 30)")
    res = lake.load_one(spec, merge_mode="merge-on-read")
    assert res.status == "LOADED" and res.rowsRead == 2, res
    props = {r[0]: r[1] for r in lake.spark.sql(f"SHOW TBLPROPERTIES {lake.ident(spec)}").collect()}
    assert props["write.merge.mode"] == "merge-on-read"
    summary = lake.spark.sql(
        f"SELECT summary FROM {lake.ident(spec)}.snapshots ORDER BY committed_at DESC LIMIT 1"
    ).collect()[0][0]
    assert int(summary.get("added-position-deletes", "0")) == 2 and summary["wap.id"] == res_run(lake, "gl_account")
    assert lake.assert_full_copy_equals_source(spec) == 50


def res_run(lake: Lake, table: str) -> str:
    return str(lake.state(table)["lastRunId"])
