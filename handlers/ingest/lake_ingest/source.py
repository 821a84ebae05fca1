"""Reading the source over JDBC: exact quoted names, UTC sessions, typed select lists.

MariaDB/MySQL through MariaDB Connector/J with a jdbc:mysql URL (permitMysqlScheme). Every
connection's session time zone is UTC (connectionTimeZone=UTC&forceConnectionTimeZoneToSession
=true, verified against the real driver by tests/ingest/test_types.py), so TIMESTAMP columns
arrive as UTC and DATETIME columns arrive as the wall time written (kept so in the lake; a
DATETIME cursor is compared in the manifest's source.timeZone, see clock.py).

Type handling (lake column = source column name in lower case):
  TINYINT(1)        -> tinyint (tinyInt1isBit=false keeps 0..127 faithful, not a lossy boolean)
  BIGINT UNSIGNED   -> decimal(20,0) (lossless)
  DECIMAL(p<=38,s)  -> decimal(p,s); DECIMAL(p>38) -> string (Spark's limit is 38 digits)
  TIME              -> string ('-12:30:00'); YEAR -> bigint
  zero dates        -> NULL (the driver returns NULL for 0000-00-00)
  JSON/TEXT/ENUM    -> string
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from .errors import SourceTableMissing, TableError
from .manifest import Manifest

DRIVER = "org.mariadb.jdbc.Driver"
URL_PARAMS = {
    "permitMysqlScheme": "true",
    "connectionTimeZone": "UTC",
    "forceConnectionTimeZoneToSession": "true",
    "tinyInt1isBit": "false",
    "yearIsDateType": "false",
}
SUPPORTED_ENGINES = ("mariadb", "mysql")


@dataclass(frozen=True)
class SourceConfig:
    url: str
    user: str
    password: str = field(repr=False)

    def __repr__(self) -> str:  # never print the password
        return f"SourceConfig(url={self.url!r}, user={self.user!r}, password=***)"


def with_driver_params(url: str) -> str:
    if url.startswith("jdbc:mariadb:"):
        url = "jdbc:mysql:" + url[len("jdbc:mariadb:") :]
    base, _, query = url.partition("?")
    params = [p for p in query.split("&") if p]
    present = {p.split("=", 1)[0] for p in params}
    params += [f"{k}={v}" for k, v in URL_PARAMS.items() if k not in present]
    return f"{base}?{'&'.join(params)}"


def resolve_source_config(manifest: Manifest, jdbc_url: str | None, connection_name: str | None) -> SourceConfig:
    """Local: URL from --jdbc_url/LAKE_SOURCE_JDBC_URL, user and password from the environment.
    Glue: the connection's JDBC URL and its Secrets Manager secret (JSON username/password)."""
    if manifest.engine not in SUPPORTED_ENGINES:
        raise TableError(f"source engine {manifest.engine} is not supported by this job yet")
    if jdbc_url:
        user = os.environ.get("LAKE_SOURCE_USER", "")
        password = os.environ.get("LAKE_SOURCE_PASSWORD", "")
        if not user:
            raise TableError("LAKE_SOURCE_USER is not set (needed with --jdbc_url)")
        return SourceConfig(with_driver_params(jdbc_url), user, password)
    # The job's own --connection_name (set by the stack) is the only connection it may open: a
    # manifest naming another one would read some other connection's credentials.
    name = connection_name
    if not name:
        raise TableError("no source: the job has no --connection_name and no --jdbc_url was given")
    if manifest.connection_name and manifest.connection_name != name:
        raise TableError(
            f"manifest source.connectionName {manifest.connection_name!r} differs from the job's --connection_name {name!r}: refused"
        )
    import boto3

    props = boto3.client("glue").get_connection(Name=name, HidePassword=False)["Connection"]["ConnectionProperties"]
    url = props.get("JDBC_CONNECTION_URL")
    if not url:
        raise TableError(f"Glue connection {name} has no JDBC_CONNECTION_URL")
    user, password = props.get("USERNAME", ""), props.get("PASSWORD", "")
    secret_id = props.get("SECRET_ID")
    if secret_id:
        secret = boto3.client("secretsmanager").get_secret_value(SecretId=secret_id)["SecretString"]
        parsed = json.loads(secret)
        user, password = parsed["username"], parsed["password"]
    if not user:
        raise TableError(f"Glue connection {name} has neither a secret nor a user name")
    return SourceConfig(with_driver_params(url), user, password)


def quote_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


