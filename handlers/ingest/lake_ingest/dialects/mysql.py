"""MariaDB and MySQL, read with MariaDB Connector/J over a jdbc:mysql URL (permitMysqlScheme).

Every session is UTC (connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true, verified
against the real driver by handlers/ingest/tests/test_types.py), so TIMESTAMP columns arrive as UTC
instants and DATETIME columns as the wall time written (kept so in the lake; a DATETIME cursor
is compared in the manifest's source.timeZone, see clock.py).

Type handling (lake column = source column name in lower case):
  TINYINT(1)        -> tinyint (tinyInt1isBit=false keeps 0..127 faithful, not a lossy boolean)
  BIGINT UNSIGNED   -> decimal(20,0) (lossless)
  DECIMAL(p<=38,s)  -> decimal(p,s); DECIMAL(p>38) -> string (Spark's limit is 38 digits)
  TIME              -> string ('-12:30:00'); YEAR -> bigint
  zero dates        -> NULL (the driver returns NULL for 0000-00-00)
  JSON/TEXT/ENUM    -> string; BLOB/BINARY -> binary

High mark: UTC_TIMESTAMP(6), capped at information_schema.INNODB_TRX's oldest trx_started
(which needs the PROCESS privilege) among transactions that have modified or locked rows: a
MariaDB statement stamps NOW()/CURRENT_TIMESTAMP with its own start, so a transaction that has
written nothing yet stamps later than this read's clock (PostgreSQL differs: now() is the
transaction's start). Read-only transactions (reports, other lake reads) never hold the mark
back. trx_started is shown in the server's system time zone, not the session's, so it is
converted from 'SYSTEM' to UTC in SQL. A cursor the application computes before its transaction
starts is not covered by the cap (the lookback is).
Change gate: CHECKSUM TABLE (MySQL documents a read lock while it runs; to be replaced by the
lock-free reconciliation aggregate).
"""

from __future__ import annotations

from typing import Any

from ..errors import SourceTableMissing, TableError
from .base import ClockReading, Dialect, MetadataQueries, SourceColumn, add_url_params, parse_utc
from .canonical_mysql import MYSQL_CANONICAL

URL_PARAMS = {
    "permitMysqlScheme": "true",
    "connectionTimeZone": "UTC",
    "forceConnectionTimeZoneToSession": "true",
    "tinyInt1isBit": "false",
    "yearIsDateType": "false",
}
INTEGRAL = ("tinyint", "smallint", "mediumint", "int", "integer", "bigint")
TEXT_FORMAT = "%Y-%m-%d %H:%i:%s.%f"


class MySqlDialect(Dialect):
    name = "mariadb"
    driver_class = "org.mariadb.jdbc.Driver"
    canonical = MYSQL_CANONICAL

    def quote(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def normalize_url(self, url: str) -> str:
        if url.startswith("jdbc:mariadb:"):
            url = "jdbc:mysql:" + url[len("jdbc:mariadb:") :]
        return add_url_params(url, URL_PARAMS)

    def columns(self, db: MetadataQueries, schema: str, table: str) -> list[SourceColumn]:
        rows = db.query(
            "SELECT COLUMN_NAME, LOWER(DATA_TYPE), LOWER(COLUMN_TYPE), NUMERIC_PRECISION, NUMERIC_SCALE "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
            "ORDER BY ORDINAL_POSITION",
            (schema, table),
        )
        return [
            SourceColumn(str(r[0]), str(r[1]), str(r[2]), _int(r[3]), _int(r[4]), source_dialect=self) for r in rows
        ]

    def column_comments(self, db: MetadataQueries, schema: str, table: str) -> dict[str, str]:
        rows = db.query(
            "SELECT COLUMN_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS "
            "WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND COLUMN_COMMENT <> ''",
            (schema, table),
        )
        return {str(name): str(comment) for name, comment in rows if comment}

    def estimated_rows(self, db: MetadataQueries, schema: str, table: str) -> int:
        value = db.scalar(
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
            (schema, table),
        )
        return int(value) if value else 0

    def clock(self, db: MetadataQueries, schema: str | None = None) -> ClockReading:
        # schema: only sessions whose default database is the source's (or none, which may write
        # anywhere) can hold back its rows; another application's database on the same server
        # must not hold back the watermark of every table.
        scope = (
            " AND trx_mysql_thread_id IN (SELECT ID FROM information_schema.PROCESSLIST WHERE DB IS NULL OR DB = ?)"
            if schema is not None
            else ""
        )
        sql = (
            f"SELECT DATE_FORMAT(UTC_TIMESTAMP(6), '{TEXT_FORMAT}'), "
            f"(SELECT DATE_FORMAT(CONVERT_TZ(MIN(trx_started), 'SYSTEM', '+00:00'), '{TEXT_FORMAT}') "
            "FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID() "
            f"AND (trx_rows_modified > 0 OR trx_rows_locked > 0){scope})"
        )
        try:
            rows = db.query(sql, (schema,) if schema is not None else ())
        except Exception as exc:  # noqa: BLE001 -- the usual cause is a missing privilege
            raise TableError(
                "reading the oldest open transaction (information_schema.INNODB_TRX) failed; the job's source "
                f"user needs the PROCESS privilege: {str(exc).splitlines()[0][:300]}"
            ) from exc
        now, oldest = rows[0]
        assert now is not None
        return ClockReading(parse_utc(now), parse_utc(oldest) if oldest else None)

    def change_token(self, db: MetadataQueries, quoted_table: str) -> str:
        rows = db.query(f"CHECKSUM TABLE {quoted_table}")
        if not rows or rows[0][1] is None:
            raise SourceTableMissing(f"CHECKSUM TABLE {quoted_table} returned no checksum (missing table?)")
        return str(rows[0][1])

    def column_expr(self, column: SourceColumn) -> str:
        q = self.quote(column.name)
        if column.data_type == "decimal" and (column.precision or 0) > 38:
            return f"CAST({q} AS CHAR)"
        if column.data_type == "time":
            return f"CAST({q} AS CHAR)"
        if column.data_type == "year":
            return f"CAST({q} AS SIGNED)"
        return q

    def is_integral(self, column: SourceColumn) -> bool:
        return column.data_type in INTEGRAL

    def is_wall_time(self, column: SourceColumn) -> bool:
        return column.data_type == "datetime"


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


MYSQL = MySqlDialect()
