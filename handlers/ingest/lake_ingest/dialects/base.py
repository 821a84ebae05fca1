"""What the job needs to know about a source engine, in one place per engine.

The rest of the job (strategies, job, writer) asks the dialect of the run manifest's
source.engine and never names an engine: identifier quoting, column introspection, the select
expression that maps each column into a Spark type, the source clock and the oldest open
transaction (the incremental high mark), the snapshot change gate, the reconciliation's SQL
(canonical), and the JDBC driver.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .canonical_sql import CanonicalSql


# What estimated_rows answers when the engine has no estimate (PostgreSQL: a table never
# analyzed): more than any table holds, so a caller that partitions reads splits.
UNKNOWN_ROWS = 2**62


class MetadataQueries(Protocol):
    """The plain JDBC connection a dialect runs its metadata queries on (source.Jdbc)."""

    def query(self, sql: str, params: tuple[str, ...] = ()) -> list[tuple[str | None, ...]]: ...

    def scalar(self, sql: str, params: tuple[str, ...] = ()) -> str | None: ...


@dataclass(frozen=True)
class SourceColumn:
    name: str  # exact source spelling
    data_type: str  # the engine's type name, lower case (information_schema DATA_TYPE)
    column_type: str  # full type, e.g. "bigint(20) unsigned", "numeric(12,2)", "_int4"
    precision: int | None
    scale: int | None = None
    # The engine that reported the column (quoting, type mapping); MariaDB/MySQL when None.
    source_dialect: Dialect | None = field(default=None, repr=False, compare=False)

    @property
    def dialect(self) -> Dialect:
        if self.source_dialect is not None:
            return self.source_dialect
        from .mysql import MYSQL

        return MYSQL

    @property
    def lake_name(self) -> str:
        return self.name.lower()

    @property
    def quoted(self) -> str:
        return self.dialect.quote(self.name)

    @property
    def quoted_lake_name(self) -> str:
        """The column as the read's subquery names it (select_expr aliases it so)."""
        return self.dialect.quote(self.lake_name)

    @property
    def integral(self) -> bool:
        return self.dialect.is_integral(self)

    @property
    def wall_time(self) -> bool:
        """A date-time without a zone (DATETIME, timestamp without time zone): a wall time."""
        return self.dialect.is_wall_time(self)

    def select_expr(self) -> str:
        return f"{self.dialect.column_expr(self)} AS {self.quoted_lake_name}"


@dataclass(frozen=True)
class ClockReading:
    """The source's UTC clock and the start of its oldest open transaction (UTC), read together."""

    now: datetime
    oldest_transaction: datetime | None


def parse_utc(text: str) -> datetime:
    return datetime.fromisoformat(text.strip().replace(" ", "T")).replace(tzinfo=UTC)


class Dialect(ABC):
    name: str
    driver_class: str
    # Seconds before the oldest open transaction's start that the high mark stays: covers the
    # whole-second precision of MariaDB's trx_started and a stamp taken just before BEGIN.
    transaction_margin_seconds: int = 1
    canonical: CanonicalSql  # the reconciliation's source side (dialects/canonical_sql.py)

    @abstractmethod
    def quote(self, name: str) -> str: ...

    @abstractmethod
    def normalize_url(self, url: str) -> str:
        """The URL with the driver parameters the job relies on (explicit settings win)."""

    def session_init(self) -> str | None:
        """SQL run first on every session (metadata connection and each read), or None."""
        return None

    @abstractmethod
    def columns(self, db: MetadataQueries, schema: str, table: str) -> list[SourceColumn]:
        """The table's columns in order; [] when the table is missing or not visible."""

    @abstractmethod
    def column_comments(self, db: MetadataQueries, schema: str, table: str) -> dict[str, str]:
        """The source's comment of each commented column (exact source name -> comment)."""

    @abstractmethod
    def estimated_rows(self, db: MetadataQueries, schema: str, table: str) -> int: ...

    @abstractmethod
    def clock(self, db: MetadataQueries, schema: str | None = None) -> ClockReading: ...

    @abstractmethod
    def change_token(self, db: MetadataQueries, quoted_table: str) -> str:
        """A value that changes when the table's contents change (the snapshot gate)."""

    @abstractmethod
    def column_expr(self, column: SourceColumn) -> str:
        """The select expression that brings the column into Spark as the lake keeps it."""

    @abstractmethod
    def is_integral(self, column: SourceColumn) -> bool: ...

    @abstractmethod
    def is_wall_time(self, column: SourceColumn) -> bool: ...


def add_url_params(url: str, params: dict[str, str]) -> str:
    base, _, query = url.partition("?")
    kept = [p for p in query.split("&") if p]
    present = {p.split("=", 1)[0] for p in kept}
    kept += [f"{k}={v}" for k, v in params.items() if k not in present]
    return f"{base}?{'&'.join(kept)}"