@dataclass(frozen=True)
class SourceColumn:
    name: str  # exact source spelling
    data_type: str  # information_schema DATA_TYPE, lower case
    column_type: str  # e.g. "bigint(20) unsigned"
    precision: int | None

    @property
    def lake_name(self) -> str:
        return self.name.lower()

    def select_expr(self) -> str:
        q = quote_ident(self.name)
        if self.data_type == "decimal" and (self.precision or 0) > 38:
            expr = f"CAST({q} AS CHAR)"
        elif self.data_type == "time":
            expr = f"CAST({q} AS CHAR)"
        elif self.data_type == "year":
            expr = f"CAST({q} AS SIGNED)"
        else:
            expr = q
        return f"{expr} AS {quote_ident(self.lake_name)}"


class Jdbc:
    """One metadata connection (driver side) plus DataFrame reads for one source."""

    def __init__(self, spark: Any, config: SourceConfig, fetch_size: int) -> None:
        self.spark = spark
        self.config = config
        self.fetch_size = fetch_size
        self._conn: Any = None

    # -- metadata queries over a plain JDBC connection in the driver JVM --------------------
    def _connection(self) -> Any:
        if self._conn is None or self._conn.isClosed():
            jvm = self.spark.sparkContext._jvm
            props = jvm.java.util.Properties()
            props.setProperty("user", self.config.user)
            props.setProperty("password", self.config.password)
            conn = jvm.org.mariadb.jdbc.Driver().connect(self.config.url, props)
            if conn is None:
                raise TableError("the MariaDB driver did not accept the JDBC URL")
            self._conn = conn
        return self._conn

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def query(self, sql: str, params: tuple[str, ...] = ()) -> list[tuple[str | None, ...]]:
        stmt = self._connection().prepareStatement(sql)
        try:
            for i, value in enumerate(params, start=1):
                stmt.setString(i, value)
            rs = stmt.executeQuery()
            width = rs.getMetaData().getColumnCount()
            rows: list[tuple[str | None, ...]] = []
            while rs.next():
                rows.append(tuple(rs.getString(i) for i in range(1, width + 1)))
            rs.close()
            return rows
        finally:
            stmt.close()

    def scalar(self, sql: str, params: tuple[str, ...] = ()) -> str | None:
        rows = self.query(sql, params)
        return rows[0][0] if rows else None

    def columns(self, schema: str, table: str) -> list[SourceColumn]:
        rows = self.query(
            "SELECT COLUMN_NAME, LOWER(DATA_TYPE), LOWER(COLUMN_TYPE), NUMERIC_PRECISION "
            "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? "
            "ORDER BY ORDINAL_POSITION",
            (schema, table),
        )
        if not rows:
            raise SourceTableMissing(
                f"source table {schema}.{table} does not exist (or is not visible to the job's user)"
            )
        return [SourceColumn(str(r[0]), str(r[1]), str(r[2]), int(r[3]) if r[3] is not None else None) for r in rows]

    def estimated_rows(self, schema: str, table: str) -> int:
        value = self.scalar(
            "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
            (schema, table),
        )
        return int(value) if value else 0

    def utc_now_minus(self, seconds: int) -> str:
        value = self.scalar(
            f"SELECT DATE_FORMAT(UTC_TIMESTAMP(6) - INTERVAL {int(seconds)} SECOND, '%Y-%m-%d %H:%i:%s.%f')"
        )
        assert value is not None
        return value

    def checksum(self, quoted_table: str) -> str:
        rows = self.query(f"CHECKSUM TABLE {quoted_table}")
        if not rows or rows[0][1] is None:
            raise SourceTableMissing(f"CHECKSUM TABLE {quoted_table} returned no checksum (missing table?)")
        return str(rows[0][1])

    # -- DataFrame reads ----------------------------------------------------------------------
    def read(self, select_sql: str, predicates: list[str] | None = None) -> Any:
        """select_sql is a full SELECT over the exact quoted table; Spark wraps it as a subquery."""
        dbtable = f"({select_sql}) AS t"
        props = {
            "user": self.config.user,
            "password": self.config.password,
            "driver": DRIVER,
            "fetchsize": str(self.fetch_size),
        }
        if predicates:
            return self.spark.read.jdbc(self.config.url, dbtable, predicates=predicates, properties=props)
        reader = self.spark.read.format("jdbc").option("url", self.config.url).option("dbtable", dbtable)
        for k, v in props.items():
            reader = reader.option(k, v)
        return reader.load()
