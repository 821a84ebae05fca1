"""Spark settings the job owns: set at run start, so Glue and local runs read and write alike,
and on each table's own session when tables load at once (table_session).

- Parquet rebase modes CORRECTED: Spark's default (EXCEPTION) refuses to write dates before
  1582-10-15 and timestamps before 1900 to the raw zone; CORRECTED writes them as they are
  (proleptic Gregorian, like MariaDB and Iceberg). See dates.py for reading them exactly.
- No read-side CHAR padding: Spark 3.5 pads a JDBC CHAR(n) value to n characters ('KG' in a
  CHAR(3) arrives as 'KG '); MariaDB returns it without the padding, and so must the lake.
"""

from __future__ import annotations

from typing import Any

SETTINGS = {
    **{
        f"spark.sql.parquet.{kind}RebaseMode{direction}": "CORRECTED"
        for kind in ("datetime", "int96")
        for direction in ("InWrite", "InRead")
    },
    "spark.sql.readSideCharPadding": "false",
    # Timestamps without a zone are read and written as UTC (clock.py checks the JVM's zone).
    "spark.sql.session.timeZone": "UTC",
}


def apply(spark: Any) -> None:
    for key, value in SETTINGS.items():
        spark.conf.set(key, value)


def table_session(spark: Any) -> Any:
    """A session of its own for one table loading beside others: its own SQL settings (the job's
    settings applied again; spark.wap.id is one of them, set by each table's stage) and temporary
    views, the same SparkContext, catalogs' configuration and executors."""
    own = spark.newSession()
    apply(own)
    return own
