"""Reconciliation: compare a full copy with its source by key ranges, and repair what differs.

Compare. Each side computes, per bucket of keys (keyspace.py), COUNT(*) and the exact SUM of a
64-bit hash of every row's canonical text (canonical.py), inside its own engine: the source
(MariaDB/MySQL or PostgreSQL, through its dialect) in one read-only REPEATABLE READ transaction
(source_snapshot.py; no locks that block writers, one state of the source for every aggregate),
Spark over the full copy. The top level's
buckets hold about CHUNK_ROWS rows each (for an integer key each is one bounded index range
query); a bucket whose aggregates differ is split into its 16 children and compared again
(bisection, as data-diff does) until it holds at most LEAF_ROWS rows on either side: a leaf,
or until most of a level differs (changes spread over every range: its buckets are the leaves).
A table without a key is one whole-table aggregate.

Repair (mode "repair"). The leaves' rows are read again from the source (the load's select list,
so the types are the load's), kept as a raw batch <rawPath>ingest_date=<date>/run=<run id>-
reconcile/ (a log of what the repair read, stable while it is applied), and compared with the
full copy's rows of the same leaves by key and row hash: a key only in the full copy is deleted,
a key only in the source inserted, a key whose hash differs updated; all in ONE Iceberg MERGE,
staged and published like a load (write-audit-publish, published only if the run still holds the
lease and the table has not moved since the compare started). A keyless table that differs is
replaced whole (its counts come from the multiset difference of row hashes).

The repaired rows are the source's rows at the time of the re-read (a little after the compare's
snapshot): the repaired ranges are then exact as of that moment; nothing else is touched.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import reduce
from typing import Any

from . import dates
from .canonical import check_supported, lake_key_digest, lake_row_hash, source_row_hash
from .dialects.base import UNKNOWN_ROWS
from .keyspace import HashedKeys, IntegralKeys
from .source import Jdbc, SourceColumn
from .source_snapshot import ConsistentRead
from .writer import LINEAGE, FullCopy, add_lineage, q, write_raw

log = logging.getLogger("lake_ingest.reconcile")

CHUNK_ROWS = 100_000  # rows per top-level bucket (one bounded source query each)
LEAF_ROWS = 2_000  # a differing bucket this small is re-read instead of split further
# Below the top level, when the buckets that differ hold more than this share of the level's rows
# (and the level has at least DENSE_MIN_BUCKETS buckets), the changes are spread everywhere: their
# children would differ too, so another level costs a full aggregate on both sides for nothing.
# They are re-read as they are.
DENSE_SHARE = 0.5
DENSE_MIN_BUCKETS = 8

Bucket = tuple[int, int | str]  # (level, bucket id)
Aggregate = tuple[int, int]  # (rows, sum of row hashes)


@dataclass
class Outcome:
    mode: str
    equal: bool
    method: str
    rangesCompared: int = 0  # noqa: N815 (JSON field names of the job result)
    rangesRepaired: int = 0  # noqa: N815
    rowsDeleted: int = 0  # noqa: N815
    rowsUpdated: int = 0  # noqa: N815
    rowsInserted: int = 0  # noqa: N815
    sourceRowsScanned: int = 0  # noqa: N815
    seconds: float = 0.0
    repairAlertRows: int = 0  # noqa: N815
    # not part of the result block
    source_rows: int = 0
    source_sum: int = 0
    rows_reread: int = 0

    @property
    def repairs(self) -> int:
        return self.rowsDeleted + self.rowsUpdated + self.rowsInserted

    def fingerprint(self) -> str:
        """The source's content at the compare (row count and hash sum), a snapshot watermark."""
        return f"rows:{self.source_rows}:hash:{self.source_sum}"

    def to_result(self) -> dict[str, Any]:
        keys = (
            "mode equal method rangesCompared rangesRepaired rowsDeleted rowsUpdated rowsInserted "
            "sourceRowsScanned seconds repairAlertRows"
        ).split()
        return {k: getattr(self, k) for k in keys}


@dataclass(frozen=True)
class Target:
    """What the reconcile of one table needs from the job."""

    name: str
    quoted_source_name: str
    select_sql: str  # the load's "SELECT <typed list> FROM <table>"
    columns: list[SourceColumn]
    keys: list[SourceColumn]
    run_id: str
    raw_batch_dir: str  # where a repair keeps the rows it re-read
    estimated_rows: int
    watermark_text: str  # snapshot property of a whole-table replace (the load's watermark)


def _sum(value: Any) -> int:
    return int(value) if value is not None else 0


