"""One read-only transaction on the source that sees a single consistent snapshot.

REPEATABLE READ started WITH CONSISTENT SNAPSHOT: every query of the transaction reads the same
committed state (InnoDB MVCC), and plain SELECTs take no locks, so writers are never blocked
(unlike CHECKSUM TABLE, which MySQL documents as taking a read lock). The session runs in UTC
like every other source session of the job (TIMESTAMP values are rendered in UTC).
"""

from __future__ import annotations

from types import TracebackType
from typing import Any

from .errors import TableError
from .source import SourceConfig


class ConsistentRead:
    def __init__(self, spark: Any, config: SourceConfig) -> None:
        self.spark = spark
        self.config = config
        self._conn: Any = None

    def __enter__(self) -> ConsistentRead:
        jvm = self.spark.sparkContext._jvm
        props = jvm.java.util.Properties()
        props.setProperty("user", self.config.user)
        props.setProperty("password", self.config.password)
        conn = jvm.org.mariadb.jdbc.Driver().connect(self.config.url, props)
        if conn is None:
            raise TableError("the MariaDB driver did not accept the JDBC URL")
        self._conn = conn
        try:
            self._execute("SET SESSION time_zone = '+00:00'")
            self._execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            self._execute("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        except Exception:
            self.close()
            raise
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if self._conn is not None and not self._conn.isClosed():
                self._execute("ROLLBACK")  # read only: nothing to keep
        finally:
            self.close()

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None

    def _execute(self, sql: str) -> None:
        stmt = self._conn.createStatement()
        try:
            stmt.execute(sql)
        finally:
            stmt.close()

    def query(self, sql: str) -> list[tuple[str | None, ...]]:
        if self._conn is None:
            raise RuntimeError("ConsistentRead used outside its with-block")
        stmt = self._conn.createStatement()
        try:
            rs = stmt.executeQuery(sql)
            width = rs.getMetaData().getColumnCount()
            rows: list[tuple[str | None, ...]] = []
            while rs.next():
                rows.append(tuple(rs.getString(i) for i in range(1, width + 1)))
            rs.close()
            return rows
        finally:
            stmt.close()
