"""snapshot: whole table, skipped when the change gate (MariaDB: CHECKSUM TABLE, PostgreSQL: a
lock-free row-hash aggregate) says unchanged, deletes detected; a table without primary key (rows
may repeat); a source that becomes empty. On both engines."""

from __future__ import annotations

import pytest

from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


@pytest.fixture(scope="module")
def rates(lake: Lake) -> dict:
    rate_type = lake.enum("rate_type", "ecb_reference", "month_end", "budget")
    lake.sql(f"""CREATE TABLE currency_rate (
      from_currency CHAR(3) NOT NULL, to_currency CHAR(3) NOT NULL, rate_date DATE NOT NULL,
      rate_type {rate_type} NOT NULL DEFAULT 'ecb_reference',
      exchange_rate DECIMAL(18,8) NOT NULL,
      PRIMARY KEY (from_currency, to_currency, rate_date, rate_type))""")
    lake.sql(
        "INSERT INTO currency_rate (from_currency, to_currency, rate_date, exchange_rate) VALUES "
        "('EUR','USD','2024-01-01',1.1), ('EUR','CHF','2024-01-01',0.95), ('EUR','GBP','2024-01-01',0.86)"
    )
    return lake.spec(
        name="currency_rate",
        domain="finance",
        strategy="snapshot",
        primaryKey=["from_currency", "to_currency", "rate_date", "rate_type"],
    )


def test_snapshot_load_unchanged_update_delete(lake: Lake, rates: dict) -> None:
    first = lake.load_one(rates)
    assert first.status == "LOADED", first.error
    assert first.watermarkKind == "checksum" and first.rowsRead == 3
    lake.assert_full_copy_equals_source(rates)
    snaps = lake.snapshot_count(rates)

    same = lake.load_one(rates)
    assert same.status == "UNCHANGED" and same.rowsRead == 0
    assert lake.snapshot_count(rates) == snaps  # nothing moved, nothing committed
    assert lake.state("currency_rate")["lastStatus"] == "UNCHANGED"
    assert "leaseRunId" not in lake.state("currency_rate")

    lake.sql(
        "UPDATE currency_rate SET exchange_rate = 1.2 WHERE to_currency = 'USD'",
        "DELETE FROM currency_rate WHERE to_currency = 'GBP'",
        "INSERT INTO currency_rate (from_currency, to_currency, rate_date, exchange_rate) VALUES ('EUR','JPY','2024-01-01',160)",
    )
    changed = lake.load_one(rates)
    assert changed.status == "LOADED", changed.error
    assert changed.rowsDeleted == 1
    assert changed.watermark != first.watermark
    assert lake.assert_full_copy_equals_source(rates) == 3


def test_snapshot_without_primary_key_keeps_repeated_rows(lake: Lake) -> None:
    lake.sql(f"""CREATE TABLE shift_pattern_import (
      plant_code VARCHAR(10) NOT NULL, weekday {lake.type("tinyint unsigned")} NOT NULL, start_time TIME NOT NULL,
      headcount {lake.type("smallint unsigned")} NULL)""")
    lake.sql("INSERT INTO shift_pattern_import VALUES ('P1',1,'06:00',5), ('P1',1,'06:00',5), ('P2',2,'14:00',NULL)")
    spec = lake.spec(name="shift_pattern_import", domain="manufacturing", strategy="snapshot")
    assert lake.load_one(spec).status == "LOADED"
    assert lake.assert_full_copy_equals_source(spec) == 3
    lake.sql(
        "DELETE FROM shift_pattern_import WHERE plant_code = 'P2'",
        "INSERT INTO shift_pattern_import VALUES ('P3',3,'22:00',1)",
    )
    assert lake.load_one(spec).status == "LOADED"
    assert lake.assert_full_copy_equals_source(spec) == 3
    lake.sql("DELETE FROM shift_pattern_import")
    emptied = lake.load_one(spec)
    assert emptied.status == "LOADED" and emptied.rowsRead == 0
    assert lake.assert_full_copy_equals_source(spec) == 0


def test_crash_after_data_commit_then_retry(lake: Lake, rates: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """The retry of a run whose data is published commits the state only: the table has a key, so
    the load compared by key ranges and published one MERGE (no watermark in its summary); the
    retry keeps the previous watermark, which the range gate does not depend on: the next run
    compares again, finds the copy equal and writes nothing."""

    from lake_ingest.state import StateStore

    lake.sql("UPDATE currency_rate SET exchange_rate = 1.25 WHERE to_currency = 'USD'")
    old = lake.state("currency_rate")["watermark"]
    manifest = lake.plan([rates])
    run_id = lake.run_crashing_in(manifest, StateStore, "commit", monkeypatch)
    assert lake.state("currency_rate")["watermark"] == old
    lake.assert_full_copy_equals_source(rates)
    snaps = lake.snapshot_count(rates)

    retry = lake.run_manifest(manifest).tables[0]
    assert retry.status == "LOADED" and retry.rowsRead == 0, retry
    assert lake.snapshot_count(rates) == snaps
    state = lake.state("currency_rate")
    assert state["watermark"] == old  # compared by key ranges (both engines): the MERGE carries no token
    assert state["lastRunId"] == run_id and "leaseRunId" not in state
    same = lake.load_one(rates)
    assert same.status == "UNCHANGED" and lake.snapshot_count(rates) == snaps
    lake.assert_full_copy_equals_source(rates)
