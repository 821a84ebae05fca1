"""One read-only transaction on the source that sees a single consistent snapshot.

The dialect starts it (CanonicalSql.begin_snapshot): MariaDB REPEATABLE READ started WITH
CONSISTENT SNAPSHOT (InnoDB MVCC, plain SELECTs take no locks; unlike CHECKSUM TABLE, which MySQL
documents as taking a read lock), PostgreSQL REPEATABLE READ READ ONLY (one snapshot from the first
query on; only ACCESS SHARE locks, which block no writer). Every query of the transaction reads the
same committed state. The session is set up like every other source session of the job (the
dialect's session_init: UTC and the text formats the load read with), so values render as loaded.
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
        dialect = self.config.dialect
        jvm = self.spark.sparkContext._jvm
        props = jvm.java.util.Properties()
        props.setProperty("user", self.config.user)
        props.setProperty("password", self.config.password)
        driver: Any = jvm
        for part in dialect.driver_class.split("."):
            driver = getattr(driver, part)
        conn = driver().connect(self.config.url, props)
        if conn is None:
            raise TableError(f"the {dialect.driver_class} driver did not accept the JDBC URL")
        self._conn = conn
        try:
            init = dialect.session_init()
            if init:
                self._execute(init)
            for statement in dialect.canonical.begin_snapshot():
                self._execute(statement)
            check = dialect.canonical.session_problem()
            problem = self.query(check)[0][0] if check else None
            if problem:
                raise TableError(f"cannot reconcile against this {dialect.name} source: {problem}")
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
