"""append: key > watermark and <= the max key at the start; keys near the top of the widest
integer type (MariaDB: BIGINT UNSIGNED); crashes after the data commit and before the publish,
then retries of the same run: no duplicate. On both engines."""

from __future__ import annotations

import pytest

from lake_ingest.state import StateStore
from lake_ingest.writer import FullCopy
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


def insert(lake: Lake, n: int, action: str = "insert") -> None:
    lake.sql(
        "INSERT INTO audit_log (action, payload, at) VALUES "
        + ", ".join(f"('{action}', '{{\"i\": {i}}}', {lake.now()})" for i in range(n))
    )


@pytest.fixture(scope="module")
def spec(lake: Lake) -> dict:
    lake.sql(
        f"CREATE TABLE audit_log (audit_id {lake.type('widest auto id')} PRIMARY KEY, action VARCHAR(20) NOT NULL,"
        f" payload {lake.type('json')} NULL, at {lake.type('datetime')} NOT NULL)",
        lake.restart_identity("audit_log", "audit_id", lake.top_key),
    )
    return lake.spec(name="audit_log", domain="finance", strategy="append", key="audit_id", primaryKey=["audit_id"])


def test_append_end_to_end(lake: Lake, spec: dict) -> None:
    insert(lake, 5)
    first = lake.load_one(spec)
    assert first.status == "LOADED", first.error
    assert first.rowsRead == 5 and first.watermarkKind == "integer"
    assert first.watermark == str(lake.top_key + 4)  # MariaDB: beyond a signed BIGINT, kept exact
    lake.assert_full_copy_equals_source(spec)
    insert(lake, 3)
    second = lake.load_one(spec)
    assert second.rowsRead == 3  # only keys above the watermark
    assert lake.assert_full_copy_equals_source(spec) == 8
    nothing = lake.load_one(spec)
    assert nothing.status == "LOADED" and nothing.rowsRead == 0 and nothing.watermark == second.watermark
    lake.assert_full_copy_equals_source(spec)


