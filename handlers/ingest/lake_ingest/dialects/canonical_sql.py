"""The reconciliation's source side in one engine's SQL (lake_ingest/canonical.py has the form and
the Spark side): each column's canonical text, the row hash, the key digest and integer-key
buckets, and how a session starts one consistent read-only snapshot."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from .base import SourceColumn

# How Spark renders the full copy's value of a column (canonical.lake_text):
#   plain      CAST(v AS STRING) (integers, booleans, strings the lake holds as read)
#   decimal    the lake's decimal(p,s) as plain digits at its scale: Spark's CAST prints
#              BigDecimal.toString, which turns scientific below 1E-6 ('1E-20', '0E-10')
#   padded     the string without trailing spaces (MariaDB CHAR/ENUM/SET: the JDBC read pads them)
#   double     float_text.exact_double_text of the value as a double
#   date       yyyy-MM-dd
#   timestamp  yyyy-MM-dd HH:mm:ss.SSSSSS (the value as the lake holds it: UTC instant or wall time)
#   binary     upper-case hex
LakeKind = Literal["plain", "decimal", "padded", "double", "date", "timestamp", "binary"]

UNSIGNED_64 = 18446744073709551616  # 2^64


class CanonicalSql(ABC):
    @abstractmethod
    def kind(self, column: SourceColumn) -> LakeKind | None:
        """How the lake's value of the column is rendered; None: the column cannot be compared."""

    @abstractmethod
    def text(self, column: SourceColumn) -> str:
        """SQL: the column's canonical text (NULL for NULL)."""

    @abstractmethod
    def piece(self, text: str) -> str:
        """SQL: "<UTF-8 byte length>:<text>", or 'N' for NULL."""

    @abstractmethod
    def concat(self, pieces: list[str]) -> str: ...

    @abstractmethod
    def hash64(self, text: str) -> str:
        """SQL: the first 64 bits of the MD5 of the text's UTF-8 bytes as an exact unsigned number."""

    @abstractmethod
    def md5(self, text: str) -> str:
        """SQL: the lower-case hex MD5 of the text's UTF-8 bytes."""

    @abstractmethod
    def integral_bucket(self, key: SourceColumn, lo: int, width: int) -> str:
        """SQL: (key - lo) integer-divided by width, for keys >= lo."""

    @abstractmethod
    def begin_snapshot(self) -> list[str]:
        """Statements that start one read-only transaction seeing a single consistent snapshot."""

    def session_problem(self) -> str | None:
        """SQL returning one row: why this session cannot compare (text), or NULL. None: no check."""
        return None

    def key_range(self, key: SourceColumn, lo: int, hi: int) -> str:
        """SQL: lo <= key < hi (an index range)."""
        return f"({key.quoted} >= {lo} AND {key.quoted} < {hi})"

    def prefix(self, text: str, length: int) -> str:
        return f"LEFT({text}, {length})"

    def row_text(self, columns: list[SourceColumn]) -> str:
        return self.concat([self.piece(self.text(c)) for c in columns])

    def row_hash(self, columns: list[SourceColumn]) -> str:
        return self.hash64(self.row_text(columns))

    def key_digest(self, keys: list[SourceColumn]) -> str:
        return self.md5(self.row_text(keys))
