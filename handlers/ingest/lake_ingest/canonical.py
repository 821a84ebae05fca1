"""One canonical text per column value, written twice: in the source engine's SQL over the source
column (per dialect: dialects/canonical_mysql.py, dialects/canonical_postgres.py, each listing its
types) and in Spark SQL over the full copy's column (here), so both engines hash a row to the
same number.

The canonical text is the value as the load puts it into the lake (source.py), rendered without
any engine's own formatting choices. On MariaDB/MySQL:
  integers, DECIMAL    decimal digits as CAST to text (fixed scale on both sides; Spark renders
                       its decimal(p,s) with format_number, as its CAST turns scientific below
                       1E-6); DECIMAL(p>38) is the lake's string (CAST(... AS CHAR) on both sides)
  FLOAT, DOUBLE        "<sign><m>p<e>" (float_text.py): the exact binary value as an integer
                       mantissa m and a power of two e (0 as "0", -0 as "0"). No decimal text:
                       Java 17's Double.toString is not always the shortest (2.82879384806159E17
                       prints as ...008E17) while MariaDB's is. FLOAT is taken as the double the
                       load gets: MariaDB sends FLOAT as 6-digit text and the driver parses it,
                       so the source side reads CAST(CAST(f AS CHAR) AS DOUBLE).
  DATE                 yyyy-MM-dd; DATETIME, TIMESTAMP: yyyy-MM-dd HH:mm:ss.ffffff (TIMESTAMP in
                       UTC: every source session and Spark session run in UTC); zero dates NULL
  TIME                 the lake's string (CAST(t AS CHAR)); YEAR: its number
  text, ENUM, SET, JSON  the characters (utf8mb4); CHAR(n), ENUM and SET without trailing
                       spaces (MariaDB strips them on read and from ENUM/SET members; Spark's
                       JDBC read pads them to the column's length)
  BINARY, BLOB         upper-case hex
A row's text concatenates, per column in source order, "<byte length>:<text>" or "N" for NULL
(so NULL differs from '' and no value can shift into its neighbour). The row hash is the first
64 bits of the MD5 of that text's UTF-8 bytes, as an unsigned integer; a range's aggregate is
COUNT(*) and the exact SUM of the row hashes (DECIMAL on both sides): order-independent, and a
repeated row counts twice (a sum, not XOR). Non-integer keys are bucketed by the MD5 of the key's
text (keyspace.py), so no engine's collation or order is involved.
"""

from __future__ import annotations

from . import float_text
from .errors import TableError
from .source import SourceColumn


def supports(columns: list[SourceColumn]) -> bool:
    """Whether every column of the table can be compared (its dialect renders it canonically)."""
    return bool(columns) and all(c.dialect.canonical.kind(c) is not None for c in columns)


def check_supported(columns: list[SourceColumn], table: str) -> None:
    for c in columns:
        if c.dialect.canonical.kind(c) is None:
            raise TableError(
                f"reconcile of {table}: column {c.name} has type {c.column_type}, which it cannot compare "
                f"on {c.dialect.name}"
            )


# -- source side: the column's dialect -----------------------------------------------------------
def source_text(c: SourceColumn) -> str:
    """Source SQL: the column's canonical text (NULL for NULL)."""
    return c.dialect.canonical.text(c)


def source_row_hash(columns: list[SourceColumn]) -> str:
    """Source SQL: the row's 64-bit hash as an exact unsigned number."""
    return columns[0].dialect.canonical.row_hash(columns)


def source_key_digest(keys: list[SourceColumn]) -> str:
    """Source SQL: MD5 hex of the key's canonical text (hash buckets for non-integral keys)."""
    return keys[0].dialect.canonical.key_digest(keys)


# -- Spark side -----------------------------------------------------------------------------------
def lake_text(c: SourceColumn, present: set[str]) -> str:
    """Spark SQL over the full copy's column (lake name); NULL when the full copy lacks it."""
    if c.lake_name not in present:
        return "CAST(NULL AS STRING)"
    q = "`" + c.lake_name.replace("`", "``") + "`"
    kind = c.dialect.canonical.kind(c)
    if kind == "plain":
        return f"CAST({q} AS STRING)"
    if kind == "decimal":  # format_number formats the exact BigDecimal (grouped, at the scale)
        return f"replace(format_number({q}, {c.scale or 0}), ',', '')"
    if kind == "padded":  # the JDBC read pads these (as CHAR(n)); MariaDB strips them
        return f"rtrim(CAST({q} AS STRING))"
    if kind == "double":
        return float_text.exact_double_text(f"CAST({q} AS DOUBLE)", float_text.SPARK)
    if kind == "date":
        return f"date_format({q}, 'yyyy-MM-dd')"
    if kind == "timestamp":
        return f"date_format({q}, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"
    if kind == "binary":
        return f"hex({q})"
    raise TableError(f"reconcile cannot compare column {c.name} of type {c.column_type}")


def _lake_piece(text: str) -> str:
    return f"coalesce(concat(CAST(octet_length({text}) AS STRING), ':', {text}), 'N')"


def lake_row_text(columns: list[SourceColumn], present: set[str]) -> str:
    return "concat(" + ", ".join(_lake_piece(lake_text(c, present)) for c in columns) + ")"


def lake_row_hash(columns: list[SourceColumn], present: set[str]) -> str:
    """Spark SQL: the row's 64-bit hash as DECIMAL(20,0) (a sum of them stays exact)."""
    return f"CAST(conv(substr(md5({lake_row_text(columns, present)}), 1, 16), 16, 10) AS DECIMAL(20,0))"


def lake_key_digest(keys: list[SourceColumn], present: set[str]) -> str:
    return f"md5({lake_row_text(keys, present)})"
