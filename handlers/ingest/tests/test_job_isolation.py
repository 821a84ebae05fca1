"""Tables are independent: customer and customer_address (a name-prefix pair), a table leased
by another run is refused, a table missing at the source fails alone, an unreachable source
fails every table with a recorded error."""

from __future__ import annotations

import os

import pytest

import local_harness
from tests.helpers import Lake


@pytest.fixture(scope="module")
def pair(lake: Lake) -> tuple[dict, dict]:
    lake.sql(
        """CREATE TABLE customer (customer_id BIGINT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(50),
                updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)""",
        """CREATE TABLE customer_address (address_id BIGINT UNSIGNED NOT NULL PRIMARY KEY,
                customer_id BIGINT UNSIGNED NOT NULL, city VARCHAR(50),
                updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP)""",
        "INSERT INTO customer (customer_id, name) VALUES (1,'a'),(2,'b')",
        "INSERT INTO customer_address (address_id, customer_id, city) VALUES (10,1,'Berlin'),(11,1,'Wien'),(12,2,'Graz')",
    )
    customer = lake.spec(name="customer", strategy="incremental", cursor="updated_at", primaryKey=["customer_id"])
    address = lake.spec(name="customer_address", strategy="incremental", cursor="updated_at", primaryKey=["address_id"])
    return customer, address


def test_prefix_pair_loads_independently(lake: Lake, pair: tuple[dict, dict]) -> None:
    customer, address = pair
    res = lake.load_one(address)
    assert res.status == "LOADED" and res.rowsRead == 3
    lake.assert_full_copy_equals_source(address)
    assert not lake.spark.catalog.tableExists(f"lake.{customer['targetDatabase']}.customer")
    assert lake.raw_batches(customer) == []  # nothing of customer_address under customer/
    assert lake.state("customer") == {}
    run_id = "every_15_min-2024-01-01T06:15:00Z"  # ':' in a run id is escaped in the raw path
    res = lake.run_manifest(lake.plan([customer], run_id=run_id)).tables[0]
    assert res.status == "LOADED" and res.rowsRead == 2
    assert any(b.endswith("run=every_15_min-2024-01-01T06%3A15%3A00Z") for b in lake.raw_batches(customer))
    lake.assert_full_copy_equals_source(customer)
    lake.assert_full_copy_equals_source(address)
    assert all(b.startswith("ingest_date=") for b in lake.raw_batches(customer))
    assert len(lake.raw_batches(address)) == 1


def test_second_run_is_refused_by_the_lease(lake: Lake, pair: tuple[dict, dict]) -> None:
    customer, _ = pair
    assert local_harness.take_lease(lake.ddb, lake.state_table, "customer", "run-A", "every_15_min", 4102444800)
    snaps = lake.snapshot_count(customer)
    batches = lake.raw_batches(customer)
    lake.sql("UPDATE customer SET name = 'changed' WHERE customer_id = 1")
    manifest = lake.plan([customer], run_id="run-B", take_leases=False)  # B never got the lease
    result = lake.run_manifest(manifest)
    t = result.tables[0]
    assert t.status == "REFUSED" and "run-A" in (t.error or "")
    assert result.status == "SUCCEEDED"  # refused is not a failure: the lease holder loads it
    assert lake.snapshot_count(customer) == snaps and lake.raw_batches(customer) == batches
    assert lake.state("customer")["leaseRunId"] == "run-A"
    # B cannot commit or fail the table either
    from lake_ingest.errors import LeaseNotHeld
    from lake_ingest.state import StateStore

    with pytest.raises(LeaseNotHeld):
        StateStore(lake.state_table).fail("customer", "run-B", "x")
    lake.ddb.update_item(
        TableName=lake.state_table,
        Key={"pk": {"S": "table#customer"}},
        UpdateExpression="REMOVE leaseRunId, leaseTier, leaseExpiresAt",
    )
    assert lake.load_one(customer).status == "LOADED"
    lake.assert_full_copy_equals_source(customer)


def test_missing_source_table_fails_alone(lake: Lake, pair: tuple[dict, dict]) -> None:
    _, address = pair
    ghost = lake.spec(name="ghost", strategy="snapshot", primaryKey=["id"])
    lake.sql("INSERT INTO customer_address (address_id, customer_id, city) VALUES (13,2,'Linz')")
    result = lake.load(ghost, address)
    by = {t.name: t for t in result.tables}
    assert result.status == "FAILED"
    assert by["ghost"].status == "FAILED" and "does not exist" in (by["ghost"].error or "")
    assert by["customer_address"].status == "LOADED"
    lake.assert_full_copy_equals_source(address)
    state = lake.state("ghost")
    assert state["lastStatus"] == "FAILED" and "watermark" not in state and "leaseRunId" not in state
    assert state["failedRunId"] == result.runId, "the failure names its run for the coordinator's finalize"
    with open(result_file := next(p for p in _result_files(lake) if "ghost" in open(p).read())) as handle:
        assert '"status":"FAILED"' in handle.read(), result_file


def test_unreachable_source_fails_every_table(lake: Lake, pair: tuple[dict, dict]) -> None:
    customer, address = pair
    before = lake.state("customer")["watermark"]
    result = lake.load(customer, address, jdbc_url="jdbc:mysql://127.0.0.1:1/")
    assert result.status == "FAILED"
    assert all(t.status == "FAILED" and t.error for t in result.tables)
    assert lake.state("customer")["watermark"] == before and lake.state("customer")["lastStatus"] == "FAILED"
    assert os.environ["LAKE_SOURCE_PASSWORD"] not in " ".join(t.error or "" for t in result.tables)


def _result_files(lake: Lake) -> list[str]:
    return [os.path.join(lake.tmp_dir, f) for f in os.listdir(lake.tmp_dir) if f.endswith(".result.json")]


