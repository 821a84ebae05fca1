"""The canonical form (lake_ingest/canonical.py) in PostgreSQL SQL, for what the load put into the
lake (dialects/postgres.py documents the mapping):

  smallint/integer/bigint, boolean, numeric, text, varchar
                           their text ('true'/'false'; numeric(p,s) at its fixed scale, as the
                           lake's decimal(p,s) prints; numeric without precision or p > 38 is the
                           lake's string, the same text)
  character(n)             the blank-padded value, as the lake holds it (concat() renders it with
                           the type's output function; a cast to text would strip the padding)
  real, double precision   float_text.exact_double_text of the value as a double (real widened
                           exactly, as Spark widens the lake's float); NaN and +-Infinity kept
  date, timestamp          to_char; timestamptz AT TIME ZONE 'UTC' (the lake holds the instant)
  bytea                    upper-case hex
  every other type         the text the load read (dialect column_expr: interval in ISO 8601,
                           time, uuid, json, jsonb, enums, arrays as JSON, money, inet, ...),
                           under the same session settings (UTC, IntervalStyle iso_8601)
Lengths and MD5 are over the text's bytes in the database encoding, which must be UTF-8
(session_problem refuses another encoding instead of reporting every row different).
"""

from __future__ import annotations

from ..float_text import FloatFunctions, exact_double_text
from .base import SourceColumn
from .canonical_sql import UNSIGNED_64, CanonicalSql, LakeKind

INT8_MAX = 2**63 - 1
MAX_SPARK_DECIMAL_DIGITS = 38  # numeric(p <= 38, s) is the lake's decimal(p,s) (dialects/postgres.py)

POSTGRES_FLOAT = FloatFunctions(
    pow2=lambda e: f"power(2::float8, {e})",
    log2=lambda a: f"(ln({a}) / ln(2::float8))",
    to_int="bigint",
    specials=(
        ("{x} = 'NaN'::float8", "NaN"),
        ("{x} = 'Infinity'::float8", "Inf"),
        ("{x} = '-Infinity'::float8", "-Inf"),
    ),
)
TIMESTAMP_FORMAT = "YYYY-MM-DD HH24:MI:SS.US"


class PostgresCanonical(CanonicalSql):
    def kind(self, column: SourceColumn) -> LakeKind | None:
        t = column.data_type
        if t in ("real", "double precision"):
            return "double"
        if t == "date":
            return "date"
        if t in ("timestamp without time zone", "timestamp with time zone"):
            return "timestamp"
        if t == "bytea":
            return "binary"
        if t == "numeric" and column.precision is not None and column.precision <= MAX_SPARK_DECIMAL_DIGITS:
            return "decimal"
        return "plain"  # every other type reaches the lake as its text or an exact number

    def text(self, column: SourceColumn) -> str:
        q = column.quoted
        t = column.data_type
        if t in ("real", "double precision"):
            return exact_double_text(f"CAST({q} AS float8)", POSTGRES_FLOAT)
        if t == "date":
            return f"to_char({q}, 'YYYY-MM-DD')"
        if t == "timestamp without time zone":
            return f"to_char({q}, '{TIMESTAMP_FORMAT}')"
        if t == "timestamp with time zone":
            return f"to_char({q} AT TIME ZONE 'UTC', '{TIMESTAMP_FORMAT}')"
        if t == "bytea":
            return f"upper(encode({q}, 'hex'))"
        if t == "character":
            return f"(CASE WHEN {q} IS NULL THEN NULL ELSE concat({q}) END)"
        return f"CAST({column.dialect.column_expr(column)} AS text)"

    def piece(self, text: str) -> str:
        return f"coalesce(CAST(octet_length({text}) AS text) || ':' || {text}, 'N')"

    def concat(self, pieces: list[str]) -> str:
        # || rather than concat(): a function takes at most 100 arguments
        return "(" + " || ".join(pieces) + ")"

    def hash64(self, text: str) -> str:
        signed = f"CAST(CAST(CAST('x' || left(md5({text}), 16) AS bit(64)) AS bigint) AS numeric)"
        return f"(({signed} + {UNSIGNED_64}) % {UNSIGNED_64})"

    def md5(self, text: str) -> str:
        return f"md5({text})"

    def integral_bucket(self, key: SourceColumn, lo: int, width: int) -> str:
        return f"div(CAST({key.quoted} AS numeric) - ({lo}), {width})"

    def key_range(self, key: SourceColumn, lo: int, hi: int) -> str:
        # a bound beyond bigint would make the comparison numeric (no index): leave it out
        if hi > INT8_MAX:
            return f"({key.quoted} >= {lo})"
        return super().key_range(key, lo, hi)

    def begin_snapshot(self) -> list[str]:
        # The snapshot is taken at the transaction's first query and kept for all of them; plain
        # SELECTs take only ACCESS SHARE locks, which block no writer (only DDL).
        return ["START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"]

    def session_problem(self) -> str:
        return (
            "SELECT CASE WHEN current_setting('server_encoding') <> 'UTF8' THEN 'the database encoding is ' "
            "|| current_setting('server_encoding') || '; reconcile compares UTF-8 bytes (create it with "
            "ENCODING ''UTF8'')' END"
        )


POSTGRES_CANONICAL = PostgresCanonical()
