"""One canonical text per column value, written twice: in MariaDB SQL over the source column and
in Spark SQL over the full copy's column, so both engines hash a row to the same number.

The canonical text is the value as the load puts it into the lake (source.py), rendered without
any engine's own formatting choices:
  integers, DECIMAL    decimal digits as CAST to text (fixed scale on both sides); DECIMAL(p>38)
                       is the lake's string (CAST(... AS CHAR) on both sides)
  FLOAT, DOUBLE        "<sign><m>p<e>": the exact binary value as an integer mantissa m in
                       [2^52, 2^53) and a power of two e (0 as "0", -0 as "0"). No decimal text:
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
repeated row counts twice (a sum, not XOR).
"""

from __future__ import annotations

from .errors import TableError
from .source import SourceColumn, quote_ident

INTEGRAL = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")
TEXTUAL = ("char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set", "json")
BINARY = ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob")
TEMPORAL = ("date", "datetime", "timestamp")
FLOATING = ("float", "double", "real")
OTHER = ("decimal", "time", "year")
SUPPORTED = INTEGRAL + TEXTUAL + BINARY + TEMPORAL + FLOATING + OTHER


# The engines whose SQL the source side below is written in (MariaDB/MySQL functions and quoting).
RECONCILE_DIALECTS = ("mariadb",)


def supports(columns: list[SourceColumn]) -> bool:
    """Whether this module can compare a table whose columns a dialect reported."""
    return all(c.dialect.name in RECONCILE_DIALECTS for c in columns)


def check_supported(columns: list[SourceColumn], table: str) -> None:
    if not supports(columns):
        engine = columns[0].dialect.name if columns else "?"
        raise TableError(f"reconcile of {table}: not implemented for source engine {engine} yet (MariaDB/MySQL only)")
    for c in columns:
        if c.data_type not in SUPPORTED:
            raise TableError(f"reconcile of {table}: column {c.name} has type {c.column_type}, which it cannot compare")


# -- FLOAT/DOUBLE: exact mantissa and exponent, the same arithmetic in both engines ---------------
def _double_text(x: str, pow_fn: str, log2_fn: str, to_int: str) -> str:
    """x: a DOUBLE expression. Every operation is exact in IEEE arithmetic (scaling by powers of
    two, which both engines compute exactly); LOG2 only guesses the exponent and is corrected."""
    a = f"ABS({x})"
    e0 = f"LEAST(GREATEST(FLOOR({log2_fn}({a})), -1074), 1023)"
    e = f"({e0} + (CASE WHEN {a} / {pow_fn}(2, {e0}) >= 2 THEN 1 WHEN {a} < {pow_fn}(2, {e0}) THEN -1 ELSE 0 END))"
    # Subnormals (e < -1022): 2^(e-52) would underflow to 0, so scale up by 2^200 first.
    m = (
        f"(CASE WHEN {e} >= -1000 THEN {a} / {pow_fn}(2, {e} - 52) "
        f"ELSE {a} * {pow_fn}(2, 200) / {pow_fn}(2, {e} - 52 + 200) END)"
    )
    return (
        f"(CASE WHEN {x} IS NULL THEN NULL WHEN {x} = 0 THEN '0' ELSE CONCAT("
        f"CASE WHEN {x} < 0 THEN '-' ELSE '' END, CAST({m} AS {to_int}), 'p', CAST({e} AS {to_int})) END)"
    )


# -- MariaDB side ---------------------------------------------------------------------------------
def _zero_date_null(q: str, formatted: str) -> str:
    return f"(CASE WHEN {q} IS NULL OR CAST({q} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {formatted} END)"


def source_text(c: SourceColumn) -> str:
    """MariaDB SQL: the column's canonical text (NULL for NULL)."""
    q = quote_ident(c.name)
    t = c.data_type
    if t in INTEGRAL or t in ("decimal", "time"):
        return f"CAST({q} AS CHAR)"
    if t == "year":
        return f"CAST(CAST({q} AS SIGNED) AS CHAR)"
    if t == "float":
        return _double_text(f"CAST(CAST({q} AS CHAR) AS DOUBLE)", "POW", "LOG2", "SIGNED")
    if t in ("double", "real"):
        return _double_text(q, "POW", "LOG2", "SIGNED")
    if t == "date":
        return _zero_date_null(q, f"DATE_FORMAT({q}, '%Y-%m-%d')")
    if t in ("datetime", "timestamp"):
        return _zero_date_null(q, f"DATE_FORMAT({q}, '%Y-%m-%d %H:%i:%s.%f')")
    if t in BINARY:
        return f"HEX({q})"
    if t in TEXTUAL:
        return q
    raise TableError(f"reconcile cannot compare column {c.name} of type {c.column_type}")


def _source_piece(text: str) -> str:
    v = f"(CONVERT({text} USING utf8mb4) COLLATE utf8mb4_bin)"
    return f"IFNULL(CONCAT(LENGTH({v}), ':', {v}), 'N')"


def source_row_text(columns: list[SourceColumn]) -> str:
    return "CONCAT(" + ", ".join(_source_piece(source_text(c)) for c in columns) + ")"


def source_row_hash(columns: list[SourceColumn]) -> str:
    """MariaDB SQL: the row's 64-bit hash as BIGINT UNSIGNED."""
    return f"CAST(CONV(LEFT(MD5({source_row_text(columns)}), 16), 16, 10) AS UNSIGNED)"


def source_key_digest(keys: list[SourceColumn]) -> str:
    """MariaDB SQL: MD5 hex of the key's canonical text (hash buckets for non-integral keys)."""
    return f"MD5({source_row_text(keys)})"


# -- Spark side -----------------------------------------------------------------------------------
def lake_text(c: SourceColumn, present: set[str]) -> str:
    """Spark SQL over the full copy's column (lake name); NULL when the full copy lacks it."""
    if c.lake_name not in present:
        return "CAST(NULL AS STRING)"
    q = "`" + c.lake_name.replace("`", "``") + "`"
    t = c.data_type
    if t in ("char", "enum", "set"):  # the JDBC read pads these (as CHAR(n)); MariaDB strips them
        return f"rtrim(CAST({q} AS STRING))"
    if t in INTEGRAL or t in ("decimal", "time", "year") or t in TEXTUAL:
        return f"CAST({q} AS STRING)"
    if t in FLOATING:
        return _double_text(f"CAST({q} AS DOUBLE)", "pow", "log2", "BIGINT")
    if t == "date":
        return f"date_format({q}, 'yyyy-MM-dd')"
    if t in ("datetime", "timestamp"):
        return f"date_format({q}, 'yyyy-MM-dd HH:mm:ss.SSSSSS')"
    if t in BINARY:
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
