"""DATETIME cursors written in the source's local wall time (manifest source.timeZone): changes
are read on time in zones ahead of UTC, never lost in zones behind it, the repeated hour of a
backward clock change is read, the lake keeps the wall time, and a crashed run's watermark is
recovered as the right UTC instant. Real MariaDB; the source clock is pinned where the test
needs a particular instant (Jdbc.high_mark)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from lake_ingest import clock
from lake_ingest.source import Jdbc
from lake_ingest.state import StateStore
from lake_ingest.strategies import parse_ts
from tests.helpers import Lake


def wall_now(zone: str) -> datetime:
    return datetime.now(ZoneInfo(zone)).replace(tzinfo=None, microsecond=0)


def lit(value: datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


@pytest.mark.parametrize(("zone", "table"), [("Europe/Berlin", "berlin_order"), ("America/New_York", "new_york_order")])
def test_datetime_cursor_in_local_wall_time(lake: Lake, zone: str, table: str) -> None:
    lake.sql(
        f"CREATE TABLE {table} (order_id INT NOT NULL PRIMARY KEY, status VARCHAR(10) NOT NULL,"
        " changed_at DATETIME(6) NOT NULL)"
    )
    now = wall_now(zone)
    lake.sql(
        f"INSERT INTO {table} VALUES (1, 'new', '{lit(now - timedelta(minutes=5))}'),"
        f" (2, 'new', '{lit(now - timedelta(minutes=3))}')"
    )
    spec = lake.spec(
        name=table, strategy="incremental", cursor="changed_at", primaryKey=["order_id"], lookbackSeconds=60
    )
    first = lake.load_one(spec, time_zone=zone)
    assert first.status == "LOADED", first.error
    assert first.rowsRead == 2  # ahead of UTC: rows written minutes ago are not "in the future"
    # the watermark is the source's UTC clock, not its wall time
    assert abs(parse_ts(first.watermark or "") - datetime.now(UTC)) < timedelta(minutes=1)

    later = wall_now(zone)  # written after the first load, in local wall time
    lake.sql(f"UPDATE {table} SET status = 'paid', changed_at = '{lit(later)}' WHERE order_id = 1")
    second = lake.load_one(spec, time_zone=zone)
    assert second.status == "LOADED", second.error
    assert second.rowsRead == 1  # behind UTC: the change is not below watermark - lookback
    assert lake.assert_full_copy_equals_source(spec) == 2
    # the lake keeps the source's wall time as written
    assert dict(lake.lake_rows(spec, ["order_id", "changed_at"]))[1] == later


# Europe/Berlin goes from 03:00 CEST back to 02:00 CET at 2024-10-27 01:00 UTC.
FALL_BACK = datetime(2024, 10, 27, 1, 0, tzinfo=UTC)


def pin_source_clock(monkeypatch: pytest.MonkeyPatch, utc: datetime) -> None:
    text = utc.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    monkeypatch.setattr(Jdbc, "high_mark", lambda _self, _seconds, _schema=None: text)


@pytest.fixture(scope="module")
def events(lake: Lake) -> dict:
    lake.sql(
        "CREATE TABLE machine_event (event_id INT NOT NULL PRIMARY KEY, note VARCHAR(20) NOT NULL,"
        " logged_at DATETIME(6) NOT NULL)"
    )
    return lake.spec(
        name="machine_event",
        domain="manufacturing",
        strategy="incremental",
        cursor="logged_at",
        primaryKey=["event_id"],
        lookbackSeconds=0,  # no lookback: only the zone handling can find the repeated hour
    )


def test_backward_clock_change_rereads_the_repeated_hour(
    lake: Lake, events: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    zone = "Europe/Berlin"
    lake.sql("INSERT INTO machine_event VALUES (1, 'before', '2024-10-27 01:45:00')")  # 23:45 UTC (CEST)
    pin_source_clock(monkeypatch, FALL_BACK - timedelta(minutes=10))  # 00:50 UTC = 02:50 CEST
    first = lake.load_one(events, time_zone=zone)
    assert first.status == "LOADED" and first.rowsRead == 1, first
    assert first.watermark == "2024-10-27T00:50:00.000000Z"

    lake.sql(
        "INSERT INTO machine_event VALUES (2, 'last CEST', '2024-10-27 02:55:00'),"  # 00:55 UTC
        " (3, 'first CET', '2024-10-27 02:05:00')"  # 01:05 UTC, after the clocks went back
    )
    pin_source_clock(monkeypatch, FALL_BACK + timedelta(minutes=10))  # 01:10 UTC = 02:10 CET
    across = lake.load_one(events, time_zone=zone)
    assert across.status == "LOADED", across.error
    # the wall window (02:50, 02:10] would be empty; widened it is (01:50, 03:10]
    assert across.rowsRead == 2
    assert lake.assert_full_copy_equals_source(events) == 3

    lake.sql("INSERT INTO machine_event VALUES (4, 'later CET', '2024-10-27 02:35:00')")  # 01:35 UTC
    pin_source_clock(monkeypatch, FALL_BACK + timedelta(minutes=40))  # 01:40 UTC = 02:40 CET
    after = lake.load_one(events, time_zone=zone)
    assert after.status == "LOADED", after.error
    assert after.rowsRead == 1  # (02:10, 02:40] CET: row 4 only, row 3 is not read a third time
    assert lake.assert_full_copy_equals_source(events) == 4


def test_crash_after_data_commit_recovers_the_utc_watermark(
    lake: Lake, events: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A retry after the data commit takes the watermark from the lake's wall-time cursor: its
    UTC instant (wall 03:20 CET is 02:20 UTC), not the wall time read as UTC (an hour later,
    which would skip what is written in between)."""

    zone = "Europe/Berlin"
    lake.sql("INSERT INTO machine_event VALUES (5, 'crash', '2024-10-27 03:20:00')")  # 02:20 UTC
    pin_source_clock(monkeypatch, FALL_BACK + timedelta(minutes=90))  # 02:30 UTC
    manifest = lake.plan([events], time_zone=zone)
    run_id = lake.run_crashing_in(manifest, StateStore, "commit", monkeypatch)
    assert lake.state("machine_event")["leaseRunId"] == run_id
    retry = lake.run_manifest(manifest).tables[0]
    assert retry.status == "LOADED" and retry.rowsRead == 0, retry
    state = lake.state("machine_event")
    assert state["watermark"] == "2024-10-27T02:20:00.000000Z" and state["lastRunId"] == run_id
    assert lake.assert_full_copy_equals_source(events) == 5


def test_job_refuses_a_jvm_outside_utc(spark: object) -> None:
    # The real local Spark runs in UTC (the runner's -Duser.timezone=UTC) and passes the check.
    clock.require_utc_jvm(clock.jvm_default_zone(spark))
    clock.require_utc_jvm("Etc/UTC")
    with pytest.raises(RuntimeError, match="'Europe/Berlin', not UTC"):
        clock.require_utc_jvm("Europe/Berlin")
