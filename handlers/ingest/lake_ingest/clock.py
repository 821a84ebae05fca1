"""The source's time zone: DATETIME cursors the application writes in local wall time.

A MariaDB/MySQL DATETIME has no zone: it holds whatever wall time the application wrote. When
the application writes the source's local time (manifest `source.timeZone`, e.g.
Europe/Berlin), the job compares such a cursor with wall-time bounds in that zone. The run's
position (watermark, high mark) stays a UTC instant taken from the source's UTC clock
(UTC_TIMESTAMP); only the SQL literals are wall times, converted here with zoneinfo, so the
source needs no time zone tables.

Wall times are not monotonic: when the clocks go back (end of daylight saving time) an hour of
wall time repeats. For a window of UTC instants (low, high] the wall times written in it lie in
(low + smallest offset, high + largest offset] of the zone within the window, which is the range
read: across a backward change the lower bound moves back by the offset difference (the
repeated hour is read again) and the upper bound reaches the wall time just before the change.
TIMESTAMP columns are instants (the JDBC session is UTC) and use the UTC bounds unchanged.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from .errors import TableError

UTC_NAME = "UTC"
# Offsets are piecewise constant with pieces of months; sampling every hour finds every offset a
# window holds (no zone has a piece shorter than an hour), and a window's endpoints are always
# sampled. Very long windows (a table not loaded for years) are sampled more coarsely.
_STEP = timedelta(hours=1)
_MAX_SAMPLES = 50_000
# The wall times the rows of a first load can have above wall(high): those written before a
# backward change within this span.
FIRST_LOAD_SPAN = timedelta(days=1)


def zone(name: str) -> tzinfo:
    """The tzinfo of an IANA name; "UTC" needs no time zone database."""
    if name == UTC_NAME:
        return UTC
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise TableError(f"source time zone {name!r} is not a known IANA time zone ({exc})") from None


def offsets_in(tz: tzinfo, low: datetime, high: datetime) -> tuple[timedelta, timedelta]:
    """The smallest and largest UTC offset of tz at any instant in [low, high] (aware datetimes)."""
    if high < low:
        low, high = high, low
    step = max(_STEP, (high - low) / _MAX_SAMPLES)
    seen: set[timedelta] = set()
    t = low
    while t < high:
        seen.add(_offset(tz, t))
        t += step
    seen.add(_offset(tz, high))
    return min(seen), max(seen)


def _offset(tz: tzinfo, instant: datetime) -> timedelta:
    offset = instant.astimezone(tz).utcoffset()
    return offset if offset is not None else timedelta(0)


def wall_window(tz: tzinfo, low: datetime | None, high: datetime) -> tuple[datetime | None, datetime]:
    """Naive wall-time bounds (exclusive low, inclusive high) for the UTC window (low, high].

    low None (first load): only the upper bound, which still covers rows written before a
    backward change in the last FIRST_LOAD_SPAN.
    """
    start = low if low is not None else high - FIRST_LOAD_SPAN
    smallest, largest = offsets_in(tz, start, high)
    wall_high = (high.astimezone(UTC) + largest).replace(tzinfo=None)
    if low is None:
        return None, wall_high
    return (low.astimezone(UTC) + smallest).replace(tzinfo=None), wall_high


def wall_to_utc(tz: tzinfo, wall: datetime) -> datetime:
    """The earliest UTC instant a (naive) wall time can stand for: inside a repeated hour the
    first occurrence, inside a skipped hour the earlier reading (a watermark must never be
    later than what the data reached)."""
    naive = wall.replace(tzinfo=None)
    candidates = [naive.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
    return min(candidates)


# IDs the JVM may report for UTC (java.util.TimeZone.getDefault().getID()).
_UTC_IDS = frozenset({"UTC", "Etc/UTC", "GMT", "Etc/GMT", "GMT0", "Etc/GMT0", "UCT", "Etc/UCT", "Universal", "Zulu"})


def require_utc_jvm(zone_id: str) -> None:
    """Refuse to load under a non-UTC JVM default zone.

    Spark converts JDBC timestamps through the JVM default zone; under any other zone every
    DATETIME/TIMESTAMP value (and cursor) would shift by its offset. Glue's JVMs run in UTC and the
    local runner starts Spark with -Duser.timezone=UTC; this catches any other launcher.
    """
    if zone_id not in _UTC_IDS:
        raise RuntimeError(
            f"the Spark driver's JVM default time zone is {zone_id!r}, not UTC: timestamps would be "
            "shifted; start Spark with -Duser.timezone=UTC (spark.driver/executor.extraJavaOptions)"
        )


def jvm_default_zone(spark: object) -> str:
    """The driver JVM's default time zone ID, through py4j."""
    jvm = spark.sparkContext._jvm  # type: ignore[attr-defined]
    return str(jvm.java.util.TimeZone.getDefault().getID())
