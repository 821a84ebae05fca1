"""PostgreSQL, read with the PostgreSQL JDBC driver (org.postgresql.Driver).

Names: schema and table come quoted from the manifest ("public"."Order Lines"); column names
keep their exact spelling in the source and are lower-cased in the lake (two columns that
differ only in case are refused, see source.Jdbc.columns).

Every session runs `SET TIME ZONE 'UTC'; SET IntervalStyle = 'iso_8601'` first (metadata
connection and every read, Spark's sessionInitStatement), so the text of each type below does not
depend on the server's or the database's settings.

Type handling (what the lake holds):
  smallint/integer/bigint        -> smallint/int/bigint
  real/double precision          -> float/double (NaN and +-Infinity kept)
  numeric(p<=38,s)               -> decimal(p,s)
  numeric (no precision), numeric(p>38,s)
                                 -> string, PostgreSQL's exact text ('1.50', 'NaN'); a
                                    decimal(38,18) would cut digits on both sides
  money                          -> string of its numeric value ('1234.56', no currency sign or
                                    group separators: independent of lc_monetary)
  boolean                        -> boolean
  text/varchar/char(n)           -> string (char(n) keeps PostgreSQL's blank padding)
  date                           -> date
  timestamp (without time zone)  -> timestamp holding the wall time written (like DATETIME)
  timestamptz                    -> timestamp holding the UTC instant
  time, timetz                   -> string ('13:45:00.5', '13:45:00+02')
  interval                       -> string, ISO 8601 ('P1Y2M3DT4H5M6S')
  uuid                           -> string ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')
  json                           -> string, the text as written
  jsonb                          -> string, PostgreSQL's normalized text (keys sorted by
                                    length then bytes, duplicates dropped: what jsonb stores)
  enum                           -> string (the label)
  arrays                         -> string, JSON text of the array (to_json: '[1,2,null]',
                                    nested arrays nested, elements as their JSON form)
  bytea                          -> binary
  anything else (inet, bit, xml, ranges, geometric, domains over those)
                                 -> string, the type's text output
Dates and timestamps 'infinity'/'-infinity' arrive as the driver's sentinels (far future / far
past), not NULL.

High mark: clock_timestamp() (the real time, not the transaction's start), capped at the oldest
xact_start of the other client sessions in this database (pg_stat_activity; the job's user needs
the pg_read_all_stats role to see other users' sessions). Sessions named lake_ingest (the job's
own reads, ApplicationName) are left out: they only read.
Change gate: count(*) and the sum of a 64-bit hash of every row's text (hashtextextended), one
plain SELECT: no lock beyond the ACCESS SHARE of any read, so writers are never blocked.
"""

from __future__ import annotations

from ..errors import SourceTableMissing
from .base import UNKNOWN_ROWS, ClockReading, Dialect, MetadataQueries, SourceColumn, add_url_params, parse_utc
from .canonical_postgres import POSTGRES_CANONICAL

APPLICATION_NAME = "lake_ingest"
URL_PARAMS = {"ApplicationName": APPLICATION_NAME}
INTEGRAL = ("smallint", "integer", "bigint")
# Types Spark's JDBC reader maps faithfully on its own; every other type is read as text.
NATIVE = (
    *INTEGRAL,
    "real",
    "double precision",
    "boolean",
    "text",
    "character varying",
    "character",
    "date",
    "timestamp without time zone",
    "timestamp with time zone",
    "bytea",
)
MAX_SPARK_DECIMAL_DIGITS = 38
TEXT_FORMAT = "YYYY-MM-DD HH24:MI:SS.US"


class PostgresDialect(Dialect):
    name = "postgresql"
    driver_class = "org.postgresql.Driver"
    canonical = POSTGRES_CANONICAL

    def quote(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def normalize_url(self, url: str) -> str:
        return add_url_params(url, URL_PARAMS)

    def session_init(self) -> str:
        return "SET TIME ZONE 'UTC'; SET IntervalStyle = 'iso_8601'"

    def columns(self, db: MetadataQueries, schema: str, table: str) -> list[SourceColumn]:
        rows = db.query(
            "SELECT column_name, lower(data_type), udt_name, numeric_precision, numeric_scale "
            "FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
            "ORDER BY ordinal_position",
            (schema, table),
        )
        columns = []
        for name, data_type, udt, precision, scale in rows:
            is_numeric = data_type == "numeric"
            columns.append(
                SourceColumn(
                    str(name),
                    str(data_type),
                    str(udt),
                    int(precision) if is_numeric and precision is not None else None,
                    int(scale) if is_numeric and scale is not None else None,
                    source_dialect=self,
                )
            )
        return columns

    def column_comments(self, db: MetadataQueries, schema: str, table: str) -> dict[str, str]:
        # col_description by the column's number; the relation is found by exact (quoted) names
        rows = db.query(
            "SELECT a.attname, col_description(c.oid, a.attnum) FROM pg_catalog.pg_attribute a "
            "JOIN pg_catalog.pg_class c ON c.oid = a.attrelid "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped "
            "AND col_description(c.oid, a.attnum) IS NOT NULL",
            (schema, table),
        )
        return {str(name): str(comment) for name, comment in rows if comment}

    def estimated_rows(self, db: MetadataQueries, schema: str, table: str) -> int:
        value = db.scalar(
            "SELECT c.reltuples::bigint FROM pg_catalog.pg_class c "
            "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = ?",
            (schema, table),
        )
        if value is None:
            return 0
        # -1: never analyzed; unknown, so the caller counts the rows before deciding to split.
        return int(value) if int(value) >= 0 else UNKNOWN_ROWS

    def clock(self, db: MetadataQueries, schema: str | None = None) -> ClockReading:
        # schema: unused, pg_stat_activity is already scoped to the source's database
        rows = db.query(
            f"SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', '{TEXT_FORMAT}'), "
            f"(SELECT to_char(min(xact_start) AT TIME ZONE 'UTC', '{TEXT_FORMAT}') FROM pg_catalog.pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND datname = current_database() AND backend_type = 'client backend' "
            f"AND xact_start IS NOT NULL AND application_name IS DISTINCT FROM '{APPLICATION_NAME}')"
        )
        now, oldest = rows[0]
        assert now is not None
        return ClockReading(parse_utc(now), parse_utc(oldest) if oldest else None)

    def change_token(self, db: MetadataQueries, quoted_table: str) -> str:
        value = db.scalar(
            "SELECT count(*)::text || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0)::text "
            f"FROM {quoted_table} AS t"
        )
        if value is None:
            raise SourceTableMissing(f"the change gate over {quoted_table} returned nothing (missing table?)")
        return value

    def column_expr(self, column: SourceColumn) -> str:
        q = self.quote(column.name)
        if column.data_type == "numeric":
            precision = column.precision
            if precision is None or precision > MAX_SPARK_DECIMAL_DIGITS:
                return f"CAST({q} AS text)"
            return q
        if column.data_type == "money":
            return f"CAST(CAST({q} AS numeric) AS text)"
        if column.data_type == "array":
            return f"CAST(to_json({q}) AS text)"
        if column.data_type in NATIVE:
            return q
        return f"CAST({q} AS text)"

    def is_integral(self, column: SourceColumn) -> bool:
        return column.data_type in INTEGRAL

    def is_wall_time(self, column: SourceColumn) -> bool:
        return column.data_type == "timestamp without time zone"


POSTGRES = PostgresDialect()