def test_lost_full_copy_is_reloaded_from_the_start(lake: Lake, pair: tuple[dict, dict]) -> None:
    """A watermark without a full copy (e.g. the table was dropped from the lake) reloads all rows."""
    _, address = pair
    assert lake.state("customer_address").get("watermark")
    lake.spark.sql(f"DROP TABLE {lake.ident(address)} PURGE")
    res = lake.load_one(address)
    assert res.status == "LOADED", res.error
    assert lake.assert_full_copy_equals_source(address) == res.rowsRead


def test_state_table_error_in_the_lease_check_fails_that_table_only(
    lake: Lake, pair: tuple[dict, dict], monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from lake_ingest.state import StateStore

    customer, address = pair
    before = lake.state("customer").get("watermark")
    real = StateStore.lease_holder

    def flaky(self: StateStore, table: str) -> str | None:
        if table == "customer":
            raise ClientError(
                {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}, "GetItem"
            )
        return real(self, table)

    lake.sql("INSERT INTO customer_address (address_id, customer_id, city) VALUES (14,1,'Bonn')")
    monkeypatch.setattr(StateStore, "lease_holder", flaky)
    result = lake.load(customer, address)
    by = {t.name: t for t in result.tables}
    assert [t.name for t in result.tables] == ["customer", "customer_address"]  # both tried
    assert by["customer"].status == "FAILED" and "ProvisionedThroughputExceeded" in (by["customer"].error or "")
    assert by["customer_address"].status == "LOADED", by["customer_address"].error
    assert result.status == "FAILED"
    lake.assert_full_copy_equals_source(address)
    state = lake.state("customer")
    assert state.get("watermark") == before and state["lastStatus"] == "FAILED" and "leaseRunId" not in state


def test_taken_over_lease_never_publishes_an_older_read(lake: Lake, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run A reads the source, then (its lease expired) run B takes the table over, loads a newer
    state of the source and publishes. A must not lay its older read over B's data."""
    from lake_ingest import job

    lake.sql(
        "CREATE TABLE bin_location (bin_id INT NOT NULL PRIMARY KEY, zone CHAR(1) NOT NULL)",
        "INSERT INTO bin_location VALUES (1, 'A'), (2, 'A'), (3, 'A')",
    )
    spec = lake.spec(name="bin_location", domain="logistics", strategy="snapshot", primaryKey=["bin_id"])
    assert lake.load_one(spec).status == "LOADED"
    lake.sql("UPDATE bin_location SET zone = 'B' WHERE bin_id = 1")  # what A reads
    manifest_a = lake.plan([spec], run_id="run-slow-A")
    real_write_raw = job.write_raw
    b_result: list[object] = []

    def write_then_lose_lease(spark: object, df: object, batch_dir: str) -> object:
        batch = real_write_raw(spark, df, batch_dir)  # A's read is done (materialized)
        if "run-slow-A" in batch_dir and not b_result:
            lake.sql(
                "UPDATE bin_location SET zone = 'C' WHERE bin_id IN (1, 2)", "DELETE FROM bin_location WHERE bin_id = 3"
            )
            lake.steal_lease("bin_location", "run-fast-B")
            b_result.append(lake.run_manifest(lake.plan([spec], run_id="run-fast-B", take_leases=False)))
        return batch

    # A keyed snapshot table loads through the range compare, whose repair writes its raw batch
    # from reconcile.py: the same hook on both paths.
    from lake_ingest import reconcile

    monkeypatch.setattr(job, "write_raw", write_then_lose_lease)
    monkeypatch.setattr(reconcile, "write_raw", write_then_lose_lease)
    result_a = lake.run_manifest(manifest_a)
    t = result_a.tables[0]
    assert b_result and b_result[0].tables[0].status == "LOADED"  # type: ignore[attr-defined]
    assert t.status == "REFUSED", t
    assert lake.assert_full_copy_equals_source(spec) == 2  # B's newer data stands
    from lake_ingest.writer import FullCopy

    assert (
        FullCopy(lake.spark, "lake", spec["targetDatabase"], spec["targetTable"]).already_applied("run-slow-A") is None
    )
    assert lake.state("bin_location")["lastRunId"] == "run-fast-B"


def test_a_table_moved_since_the_load_started_is_not_published(lake: Lake) -> None:
    """The lease still held, but the full copy got a snapshot from another writer after the pin:
    the publish is refused (TableMoved, which fails the table) and the other writer's data stands."""
    from lake_ingest.errors import TableMoved
    from lake_ingest.writer import FullCopy

    spark = lake.spark
    full = FullCopy(spark, "lake", f"{lake.prefix}_logistics", "dock_door")
    rows = spark.createDataFrame([(1, "north"), (2, "south")], "door_id int, side string")
    full.create(rows.schema)
    full.append(rows, "run-first")
    checks: list[str] = []
    base = full.pin(lambda: checks.append("lease"))
    assert base is not None
    other = FullCopy(spark, "lake", f"{lake.prefix}_logistics", "dock_door")
    other.append(spark.createDataFrame([(3, "east")], rows.schema), "run-other")
    snaps = int(spark.sql(f"SELECT count(*) FROM {full.ident}.snapshots").collect()[0][0])
    with pytest.raises(TableMoved, match="moved to snapshot"):
        full.replace(spark.createDataFrame([(1, "stale")], rows.schema), "run-pinned", "x")
    assert checks == ["lease"]  # the lease was checked, then the move found before any write
    assert int(spark.sql(f"SELECT count(*) FROM {full.ident}.snapshots").collect()[0][0]) == snaps
    assert sorted(tuple(r) for r in spark.read.table(full.ident).collect()) == [(1, "north"), (2, "south"), (3, "east")]
