"""DATE and DATETIME values land exactly, whatever their year (0001-01-01 .. 9999-12-31).

Two traps, both measured with the MariaDB driver and Spark 3.5 (handlers/ingest/tests/test_old_dates.py):
- the driver hands DATE/DATETIME over as java.sql.Date/Timestamp, whose calendar is the hybrid
  Julian-Gregorian one; Spark rebases them to its proleptic Gregorian calendar by year, month and
  day, which is exact except for the ten days the hybrid calendar lacks: 1582-10-05 .. 14 come
  out ten days later (1582-10-10 -> 1582-10-20), silently. So these columns are read as text
  (no calendar: MariaDB's text is proleptic Gregorian, like Spark) and cast in Spark; a zero
  date ('0000-00-00') casts to NULL, as the driver gave it.
- Spark's Parquet writer refuses dates before 1582-10-15 and timestamps before 1900 unless a
  rebase mode is set (default EXCEPTION): session.py sets CORRECTED at run start.
TIMESTAMP columns (1970 .. 2038) go through the driver as they are.
"""

from __future__ import annotations

from typing import Any

from .source import SourceColumn, quote_ident

# source DATA_TYPE -> the Spark type its text is cast to
AS_TEXT = {"date": "date", "datetime": "timestamp"}


def as_text(column: SourceColumn) -> bool:
    """MariaDB/MySQL DATE and DATETIME (the MariaDB driver's java.sql values are what shift)."""
    return column.dialect.name == "mariadb" and column.data_type in AS_TEXT


def select_expr(column: SourceColumn) -> str:
    """The column's select-list entry: DATE/DATETIME as text, anything else as its dialect reads it."""
    if as_text(column):
        return f"CAST({quote_ident(column.name)} AS CHAR) AS {quote_ident(column.lake_name)}"
    return column.select_expr()


def typed(df: Any, columns: list[SourceColumn]) -> Any:
    """The DataFrame read with select_expr, with the text dates cast back to date/timestamp."""
    from pyspark.sql import functions as F

    casts = {c.lake_name: AS_TEXT[c.data_type] for c in columns if as_text(c)}
    present = [name for name in df.columns if name in casts]
    if not present:
        return df
    return df.withColumns({name: F.expr(f"try_cast({quote_ident(name)} AS {casts[name]})") for name in present})