def test_crash_after_data_commit_then_retry(lake: Lake, spec: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    insert(lake, 4, "crash1")
    manifest = lake.plan([spec])
    before = lake.snapshot_count(spec)
    run_id = lake.run_crashing_in(manifest, StateStore, "commit", monkeypatch)
    assert lake.state("audit_log")["leaseRunId"] == run_id  # the crash left the lease (and the old watermark)
    lake.assert_full_copy_equals_source(spec)  # the data was committed
    insert(lake, 2, "between")  # arrives before the retry

    retry = lake.run_manifest(manifest)  # the same run again (same manifest, same lease)
    t = retry.tables[0]
    assert t.status == "LOADED", t.error
    assert t.rowsRead == 0  # the published batch was recognised and not applied again
    assert lake.snapshot_count(spec) == before + 1
    state = lake.state("audit_log")
    assert "leaseRunId" not in state and state["lastRunId"] == run_id
    # the watermark is the position the applied batch reached, so the 2 later rows are not lost
    assert int(state["watermark"]) == int(
        lake.sql("SELECT MAX(audit_id) FROM audit_log WHERE action <> 'between'")[0][0]
    )
    assert [b for b in lake.raw_batches(spec) if run_id in b].__len__() == 1
    nxt = lake.load_one(spec)
    assert nxt.rowsRead == 2
    lake.assert_full_copy_equals_source(spec)


def test_crash_before_publish_then_retry(lake: Lake, spec: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    insert(lake, 3, "crash2")
    manifest = lake.plan([spec])
    run_id = lake.run_crashing_in(manifest, FullCopy, "_publish", monkeypatch)
    with pytest.raises(AssertionError):  # staged, not published: readers do not see it
        lake.assert_full_copy_equals_source(spec)
    insert(lake, 2, "between2")
    retry = lake.run_manifest(manifest).tables[0]
    assert retry.status == "LOADED", retry.error
    assert retry.rowsRead == 5  # re-read, and the raw batch of the run overwritten, not added
    lake.assert_full_copy_equals_source(spec)
    batches = [b for b in lake.raw_batches(spec) if run_id in b]
    assert len(batches) == 1
    raw = lake.spark.read.parquet(spec["rawPath"] + batches[0])
    assert raw.count() == 5 and raw.select("audit_id").distinct().count() == 5
    assert {r["_run_id"] for r in raw.select("_run_id").collect()} == {run_id}


def test_full_copy_refuses_second_publish_of_a_run(lake: Lake, spec: dict) -> None:
    full = FullCopy(lake.spark, "lake", spec["targetDatabase"], spec["targetTable"])
    last_run = lake.state("audit_log")["lastRunId"]
    assert full.already_applied(last_run) is not None
    assert full.already_applied("run-never-seen") is None


def test_parallel_read_of_a_large_table(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large reads are split into key ranges (predicates); every row arrives exactly once."""
    from lake_ingest import strategies
    from lake_ingest.source import Jdbc

    lake.sql(
        f"CREATE TABLE machine_telemetry (telemetry_id {lake.type('widest key')} NOT NULL PRIMARY KEY,"
        f" v {lake.type('double')} NOT NULL)",
        f"INSERT INTO machine_telemetry SELECT seq, seq / 7.0 FROM {lake.series(1000)}",
        f"INSERT INTO machine_telemetry VALUES ({lake.top_key + 610}, 1.5)",  # a huge key too
        lake.analyze("machine_telemetry"),
    )
    spec = lake.spec(
        name="machine_telemetry",
        domain="manufacturing",
        strategy="append",
        key="telemetry_id",
        primaryKey=["telemetry_id"],
    )
    seen: list[int] = []
    real_read = Jdbc.read

    def spy(self: Jdbc, sql: str, predicates: list[str] | None = None) -> object:
        if "machine_telemetry" in sql and "1 = 0" not in sql:
            seen.append(len(predicates or []))
        return real_read(self, sql, predicates)

    monkeypatch.setattr(Jdbc, "read", spy)
    res = lake.load_one(spec, rows_per_partition=200, max_partitions=4)
    assert res.status == "LOADED", res.error
    assert seen == [4]
    assert res.rowsRead == 1001
    assert lake.assert_full_copy_equals_source(spec) == 1001
    assert strategies.partition_column(lake_spec_obj(spec), []) is None  # no columns -> no split


def lake_spec_obj(spec: dict) -> object:
    from lake_ingest.manifest import parse_manifest

    doc = {
        "version": 1,
        "runId": "r",
        "tier": "t",
        "createdAt": "2024-01-01T00:00:00Z",
        "leaseExpiresAt": 1,
        "source": {"engine": "mariadb", "database": "d", "schema": "d"},
        "lake": {"rawRoot": "file:///x/", "warehouseRoot": "file:///x/", "stateTable": "s", "catalog": "lake"},
        "tables": [{**spec, "watermark": None}],
    }
    return parse_manifest(doc).tables[0]


def test_key_committed_late_below_the_watermark_is_loaded_once(lake: Lake) -> None:
    """Two real transactions: the one holding the lower auto-increment id commits after a load
    has read the higher id. The key lookback reads it on the next run; nothing is duplicated and
    rows already in the full copy are not written again (raw batch, full copy)."""
    lake.sql(
        f"CREATE TABLE payment_event (payment_event_id {lake.type('auto id')} PRIMARY KEY, kind VARCHAR(10) NOT NULL)",
        "INSERT INTO payment_event (kind) VALUES ('a'), ('b'), ('c')",
    )
    spec = lake.spec(
        name="payment_event",
        domain="finance",
        strategy="append",
        key="payment_event_id",
        primaryKey=["payment_event_id"],
    )
    assert lake.load_one(spec).rowsRead == 3
    slow = lake.connect()
    try:
        with slow.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute("INSERT INTO payment_event (kind) VALUES ('slow')")  # takes id 4, not committed
        lake.sql("INSERT INTO payment_event (kind) VALUES ('fast')")  # id 5, committed
        before = lake.load_one(spec)
        assert before.status == "LOADED" and before.rowsRead == 1 and before.watermark == "5"
        with slow.cursor() as cur:
            cur.execute("COMMIT")  # id 4 becomes visible below the watermark
    finally:
        slow.close()
    snaps = lake.snapshot_count(spec)
    late = lake.load_one(spec)
    assert late.status == "LOADED", late.error
    assert late.rowsRead == 1 and late.rowsWritten == 1 and late.watermark == "5"
    assert lake.assert_full_copy_equals_source(spec) == 5  # every row once
    assert lake.snapshot_count(spec) == snaps + 1
    last = lake.state("payment_event")["lastRunId"]
    batch = next(b for b in lake.raw_batches(spec) if last.replace(":", "%3A") in b)
    assert [r[0] for r in lake.spark.read.parquet(spec["rawPath"] + batch).select("payment_event_id").collect()] == [4]
    # the re-read keys are all present: no rows, no new snapshot, position unchanged
    again = lake.load_one(spec)
    assert again.status == "LOADED" and again.rowsRead == 0 and again.watermark == "5"
    assert lake.snapshot_count(spec) == snaps + 1


def test_empty_first_load_stores_no_watermark(lake: Lake) -> None:
    lake.sql("CREATE TABLE ledger_import (import_id BIGINT NOT NULL PRIMARY KEY, amount DECIMAL(12,2) NOT NULL)")
    spec = lake.spec(
        name="ledger_import", domain="finance", strategy="append", key="import_id", primaryKey=["import_id"]
    )
    empty = lake.load_one(spec)
    assert empty.status == "LOADED" and empty.rowsRead == 0
    assert empty.watermark is None and empty.watermarkKind is None
    state = lake.state("ledger_import")
    assert "watermark" not in state and "watermarkKind" not in state  # no made-up position
    assert state["lastStatus"] == "LOADED" and "leaseRunId" not in state
    # signed keys at or below 0 (legacy imports) are loaded once rows appear
    lake.sql("INSERT INTO ledger_import VALUES (-5000, 1.00), (0, 2.00), (3, 3.00)")
    first = lake.load_one(spec)
    assert first.status == "LOADED" and first.rowsRead == 3 and first.watermark == "3"
    assert lake.assert_full_copy_equals_source(spec) == 3
