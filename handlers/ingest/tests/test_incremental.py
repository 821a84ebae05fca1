"""incremental: initial load, updates, a late update inside the lookback window, rows sharing
the boundary cursor value, mixed-case names and the reserved word `return`. On both engines."""

from __future__ import annotations

import decimal
import time
from datetime import timedelta

import pytest

from lake_ingest.strategies import iso_ts, parse_ts
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


def notes_ddl(lake: Lake) -> str:
    q = lake.q
    return f"""
CREATE TABLE {q("Order_Line_Notes")} (
  {q("NoteId")} {lake.type("widest auto id")} PRIMARY KEY,
  {q("NoteText")} TEXT NOT NULL,
  {q("IsVisible")} {lake.type("flag")} NOT NULL DEFAULT 0,
  {q("LastChangedAt")} {lake.type("datetime(3)")} NOT NULL
)
"""


def returns_ddl(lake: Lake) -> str:
    return f"""
CREATE TABLE {lake.q("return")} (
  return_id {lake.type("widest auto id")} PRIMARY KEY,
  reason VARCHAR(20) NOT NULL,
  refund_amount DECIMAL(18,4) NULL,
  updated_at {lake.type("stamped timestamp")}
)
"""


@pytest.fixture(scope="module")
def notes(lake: Lake) -> dict:
    lake.sql(notes_ddl(lake))
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
        returns_ddl(lake),
        f"INSERT INTO {lake.q('return')} (reason, refund_amount) VALUES ('damaged', 10.5), ('other', NULL), ('quality', 3)",
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
        f"UPDATE {lake.q('return')} SET reason = 'wrong_item', updated_at = {lake.now(1, 0)} WHERE return_id = 2",
        f"INSERT INTO {lake.q('return')} (reason, updated_at) VALUES ('new', {lake.now(1, 0)})",
    )
    with pytest.raises(AssertionError):  # the comparison sees the change before it is loaded
        lake.assert_full_copy_equals_source(spec)
    time.sleep(1.2)
    second = lake.load_one(spec)
    assert second.status == "LOADED", second.error
    assert second.rowsRead >= 2
    assert lake.assert_full_copy_equals_source(spec) == 4
    assert parse_ts(second.watermark) > parse_ts(first.watermark)


def test_update_inside_lookback_window(lake: Lake, notes: dict) -> None:
    lake.sql(
        f"INSERT INTO {lake.q('Order_Line_Notes')} ({lake.q('NoteText')}, {lake.q('LastChangedAt')}) VALUES "
        f"('a', {lake.now(-3600, 3)}), ('b', {lake.now(-3600, 3)})"
    )
    assert lake.load_one(notes).status == "LOADED"
    lake.assert_full_copy_equals_source(notes)
    wm = parse_ts(lake.state("order_line_notes")["watermark"])
    # A late commit: the application stamped the change 2 minutes before the committed
    # watermark (inside the 10-minute lookback), so only the lookback finds it.
    late = (wm.replace(tzinfo=None) - timedelta(minutes=2)).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]
    lake.sql(
        f"UPDATE {lake.q('Order_Line_Notes')} SET {lake.q('NoteText')} = 'late edit', {lake.q('IsVisible')} = 1,"
        f" {lake.q('LastChangedAt')} = '{late}' WHERE {lake.q('NoteText')} = 'a'"
    )
    res = lake.load_one(notes)
    assert res.status == "LOADED", res.error
    assert res.rowsRead == 1
    lake.assert_full_copy_equals_source(notes)
    assert parse_ts(res.watermark) >= wm