class Reconciler:
    def __init__(self, spark: Any, jdbc: Jdbc, full: FullCopy, target: Target) -> None:
        self.spark = spark
        self.jdbc = jdbc
        self.full = full
        self.t = target
        self.chunk_rows = CHUNK_ROWS
        self.leaf_rows = LEAF_ROWS
        check_supported(target.columns, target.name)

    def run(self, mode: str, repair_alert_rows: int = 0) -> Outcome:
        """The full copy must be pinned (FullCopy.pin) by the caller before this is called."""
        started = time.monotonic()
        self.h_source = source_row_hash(self.t.columns)
        if mode == "repair":
            self._evolve()
        present = {f.name.lower() for f in self.full.schema().fields}
        self.h_lake = lake_row_hash(self.t.columns, present)
        if self.t.keys:
            out = self._by_ranges(mode, present)
        else:
            out = self._whole_table(mode, present)
        out.seconds = round(time.monotonic() - started, 3)
        out.repairAlertRows = repair_alert_rows
        log.info("%s: reconcile %s", self.t.name, out.to_result())
        return out

    # -- keyed tables -------------------------------------------------------------------------
    def _integral(self) -> bool:
        return len(self.t.keys) == 1 and self.t.keys[0].integral

    def _space(self, src: ConsistentRead, lake: Any) -> IntegralKeys | HashedKeys:
        keys = self.t.keys
        # The source's estimate can be far off (MariaDB: 0 for a table never analyzed) or missing
        # (PostgreSQL, never analyzed): the full copy's row count is the floor, or the estimate.
        known = self.t.estimated_rows if self.t.estimated_rows < UNKNOWN_ROWS else 0
        if self._integral():
            k = keys[0].quoted
            row = src.query(f"SELECT MIN({k}), MAX({k}) FROM {self.t.quoted_source_name}")[0]
            lake_row = lake.selectExpr("CAST(min(_k) AS STRING)", "CAST(max(_k) AS STRING)", "count(*)").collect()[0]
            ends = [int(v) for v in (*row, *lake_row[:2]) if v is not None]
            lo, hi = (min(ends), max(ends)) if ends else (0, 0)
            return IntegralKeys(keys[0], lo, hi, max(known, int(lake_row[2])), self.chunk_rows)
        return HashedKeys(keys, max(known, lake.count()), self.chunk_rows)

    def _by_ranges(self, mode: str, present: set[str]) -> Outcome:
        from pyspark import StorageLevel

        out = Outcome(mode=mode, equal=True, method="ranges")
        keys = [c.lake_name for c in self.t.keys]
        if self._integral():
            key_expr = f"CAST({q(self.t.keys[0].lake_name)} AS DECIMAL(20,0))"
        else:
            key_expr = lake_key_digest(self.t.keys, present)
        lake = (
            self.spark.read.table(self.full.ident)
            .selectExpr(*[q(k) for k in keys], f"{key_expr} AS _k", f"{self.h_lake} AS _h")
            .persist(StorageLevel.MEMORY_AND_DISK)
        )
        try:
            with ConsistentRead(self.spark, self.jdbc.config) as src:
                space = self._space(src, lake)
                leaves = self._bisect(space, src, lake, out)
            out.equal = not leaves
            if leaves and mode == "repair":
                self._repair_ranges(space, leaves, lake, keys, out)
        finally:
            lake.unpersist()
        return out

    def _bisect(self, space: IntegralKeys | HashedKeys, src: ConsistentRead, lake: Any, out: Outcome) -> list[Bucket]:
        level = space.top_level
        source_aggs = self._source_top(space, src, out)
        out.source_rows = sum(a[0] for a in source_aggs.values())
        out.source_sum = sum(a[1] for a in source_aggs.values())
        lake_aggs = self._lake_aggregates(space, lake, level, [])
        leaves: list[Bucket] = []
        while True:
            buckets = set(source_aggs) | set(lake_aggs)
            out.rangesCompared += len(buckets)
            zero = (0, 0)
            differing = sorted(b for b in buckets if source_aggs.get(b, zero) != lake_aggs.get(b, zero))
            if not differing:
                return leaves
            if level > space.top_level and self._dense(buckets, differing, source_aggs, lake_aggs):
                return leaves + [(level, b) for b in differing]
            split = [
                b
                for b in differing
                if level < space.max_level
                and max(source_aggs.get(b, zero)[0], lake_aggs.get(b, zero)[0]) > self.leaf_rows
            ]
            leaves += [(level, b) for b in differing if b not in split]
            if not split:
                return leaves
            parents = [(level, b) for b in split]
            scanned = sum(source_aggs.get(b, zero)[0] for b in split)
            level += 1
            source_aggs = self._source_children(space, src, level, parents, out, scanned)
            lake_aggs = self._lake_aggregates(space, lake, level, parents)

    @staticmethod
    def _dense(
        buckets: set[Any], differing: list[Any], source_aggs: dict[Any, Aggregate], lake_aggs: dict[Any, Aggregate]
    ) -> bool:
        if len(buckets) < DENSE_MIN_BUCKETS:
            return False
        zero = (0, 0)
        rows = {b: max(source_aggs.get(b, zero)[0], lake_aggs.get(b, zero)[0]) for b in buckets}
        total = sum(rows.values())
        return total > 0 and sum(rows[b] for b in differing) > DENSE_SHARE * total

    def _source_aggregate(self, src: ConsistentRead, bucket: str, where: str) -> dict[str, Aggregate]:
        rows = src.query(
            f"SELECT {bucket} AS b, COUNT(*), SUM({self.h_source}) FROM {self.t.quoted_source_name} "
            f"WHERE {where} GROUP BY 1"
        )
        return {str(r[0] or ""): (int(str(r[1])), _sum(r[2])) for r in rows}

    def _source_top(self, space: IntegralKeys | HashedKeys, src: ConsistentRead, out: Outcome) -> dict[Any, Aggregate]:
        level = space.top_level
        found: dict[Any, Aggregate] = {}
        if isinstance(space, IntegralKeys):
            for bucket in range(space.top_buckets):  # one bounded index range per query
                (cond,) = space.source_conditions([(level, bucket)])
                row = src.query(f"SELECT COUNT(*), SUM({self.h_source}) FROM {self.t.quoted_source_name} WHERE {cond}")
                count = int(str(row[0][0]))
                if count:
                    found[bucket] = (count, _sum(row[0][1]))
                    out.sourceRowsScanned += count
            return found
        raw = self._source_aggregate(src, space.source_bucket(level), "1 = 1")
        found = {space.parse(b): a for b, a in raw.items()}
        out.sourceRowsScanned += sum(a[0] for a in found.values())
        return found

    def _source_children(
        self,
        space: IntegralKeys | HashedKeys,
        src: ConsistentRead,
        level: int,
        parents: list[Bucket],
        out: Outcome,
        scanned: int,
    ) -> dict[Any, Aggregate]:
        found: dict[Any, Aggregate] = {}
        for cond in space.source_conditions(parents):
            for b, agg in self._source_aggregate(src, space.source_bucket(level), cond).items():
                found[space.parse(str(b))] = agg
        # an integer key reads just the parents' ranges; hashed buckets need a full scan per level
        out.sourceRowsScanned += scanned if isinstance(space, IntegralKeys) else out.source_rows
        return found

    def _lake_aggregates(
        self, space: IntegralKeys | HashedKeys, lake: Any, level: int, parents: list[Bucket]
    ) -> dict[Any, Aggregate]:
        from pyspark.sql import functions as F

        df = lake.where(space.lake_filter(parents)) if parents else lake
        rows = df.groupBy(F.expr(space.lake_bucket(level)).alias("b")).agg(
            F.count(F.lit(1)).alias("c"), F.sum("_h").alias("s")
        )
        return {space.parse(r["b"]): (int(r["c"]), _sum(r["s"])) for r in rows.collect()}

    def _fresh(self, conditions: list[str]) -> Any:
        """The source rows matching the conditions, kept as this reconcile's raw batch."""
        reads = [
            dates.typed(self.jdbc.read(self.t.select_sql + (f" WHERE {c}" if c else "")), self.t.columns)
            for c in conditions
        ]
        df = reduce(lambda a, b: a.unionByName(b), reads)
        batch, _rows = write_raw(
            self.spark, add_lineage(df, datetime.now(UTC).replace(tzinfo=None), self.t.run_id), self.t.raw_batch_dir
        )
        if batch is None:
            return self.spark.createDataFrame([], add_lineage(df, datetime.now(UTC), self.t.run_id).schema)
        return batch

    def _repair_ranges(
        self, space: IntegralKeys | HashedKeys, leaves: list[Bucket], lake: Any, keys: list[str], out: Outcome
    ) -> None:
        fresh = self._fresh(space.source_conditions(leaves))
        present = {c.lower() for c in fresh.columns}
        h_fresh = lake_row_hash(self.t.columns, present)
        fresh_keys = fresh.selectExpr(*[q(k) for k in keys], f"{h_fresh} AS _fh")
        lake_keys = lake.where(space.lake_filter(leaves)).select(*[q(k) for k in keys], "_h")
        ops = (
            fresh_keys.join(lake_keys, on=keys, how="full_outer")
            .selectExpr(
                *[q(k) for k in keys],
                "CASE WHEN _h IS NULL THEN 'I' WHEN _fh IS NULL THEN 'D' WHEN _h <> _fh THEN 'U' END AS _op",
            )
            .where("_op IS NOT NULL")
            .cache()
        )
        try:
            counts = {r["_op"]: int(r["count"]) for r in ops.groupBy("_op").count().collect()}
            out.rowsDeleted, out.rowsUpdated, out.rowsInserted = (counts.get(op, 0) for op in "DUI")
            out.rows_reread = fresh.count()
            out.sourceRowsScanned += out.rows_reread
            out.rangesRepaired = len(leaves)
            if out.repairs:
                upserts = fresh.join(ops.where("_op <> 'D'"), on=keys)
                deletes = ops.where("_op = 'D'")
                self._merge(self._aligned(upserts).unionByName(self._aligned(deletes)), keys, present)
        finally:
            ops.unpersist()

    def _aligned(self, df: Any) -> Any:
        """df with the full copy's columns and types (absent ones NULL) and its _op."""
        from pyspark.sql import functions as F

        have = {c.lower(): c for c in df.columns}
        cols = []
        for f in self.full.schema().fields:
            src = have.get(f.name.lower())
            cols.append((F.col(q(src)) if src is not None else F.lit(None)).cast(f.dataType).alias(f.name))
        return df.select(*cols, F.col("_op"))

    def _merge(self, changes: Any, keys: list[str], present: set[str]) -> None:
        view = f"lake_reconcile_{abs(hash((self.full.ident, self.t.run_id)))}"
        changes.createOrReplaceTempView(view)
        columns = [f.name for f in self.full.schema().fields if f.name.lower() in present or f.name in LINEAGE]
        on = " AND ".join(f"t.{q(k)} = s.{q(k)}" for k in keys)
        sets = ", ".join(f"t.{q(c)} = s.{q(c)}" for c in columns)
        names = ", ".join(q(c) for c in columns)
        values = ", ".join(f"s.{q(c)}" for c in columns)
        sql = (
            f"MERGE INTO {self.full.ident} t USING {view} s ON {on} "
            "WHEN MATCHED AND s._op = 'D' THEN DELETE "
            f"WHEN MATCHED AND s._op = 'U' THEN UPDATE SET {sets} "
            f"WHEN NOT MATCHED AND s._op = 'I' THEN INSERT ({names}) VALUES ({values})"
        )
        try:
            self.full.publish_write(self.t.run_id, lambda: self.spark.sql(sql))
        finally:
            self.spark.catalog.dropTempView(view)

    # -- keyless tables -----------------------------------------------------------------------
    def _whole_table(self, mode: str, present: set[str]) -> Outcome:
        out = Outcome(mode=mode, equal=True, method="whole-table", rangesCompared=1)
        with ConsistentRead(self.spark, self.jdbc.config) as src:
            row = src.query(f"SELECT COUNT(*), SUM({self.h_source}) FROM {self.t.quoted_source_name}")[0]
        out.source_rows, out.source_sum = int(str(row[0])), _sum(row[1])
        out.sourceRowsScanned = out.source_rows
        lake_row = (
            self.spark.read.table(self.full.ident).selectExpr("count(*) AS c", f"sum({self.h_lake}) AS s").collect()
        )
        out.equal = (out.source_rows, out.source_sum) == (int(lake_row[0]["c"]), _sum(lake_row[0]["s"]))
        if out.equal or mode != "repair":
            return out
        fresh = self._fresh([""])
        fresh_present = {c.lower() for c in fresh.columns}
        mine = fresh.selectExpr(f"{lake_row_hash(self.t.columns, fresh_present)} AS _h").groupBy("_h").count()
        theirs = self.spark.read.table(self.full.ident).selectExpr(f"{self.h_lake} AS _h").groupBy("_h").count()
        diff = (
            mine.withColumnRenamed("count", "f")
            .join(theirs.withColumnRenamed("count", "l"), on="_h", how="full_outer")
            .selectExpr(
                "sum(greatest(coalesce(f, 0) - coalesce(l, 0), 0)) AS ins",
                "sum(greatest(coalesce(l, 0) - coalesce(f, 0), 0)) AS del",
            )
            .collect()[0]
        )
        out.rowsInserted, out.rowsDeleted = _sum(diff["ins"]), _sum(diff["del"])
        out.rows_reread = fresh.count()
        out.sourceRowsScanned += out.rows_reread
        out.rangesRepaired = 1
        self.full.replace(self.full.align(fresh), self.t.run_id, self.t.watermark_text)
        return out

    def _evolve(self) -> None:
        """Columns the source gained since the last load are added first, so they compare."""
        from pyspark.sql import types as T

        probe = dates.typed(self.jdbc.read(self.t.select_sql + " WHERE 1 = 0"), self.t.columns)
        lineage = [
            T.StructField("_ingested_at", T.TimestampType(), True),
            T.StructField("_run_id", T.StringType(), True),
        ]
        self.full.evolve(T.StructType([*probe.schema.fields, *lineage]))
