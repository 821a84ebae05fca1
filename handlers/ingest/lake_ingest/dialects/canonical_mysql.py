"""The canonical form (lake_ingest/canonical.py) in MariaDB/MySQL SQL.

  integers, DECIMAL, TIME  CAST(... AS CHAR) (fixed scale, as the lake's decimal or string)
  YEAR                     its number
  FLOAT                    the double the load gets: MariaDB sends FLOAT as 6-digit text and the
                           driver parses it, so CAST(CAST(f AS CHAR) AS DOUBLE)
  DATE, DATETIME, TIMESTAMP  DATE_FORMAT (TIMESTAMP in the session's UTC); zero dates NULL
  CHAR, ENUM, SET          as MariaDB returns them (trailing spaces stripped; the lake side rtrims)
  BINARY, BLOB             HEX
Texts are converted to utf8mb4 with a binary collation, so lengths are UTF-8 bytes.
"""

from __future__ import annotations

from ..float_text import FloatFunctions, exact_double_text
from .base import SourceColumn
from .canonical_sql import CanonicalSql, LakeKind

INTEGRAL = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")
PLAIN_TEXT = ("varchar", "tinytext", "text", "mediumtext", "longtext", "json")
PADDED_TEXT = ("char", "enum", "set")
BINARY = ("binary", "varbinary", "tinyblob", "blob", "mediumblob", "longblob")
FLOATING = ("float", "double", "real")
MAX_SPARK_DECIMAL_DIGITS = 38  # wider DECIMALs are the lake's strings (dialects/mysql.py)

MARIADB_FLOAT = FloatFunctions(pow2=lambda e: f"POW(2, {e})", log2=lambda a: f"LOG2({a})", to_int="SIGNED")


def _zero_date_null(q: str, formatted: str) -> str:
    return f"(CASE WHEN {q} IS NULL OR CAST({q} AS CHAR) LIKE '0000-00-00%' THEN NULL ELSE {formatted} END)"


class MySqlCanonical(CanonicalSql):
    def kind(self, column: SourceColumn) -> LakeKind | None:
        t = column.data_type
        if t == "decimal" and (column.precision or 0) <= MAX_SPARK_DECIMAL_DIGITS:
            return "decimal"
        if t in INTEGRAL or t in PLAIN_TEXT or t in ("decimal", "time", "year"):
            return "plain"
        if t in PADDED_TEXT:
            return "padded"
        if t in FLOATING:
            return "double"
        if t == "date":
            return "date"
        if t in ("datetime", "timestamp"):
            return "timestamp"
        if t in BINARY:
            return "binary"
        return None

    def text(self, column: SourceColumn) -> str:
        q = column.quoted
        t = column.data_type
        if t == "year":
            return f"CAST(CAST({q} AS SIGNED) AS CHAR)"
        if t == "float":
            return exact_double_text(f"CAST(CAST({q} AS CHAR) AS DOUBLE)", MARIADB_FLOAT)
        if t in FLOATING:
            return exact_double_text(q, MARIADB_FLOAT)
        if t == "date":
            return _zero_date_null(q, f"DATE_FORMAT({q}, '%Y-%m-%d')")
        if t in ("datetime", "timestamp"):
            return _zero_date_null(q, f"DATE_FORMAT({q}, '%Y-%m-%d %H:%i:%s.%f')")
        if t in BINARY:
            return f"HEX({q})"
        if t in PLAIN_TEXT or t in PADDED_TEXT:
            return q
        return f"CAST({q} AS CHAR)"  # integers, DECIMAL, TIME

    def piece(self, text: str) -> str:
        v = f"(CONVERT({text} USING utf8mb4) COLLATE utf8mb4_bin)"
        return f"IFNULL(CONCAT(LENGTH({v}), ':', {v}), 'N')"

    def concat(self, pieces: list[str]) -> str:
        return "CONCAT(" + ", ".join(pieces) + ")"

    def hash64(self, text: str) -> str:
        return f"CAST(CONV(LEFT(MD5({text}), 16), 16, 10) AS UNSIGNED)"

    def md5(self, text: str) -> str:
        return f"MD5({text})"

    def integral_bucket(self, key: SourceColumn, lo: int, width: int) -> str:
        return f"((CAST({key.quoted} AS DECIMAL(20,0)) - ({lo})) DIV {width})"

    def begin_snapshot(self) -> list[str]:
        # InnoDB MVCC: plain SELECTs in this transaction take no locks and see one state
        return [
            "SET SESSION time_zone = '+00:00'",
            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ",
            "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY",
        ]


MYSQL_CANONICAL = MySqlCanonical()
