"""How a keyed table is cut into nested buckets for the range compare, on both engines.

Buckets nest by a fan-out of 16: a bucket of level L has up to 16 children at level L + 1.

IntegralKeys (a one-column integer key): bucket L of key k is (k - lo) DIV 16^(D - L), where
[lo, lo + 16^D) covers every key of both sides. A bucket is a key range [a, b), so the source
reads it through the primary key's index in a bounded chunk (k >= a AND k < b).

HashedKeys (composite or non-integer keys): bucket L is the first L hex digits of the MD5 of the
key's canonical text (canonical.py). Ranges over strings would have to agree on an order, and
MariaDB orders and compares under the column's collation (utf8mb4_unicode_ci: 'a' = 'A', and
trailing spaces are ignored), PostgreSQL under its own (de_DE.UTF-8, ICU, "C": each orders
differently) while Spark compares bytes; buckets by a hash of the exact bytes need no order at
all, so they are the same set of rows on both sides by construction, on every engine. The cost:
the source cannot use an index for a bucket, so each bisection level is one full scan of the
table (a single streaming aggregate in the snapshot transaction; a handful of levels).
"""

from __future__ import annotations

from .canonical import lake_key_digest, source_key_digest
from .source import SourceColumn

FANOUT = 16
SPAN_BATCH = 100  # key ranges per source query (keeps each statement and its range list small)


def _lake_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def merge_spans(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], b))
        else:
            merged.append((a, b))
    return merged


class IntegralKeys:
    kind = "integral"

    def __init__(self, key: SourceColumn, lo: int, hi: int, estimated_rows: int, chunk_rows: int) -> None:
        self.key = key
        self.lo = lo
        span = hi - lo + 1
        depth = 0
        while FANOUT**depth < span:
            depth += 1
        self.max_level = depth
        level = 0  # the top level: the first whose buckets hold about chunk_rows rows or fewer
        while level < depth and estimated_rows * FANOUT ** (depth - level) > chunk_rows * span:
            level += 1
        self.top_level = level
        self.top_buckets = -(-span // self.width(level))

    def width(self, level: int) -> int:
        return int(FANOUT ** (self.max_level - level))

    def bounds(self, level: int, bucket: int) -> tuple[int, int]:
        w = self.width(level)
        return self.lo + bucket * w, self.lo + (bucket + 1) * w

    # -- source (the key's dialect) ---------------------------------------------------------------
    def source_bucket(self, level: int) -> str:
        return self.key.dialect.canonical.integral_bucket(self.key, self.lo, self.width(level))

    def source_conditions(self, buckets: list[tuple[int, int | str]]) -> list[str]:
        """Conditions (each a bounded set of index ranges) that together select these buckets."""
        spans = merge_spans([self.bounds(level, int(b)) for level, b in buckets])
        sql = self.key.dialect.canonical
        conds = []
        for i in range(0, len(spans), SPAN_BATCH):
            part = spans[i : i + SPAN_BATCH]
            conds.append("(" + " OR ".join(sql.key_range(self.key, a, b) for a, b in part) + ")")
        return conds

    def parse(self, value: str | None) -> int | str:
        return int(str(value))

    # -- lake (Spark) -----------------------------------------------------------------------------
    def lake_key_column(self, present: set[str]) -> str:
        return f"CAST({_lake_ident(self.key.lake_name)} AS DECIMAL(20,0))"

    def lake_bucket(self, level: int) -> str:
        return f"CAST((_k - {self.lo}) div {self.width(level)} AS STRING)"

    def lake_filter(self, buckets: list[tuple[int, int | str]]) -> str:
        by_level: dict[int, list[int]] = {}
        for level, b in buckets:
            by_level.setdefault(level, []).append(int(b))
        parts = [
            f"((_k - {self.lo}) div {self.width(level)} IN ({', '.join(str(b) for b in sorted(ids))}))"
            for level, ids in sorted(by_level.items())
        ]
        return " OR ".join(parts) if parts else "false"


class HashedKeys:
    kind = "hashed"
    max_level = 16  # 64 bits of the digest

    def __init__(self, keys: list[SourceColumn], estimated_rows: int, chunk_rows: int) -> None:
        self.keys = keys
        level = 0
        while level < self.max_level and estimated_rows > chunk_rows * FANOUT**level:
            level += 1
        self.top_level = level

    def source_bucket(self, level: int) -> str:
        return self.keys[0].dialect.canonical.prefix(source_key_digest(self.keys), level)

    def source_conditions(self, buckets: list[tuple[int, int | str]]) -> list[str]:
        """One condition (a full scan filtered by digest prefixes) for all these buckets."""
        by_level: dict[int, list[str]] = {}
        for level, b in buckets:
            by_level.setdefault(level, []).append(str(b))
        digest = source_key_digest(self.keys)
        sql = self.keys[0].dialect.canonical
        parts = [
            f"{sql.prefix(digest, level)} IN ({', '.join(repr(b) for b in sorted(ids))})"
            for level, ids in sorted(by_level.items())
        ]
        return ["(" + " OR ".join(parts) + ")"] if parts else []

    def parse(self, value: str | None) -> int | str:
        return str(value or "")

    def lake_key_column(self, present: set[str]) -> str:
        return lake_key_digest(self.keys, present)

    def lake_bucket(self, level: int) -> str:
        return f"substr(_k, 1, {level})"

    def lake_filter(self, buckets: list[tuple[int, int | str]]) -> str:
        by_level: dict[int, list[str]] = {}
        for level, b in buckets:
            by_level.setdefault(level, []).append(str(b))
        parts = [
            f"(substr(_k, 1, {level}) IN ({', '.join(repr(b) for b in sorted(ids))}))"
            for level, ids in sorted(by_level.items())
        ]
        return " OR ".join(parts) if parts else "false"
