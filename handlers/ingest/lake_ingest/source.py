"""Reading the source over JDBC, whatever its engine: one metadata connection in the driver JVM
plus DataFrame reads. Everything engine-specific (quoting, introspection, the select expression
per type, the clock, the change gate, the driver class and URL parameters) is in dialects/.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from .dialects import Dialect, SourceColumn, dialect_for
from .errors import SourceTableMissing, TableError
from .manifest import Manifest

__all__ = ["Jdbc", "SourceColumn", "SourceConfig", "quote_ident", "resolve_source_config", "with_driver_params"]

log = logging.getLogger("lake_ingest")


@dataclass(frozen=True)
class SourceConfig:
    url: str
    user: str
    password: str = field(repr=False)
    engine: str = "mariadb"  # the run manifest's source.engine

    def __repr__(self) -> str:  # never print the password
        return f"SourceConfig(url={self.url!r}, user={self.user!r}, password=***, engine={self.engine!r})"

    @property
    def dialect(self) -> Dialect:
        return dialect_for(self.engine)


def with_driver_params(url: str, engine: str = "mariadb") -> str:
    return dialect_for(engine).normalize_url(url)


def resolve_source_config(manifest: Manifest, jdbc_url: str | None) -> SourceConfig:
    """Local: URL from --jdbc_url/LAKE_SOURCE_JDBC_URL, user and password from the environment.
    Glue: the manifest's source.connectionName, the connection's JDBC URL and its Secrets Manager
    secret (JSON username/password)."""
    engine = manifest.engine
    dialect_for(engine)  # refuses an engine the job cannot load
    if jdbc_url:
        user = os.environ.get("LAKE_SOURCE_USER", "")
        password = os.environ.get("LAKE_SOURCE_PASSWORD", "")
        if not user:
            raise TableError("LAKE_SOURCE_USER is not set (needed with --jdbc_url)")
        return SourceConfig(with_driver_params(jdbc_url, engine), user, password, engine)
    # The job's role may read only the lake's own connection (glue:GetConnection on that ARN,
    # components/serviceRoles.ts), so a manifest naming another one is refused by IAM.
    name = manifest.connection_name
    if not name:
        raise TableError("no source: the run manifest names no source.connectionName and no --jdbc_url was given")
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
    return SourceConfig(with_driver_params(url, engine), user, password, engine)


def quote_ident(name: str, engine: str = "mariadb") -> str:
    return dialect_for(engine).quote(name)


class Jdbc:
    """One metadata connection (driver side) plus DataFrame reads for one source."""

    def __init__(self, spark: Any, config: SourceConfig, fetch_size: int) -> None:
        self.spark = spark
        self.config = config
        self.dialect = config.dialect
        self.fetch_size = fetch_size
        self._conn: Any = None

    # -- metadata queries over a plain JDBC connection in the driver JVM --------------------
    def _connection(self) -> Any:
        if self._conn is None or self._conn.isClosed():
            jvm = self.spark.sparkContext._jvm
            props = jvm.java.util.Properties()
            props.setProperty("user", self.config.user)
            props.setProperty("password", self.config.password)
            driver: Any = jvm
            for part in self.dialect.driver_class.split("."):
                driver = getattr(driver, part)
            conn = driver().connect(self.config.url, props)
            if conn is None:
                raise TableError(f"the {self.dialect.driver_class} driver did not accept the JDBC URL")
            init = self.dialect.session_init()
            if init:
                stmt = conn.createStatement()
                try:
                    stmt.execute(init)
                finally:
                    stmt.close()
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
        columns = self.dialect.columns(self, schema, table)
        if not columns:
            raise SourceTableMissing(
                f"source table {schema}.{table} does not exist (or is not visible to the job's user)"
            )
        seen: dict[str, str] = {}
        for c in columns:
            if c.lake_name in seen:
                raise TableError(
                    f"source table {schema}.{table}: columns {seen[c.lake_name]!r} and {c.name!r} differ only in "
                    "case; the lake's column names are lower case"
                )
            seen[c.lake_name] = c.name
        return columns

    def estimated_rows(self, schema: str, table: str) -> int:
        return self.dialect.estimated_rows(self, schema, table)

    def high_mark(self, safety_lag_seconds: int, schema: str | None = None) -> str:
        """The incremental read's upper bound (UTC text): the source clock minus the safety lag,
        capped just before the start of the oldest open transaction, whose rows may carry an
        older cursor than the clock once they commit."""
        reading = self.dialect.clock(self, schema)
        high = reading.now - timedelta(seconds=int(safety_lag_seconds))
        if reading.oldest_transaction is not None:
            cap = reading.oldest_transaction - timedelta(seconds=self.dialect.transaction_margin_seconds)
            if cap < high:
                log.info("high mark capped at %s by a transaction open since %s", cap, reading.oldest_transaction)
                high = cap
        return high.strftime("%Y-%m-%d %H:%M:%S.%f")

    def checksum(self, quoted_table: str) -> str:
        return self.dialect.change_token(self, quoted_table)

    # -- DataFrame reads ----------------------------------------------------------------------
    def read(self, select_sql: str, predicates: list[str] | None = None) -> Any:
        """select_sql is a full SELECT over the exact quoted table; Spark wraps it as a subquery."""
        dbtable = f"({select_sql}) AS t"
        props = {
            "user": self.config.user,
            "password": self.config.password,
            "driver": self.dialect.driver_class,
            "fetchsize": str(self.fetch_size),
        }
        init = self.dialect.session_init()
        if init:
            props["sessionInitStatement"] = init
        if predicates:
            return self.spark.read.jdbc(self.config.url, dbtable, predicates=predicates, properties=props)
        reader = self.spark.read.format("jdbc").option("url", self.config.url).option("dbtable", dbtable)
        for k, v in props.items():
            reader = reader.option(k, v)
        return reader.load()