def test_rows_sharing_the_boundary_cursor_value(lake: Lake, notes: dict) -> None:
    boundary = lake.clock_text(-3600, 3)[:23]
    b = parse_ts(boundary)
    lake.sql(f"DELETE FROM {lake.q('Order_Line_Notes')}")
    lake.spark.sql(f"DELETE FROM {lake.ident(notes)}")
    lake.sql(
        f"INSERT INTO {lake.q('Order_Line_Notes')} ({lake.q('NoteText')}, {lake.q('LastChangedAt')}) VALUES "
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
    lake.sql(
        f"INSERT INTO {lake.q('Order_Line_Notes')} ({lake.q('NoteText')}, {lake.q('LastChangedAt')})"
        f" VALUES ('after', '{after}')"
    )
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
        f" updated_at {lake.type('datetime')} NOT NULL)",
        f"INSERT INTO gl_account SELECT seq, CONCAT('acct ', seq), {lake.now(-86400)} FROM {lake.series(50)}",
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
    lake.sql(f"UPDATE gl_account SET name = 'renamed', updated_at = {lake.now()} WHERE gl_account_id IN (3, 30)")
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


@pytest.fixture(scope="module")
def tickets(lake: Lake) -> dict:
    lake.sql(
        "CREATE TABLE service_ticket (ticket_id INT NOT NULL PRIMARY KEY, state VARCHAR(10) NOT NULL,"
        f" touched_at {lake.type('datetime')} NOT NULL)",
        f"INSERT INTO service_ticket SELECT seq, 'open', {lake.now(-3 * 3600)} FROM {lake.series(4)}",
    )
    return lake.spec(
        name="service_ticket", strategy="incremental", cursor="touched_at", primaryKey=["ticket_id"], lookbackSeconds=60
    )


def test_crash_after_data_commit_then_retry(lake: Lake, tickets: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """The data is published, the process dies before the state commit; the retry of the same
    run commits the state only, with the watermark the published data reached (its max cursor),
    so a row changed in between is read by the next run."""

    from lake_ingest.state import StateStore

    assert lake.load_one(tickets).status == "LOADED"
    old = lake.state("service_ticket")["watermark"]
    lake.sql(f"UPDATE service_ticket SET state = 'closed', touched_at = {lake.now(-60)} WHERE ticket_id = 2")
    manifest = lake.plan([tickets])
    run_id = lake.run_crashing_in(manifest, StateStore, "commit", monkeypatch)
    state = lake.state("service_ticket")
    assert state["leaseRunId"] == run_id and state["watermark"] == old  # state untouched
    lake.assert_full_copy_equals_source(tickets)  # the data was published
    lake.sql(f"UPDATE service_ticket SET state = 'between', touched_at = {lake.now()} WHERE ticket_id = 3")

    snaps = lake.snapshot_count(tickets)
    retry = lake.run_manifest(manifest).tables[0]
    assert retry.status == "LOADED" and retry.rowsRead == 0, retry
    assert lake.snapshot_count(tickets) == snaps  # not applied twice
    state = lake.state("service_ticket")
    assert "leaseRunId" not in state and state["lastRunId"] == run_id
    lake_max = lake.spark.sql(f"SELECT max(touched_at) FROM {lake.ident(tickets)}").collect()[0][0]
    assert parse_ts(state["watermark"]) == parse_ts(lake_max.isoformat())  # recovered from the lake
    nxt = lake.load_one(tickets)
    assert nxt.status == "LOADED" and nxt.rowsRead >= 1
    assert lake.assert_full_copy_equals_source(tickets) == 4


def test_row_after_the_high_mark_is_read_by_the_next_run(lake: Lake, tickets: dict) -> None:
    """high = source clock - safety lag: a row stamped after it is not in this run's window, and
    the next run's window (starting at this high) reads it."""
    lake.sql(
        f"INSERT INTO service_ticket VALUES (10, 'recent', {lake.now(-30 * 60)}), (11, 'older', {lake.now(-90 * 60)})"
    )
    lake.set_watermark(
        "service_ticket", "timestamp", iso_ts(parse_ts(lake.state("service_ticket")["watermark"]) - timedelta(hours=2))
    )
    lagged = lake.load_one(tickets, safety_lag_seconds=3600)  # high = now - 1 h
    assert lagged.status == "LOADED", lagged.error
    ids = {r[0] for r in lake.lake_rows(tickets, ["ticket_id"])}
    assert 11 in ids and 10 not in ids  # row 10's cursor is after the high mark
    assert parse_ts(lagged.watermark or "") < parse_ts(lake.clock_text(-30 * 60))
    nxt = lake.load_one(tickets)
    assert nxt.status == "LOADED", nxt.error
    assert 10 in {r[0] for r in lake.lake_rows(tickets, ["ticket_id"])}
    assert lake.assert_full_copy_equals_source(tickets) == 6


def test_state_commit_refused_after_the_data_commit(lake: Lake, tickets: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another run takes the lease over between this run's publish and its state commit: the
    commit is refused (REFUSED, watermark unchanged), and the new holder's load from the old
    watermark re-reads the rows and merges them without duplicates."""
    from lake_ingest.writer import FullCopy

    old = lake.state("service_ticket")["watermark"]
    lake.sql(f"UPDATE service_ticket SET state = 'won', touched_at = {lake.now()} WHERE ticket_id = 1")
    lake.sql(f"INSERT INTO service_ticket VALUES (12, 'new', {lake.now()})")
    real_publish = FullCopy._publish

    def publish_then_lose_lease(self: FullCopy, run_id: str, parent: int | None, staged: int) -> None:
        real_publish(self, run_id, parent, staged)
        lake.steal_lease("service_ticket", "run-takeover")

    with monkeypatch.context() as m:
        m.setattr(FullCopy, "_publish", publish_then_lose_lease)
        result = lake.load(tickets)
    t = result.tables[0]
    assert t.status == "REFUSED" and "no longer holds the lease" in (t.error or ""), t
    assert result.status == "SUCCEEDED"
    state = lake.state("service_ticket")
    assert state["watermark"] == old and state["leaseRunId"] == "run-takeover"
    assert state["lastRunId"] != result.runId
    lake.assert_full_copy_equals_source(tickets)  # the data commit stands

    holder = lake.run_manifest(lake.plan([tickets], run_id="run-takeover", take_leases=False)).tables[0]
    assert holder.status == "LOADED", holder.error
    assert holder.rowsRead >= 2  # re-read from the old watermark
    assert lake.assert_full_copy_equals_source(tickets) == 7  # and merged, never duplicated
    assert lake.state("service_ticket")["lastRunId"] == "run-takeover"


def test_in_batch_versions_of_a_key_latest_wins_end_to_end(lake: Lake) -> None:
    """A source whose declared key is not unique (a change feed): several versions of a key in
    one batch become one row, the latest cursor, whatever the order they were written in; and
    the batch's version replaces the full copy's even when the full copy's cursor is later (the
    source is the truth: the cursor only decides within a batch)."""
    lake.sql(
        f"CREATE TABLE price_feed (seq {lake.type('auto id')} PRIMARY KEY, sku VARCHAR(10) NOT NULL,"
        f" price DECIMAL(10,2) NOT NULL, changed_at {lake.type('datetime')} NOT NULL)",
        "INSERT INTO price_feed (sku, price, changed_at) VALUES"
        f" ('A', 3.00, {lake.now(-3600)}),"  # newest A written first
        f" ('A', 1.00, {lake.now(-3 * 3600)}),"
        f" ('A', 2.00, {lake.now(-2 * 3600)}),"
        f" ('B', 9.00, {lake.now(-2 * 3600)})",
    )
    spec = lake.spec(
        name="price_feed", strategy="incremental", cursor="changed_at", primaryKey=["sku"], lookbackSeconds=0
    )
    first = lake.load_one(spec)
    assert first.status == "LOADED" and first.rowsRead == 4 and first.rowsWritten == 2, first
    assert sorted(lake.lake_rows(spec, ["sku", "price"])) == [
        ("A", decimal.Decimal("3.00")),
        ("B", decimal.Decimal("9.00")),
    ]

    # The older versions are stamped just after the first run's watermark, not "now minus a
    # second": the run can finish within a second, and lookback is 0, so they must be past it.
    wm = parse_ts(lake.state("price_feed")["watermark"])
    after = (wm.replace(tzinfo=None) + timedelta(milliseconds=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    lake.sql(
        "INSERT INTO price_feed (sku, price, changed_at) VALUES"
        f" ('B', 11.00, {lake.now()}), ('B', 10.00, '{after}'), ('A', 4.00, '{after}')"
    )
    # the batch's A (4.00) is newer than the lake's; then make the lake's A later than a new batch
    second = lake.load_one(spec)
    assert second.status == "LOADED" and second.rowsRead == 3 and second.rowsWritten == 2, second
    assert sorted(lake.lake_rows(spec, ["sku", "price"])) == [
        ("A", decimal.Decimal("4.00")),
        ("B", decimal.Decimal("11.00")),
    ]
    lake.spark.sql(f"UPDATE {lake.ident(spec)} SET changed_at = changed_at + INTERVAL 1 DAY WHERE sku = 'A'")
    lake.sql(f"INSERT INTO price_feed (sku, price, changed_at) VALUES ('A', 0.50, {lake.now()})")
    third = lake.load_one(spec)
    assert third.status == "LOADED" and third.rowsRead == 1, third
    assert dict(lake.lake_rows(spec, ["sku", "price"]))["A"] == decimal.Decimal("0.50")  # the source wins
