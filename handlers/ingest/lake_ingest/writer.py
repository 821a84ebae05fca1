"""Writing a table's batch: the raw Parquet batch and the Iceberg full copy.

Raw batch: <rawPath>ingest_date=YYYY-MM-DD/run=<run id>/part-*.parquet with _ingested_at and
_run_id; the date is the run's (manifest createdAt), so a retry of the same run overwrites its
own batch (never adds a second one). A batch with no rows leaves no folder. ':' in a run id is
written as %3A (Hive path escaping, as Spark does for partition values).

Full copy: every data commit is staged with Iceberg write-audit-publish (spark.wap.id = run id,
table property write.wap.enabled=true) and then published with cherrypick_snapshot, so the run
id is recorded on the commit (summary wap.id) and a run already published is never applied
again (checked by already_applied, and refused by Iceberg itself on a duplicate publish).

The publish cherry-picks the snapshot this attempt staged (the one snapshot with the run's
wap.id that the write added), never another attempt's of the same run.

Columns added to the full copy while it has data are recorded in the table property
lake.pending-fill until a publish has filled them for every row (see merge), so a run that
added them and failed before its publish does not leave them NULL.

Publishing is guarded (pin): the job records the table's current snapshot when a table's load
starts, before the source is read, and publishes only if the table is still at that snapshot
and the run still holds the table's lease (checked right before the cherry-pick). So a run
whose lease was taken over while it was reading never lays its older read over what the new
lease holder published. The remaining window is the few milliseconds between that check and
the cherry-pick's commit.

Tables load concurrently (job.py): spark.wap.id is a session-wide setting that Iceberg reads
when a write is planned, and Iceberg offers no per-write option for it. So the job gives each
table loading beside others a Spark session of its own (session.table_session: own SQL settings,
shared SparkContext), and the stage (set the id, write, unset it) holds its session's lock
(wap_lock): two writes in one session would otherwise let one table's unset send the other's
write in flight straight to main, unstaged (handlers/ingest/tests/test_concurrency.py). Tables
in their own sessions never wait for each other's writes; the stageLockWait step shows any wait.
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from datetime import datetime
from typing import Any

from pyspark.sql import DataFrame, SparkSession, Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .errors import TableMoved
from .schema_evolution import Evolution, plan_evolution
from .steps import Steps

LINEAGE = ("_ingested_at", "_run_id")
PENDING_FILL = "lake.pending-fill"
ROW_FLAG = "_lake_full_row"  # merge source: a whole row (true) or a fill of added columns (false)
# Old metadata files go with each commit: snapshot expiry does not remove them, so without these
# every commit's metadata.json (each listing every snapshot kept) stays (bench/maintenance_bench.py).
METADATA_CLEANUP = {
    "write.metadata.delete-after-commit.enabled": "true",
    "write.metadata.previous-versions-max": "100",
}
TABLE_PROPERTIES = {
    "format-version": "2",
    "write.wap.enabled": "true",
    "write.parquet.compression-codec": "zstd",
    **METADATA_CLEANUP,
}


# Held while spark.wap.id is set: one staged write at a time per Spark session.
_WAP_LOCKS: weakref.WeakKeyDictionary[Any, threading.Lock] = weakref.WeakKeyDictionary()
_WAP_LOCKS_GUARD = threading.Lock()


def wap_lock(spark: Any) -> threading.Lock:
    """The lock of this Spark session's spark.wap.id (one per session object)."""
    with _WAP_LOCKS_GUARD:
        lock = _WAP_LOCKS.get(spark)
        if lock is None:
            lock = _WAP_LOCKS[spark] = threading.Lock()
        return lock


def q(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def raw_batch_dir(raw_path: str, ingest_date: str, run_id: str) -> str:
    return f"{raw_path}ingest_date={ingest_date}/run={run_id.replace(':', '%3A')}/"


def add_lineage(df: DataFrame, ingested_at: datetime, run_id: str) -> DataFrame:
    return df.withColumn("_ingested_at", F.lit(ingested_at).cast(T.TimestampType())).withColumn(
        "_run_id", F.lit(run_id)
    )


def delete_path(spark: SparkSession, uri: str) -> None:
    jvm = spark.sparkContext._jvm
    assert jvm is not None, "the Spark session has no JVM gateway"
    path = jvm.org.apache.hadoop.fs.Path(uri)
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if fs.exists(path):
        fs.delete(path, True)


def write_raw(spark: SparkSession, df: DataFrame, batch_dir: str) -> tuple[DataFrame | None, int]:
    """Writes (overwrites) the batch; returns it read back from Parquet (None when empty) and its
    row count (counted once: the caller's rowsRead)."""
    df.write.mode("overwrite").parquet(batch_dir)
    batch = spark.read.parquet(batch_dir)
    rows = batch.count()
    if rows == 0:
        delete_path(spark, batch_dir)
        return None, 0
    return batch, rows


class FullCopy:
    """One Iceberg table: <catalog>.<database>.<table>."""

    def __init__(
        self,
        spark: SparkSession,
        catalog: str,
        database: str,
        table: str,
        merge_mode: str = "copy-on-write",
        steps: Steps | None = None,
    ) -> None:
        self.spark = spark
        self.steps = steps or Steps()  # stage and publish are timed here
        self.merge_mode = merge_mode
        self.catalog = catalog
        self.database = database
        self.table = table
        self.ident = f"{q(catalog)}.{q(database)}.{q(table)}"
        self._pinned = False
        self._base: int | None = None
        self._before_publish: Callable[[], None] | None = None
        self._schema: T.StructType | None = None  # read once per load; reset by create and evolve

    def pin(self, before_publish: Callable[[], None] | None = None, exists: bool | None = None) -> int | None:
        """Records the current snapshot (None: no table or no data yet); every later publish
        requires the table to be still there, and calls before_publish (the lease check) first.
        exists: whether the table exists, when the caller has just looked (saves a catalog call)."""
        self._base = self.current_snapshot_id() if (self.exists() if exists is None else exists) else None
        self._pinned = True
        self._before_publish = before_publish
        return self._base

    def exists(self) -> bool:
        try:
            self._schema = self.spark.read.table(self.ident).schema  # read anyway: kept for schema()
            return True
        except Exception as exc:  # AnalysisException: TABLE_OR_VIEW_NOT_FOUND
            if "TABLE_OR_VIEW_NOT_FOUND" in str(exc) or "not found" in str(exc).lower():
                return False
            raise

    def schema(self) -> T.StructType:
        if self._schema is None:
            self._schema = self.spark.read.table(self.ident).schema
        return self._schema

    def create(self, schema: T.StructType) -> None:
        self.spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {q(self.catalog)}.{q(self.database)}")
        cols = ", ".join(f"{q(f.name)} {f.dataType.simpleString()}" for f in schema.fields)
        modes = {f"write.{op}.mode": self.merge_mode for op in ("merge", "update", "delete")}
        props = ", ".join(f"'{k}'='{v}'" for k, v in {**TABLE_PROPERTIES, **modes}.items())
        self.spark.sql(f"CREATE TABLE IF NOT EXISTS {self.ident} ({cols}) USING iceberg TBLPROPERTIES ({props})")
        self._schema = None

    def evolve(self, source: T.StructType, fill_added: bool = False) -> Evolution:
        """fill_added: the full copy has rows, so columns added now are recorded as pending a
        fill (before they are added: a crash in between leaves a fill that finds nothing new)."""
        evo = plan_evolution(source, self.schema())
        if fill_added and evo.add:
            self.set_pending_fill([*self.pending_fill(), *(f.name for f in evo.add)])
        for f in evo.add:
            self.spark.sql(f"ALTER TABLE {self.ident} ADD COLUMNS ({q(f.name)} {f.dataType.simpleString()})")
        for name, dt in evo.widen:
            self.spark.sql(f"ALTER TABLE {self.ident} ALTER COLUMN {q(name)} TYPE {dt.simpleString()}")
        if evo.changed:
            self._schema = None
        return evo

    def pending_fill(self) -> list[str]:
        """Columns added to the full copy whose values for the rows it had are not filled yet."""
        rows = self.spark.sql(f"SHOW TBLPROPERTIES {self.ident} ('{PENDING_FILL}')").collect()
        text = str(rows[0][1]) if rows else ""
        try:
            names = json.loads(text)
        except ValueError:  # "does not have property": nothing pending
            return []
        return [str(n) for n in names] if isinstance(names, list) else []

    def set_pending_fill(self, names: list[str]) -> None:
        if names:
            value = json.dumps(sorted(set(names))).replace("'", "\\'")
            self.spark.sql(f"ALTER TABLE {self.ident} SET TBLPROPERTIES ('{PENDING_FILL}'='{value}')")
        else:
            self.spark.sql(f"ALTER TABLE {self.ident} UNSET TBLPROPERTIES IF EXISTS ('{PENDING_FILL}')")

    def align(self, batch: DataFrame) -> DataFrame:
        """The batch with the full copy's columns, order and types (missing columns as NULL)."""
        present = {c.lower(): c for c in batch.columns}
        cols = []
        for f in self.schema().fields:
            src = present.get(f.name.lower())
            expr = F.col(q(src)) if src is not None else F.lit(None)
            cols.append(expr.cast(f.dataType).alias(f.name))
        return batch.select(*cols)

    # -- snapshots and write-audit-publish ---------------------------------------------------
    def iceberg_table(self) -> Any | None:
        """The table through Iceberg's Java API, refreshed from the catalog (so a commit by another
        job is seen; the catalog's cached table is the same object, so Spark's next read of the
        table sees it too); None when there is no such table. Snapshot reads through it need no
        Spark job (a query of a metadata table such as .refs or .snapshots costs one each)."""
        from py4j.protocol import Py4JJavaError

        jvm: Any = self.spark.sparkContext._jvm
        try:
            table = jvm.org.apache.iceberg.spark.Spark3Util.loadIcebergTable(self.spark._jsparkSession, self.ident)
        except Py4JJavaError as exc:
            if exc.java_exception.getClass().getSimpleName() == "NoSuchTableException":
                return None
            raise
        table.refresh()
        return table

    def current_snapshot_id(self, table: Any | None = None) -> int | None:
        """The main branch's snapshot as committed now (table: one just refreshed)."""
        table = table if table is not None else self.iceberg_table()
        snapshot = table.currentSnapshot() if table is not None else None
        return int(snapshot.snapshotId()) if snapshot is not None else None

    def _check_unmoved(self, expected: int | None) -> Any | None:
        """Raises LeaseNotHeld (from before_publish) or TableMoved; returns the table as refreshed
        for the check (None: no such table, and none expected)."""
        if self._before_publish is not None:
            self._before_publish()
        table = self.iceberg_table()
        current = self.current_snapshot_id(table) if table is not None else None
        if current != expected:
            raise TableMoved(
                f"{self.ident} moved to snapshot {current} since this load started at {expected}: "
                "another run wrote it; this run's data is not published"
            )
        return table

    def already_applied(self, run_id: str, since: datetime | None = None) -> dict[str, str] | None:
        """Summary of the published commit of this run, if the table's current history has one.
        since: no commit of this run is older (the run's start, less a margin for clocks): the
        walk back through the history stops there instead of reading every snapshot kept."""
        table = self.iceberg_table()
        if table is None:
            return None
        stop_ms = int(since.timestamp() * 1000) if since is not None else None
        snapshot = table.currentSnapshot()
        while snapshot is not None:
            if stop_ms is not None and snapshot.timestampMillis() < stop_ms:
                return None
            summary = snapshot.summary()
            if run_id in (summary.get("wap.id"), summary.get("published-wap-id")):
                return {str(k): str(v) for k, v in summary.items()}
            parent = snapshot.parentId()
            snapshot = table.snapshot(parent) if parent is not None else None
        return None

    @staticmethod
    def _staged_since(table: Any, run_id: str, parent: int | None, since_ms: int) -> set[int]:
        """The snapshots staged with this run's wap.id on top of parent and committed at or after
        since_ms (the table's snapshot list is in commit order: read from its end)."""
        snapshots = table.snapshots()
        found: set[int] = set()
        for i in range(snapshots.size() - 1, -1, -1):
            snapshot = snapshots.get(i)
            if snapshot.timestampMillis() < since_ms:
                break
            if snapshot.summary().get("wap.id") == run_id and snapshot.parentId() == parent:
                found.add(int(snapshot.snapshotId()))
        return found

    def _publish(self, run_id: str, parent: int | None, staged: int) -> None:
        table_arg = f"{q(self.database)}.{q(self.table)}"
        self.spark.sql(f"CALL {q(self.catalog)}.system.cherrypick_snapshot('{table_arg}', {int(staged)})")

    def _staged(self, run_id: str, write: Any) -> None:
        jvm: Any = self.spark.sparkContext._jvm
        with self.steps.step("stage"):
            # Before the write (no work for a run that cannot publish) and again before the publish.
            if self._pinned:
                self._check_unmoved(self._base)
            parent = self._base if self._pinned else self.current_snapshot_id()
            # Snapshots are stamped by this driver's clock: an earlier attempt's staged snapshot
            # (never published) is older than this write.
            write_started_ms = int(jvm.java.lang.System.currentTimeMillis())
            # The wait for the lock is its own step: it shows how much of the stage is other
            # tables' writes in the same session (none when each table has its own).
            lock = wap_lock(self.spark)
            with self.steps.step("stageLockWait"):
                lock.acquire()
            try:
                self.spark.conf.set("spark.wap.id", run_id)
                try:
                    write()
                finally:
                    self.spark.conf.unset("spark.wap.id")
            finally:
                lock.release()
        with self.steps.step("publish"):
            # right before the publish: lease still held, table unmoved (one refresh for both)
            table = self._check_unmoved(parent)
            mine = self._staged_since(table, run_id, parent, write_started_ms)
            if len(mine) != 1:
                raise RuntimeError(
                    f"{self.ident}: expected one snapshot staged by this attempt of run {run_id} on top of snapshot "
                    f"{parent}, found {sorted(mine)}; nothing is published"
                )
            self._publish(run_id, parent, mine.pop())

    def merge(
        self,
        batch: DataFrame,
        keys: list[str],
        run_id: str,
        insert_only: bool,
        columns: list[str] | None = None,
        fill: DataFrame | None = None,
        fill_columns: list[str] | None = None,
    ) -> None:
        """MERGE by key, matched null-safely (a NULL in a key column matches the row that has it).
        batch: whole rows with the full copy's columns, one per key; for a table with a key the
        current source row is the truth, so a batch row replaces the full copy's whatever its
        cursor (within a batch the latest cursor was kept, see dedupe_latest). columns: the full
        copy's columns the source still has (default: all); a column gone from the source keeps
        its last value on update and is NULL on insert. insert_only (append): keys the full copy
        has are not updated.
        fill: rows with the full copy's columns whose fill_columns (added columns) are set for the
        keys the full copy already has; rows for keys in batch are ignored (the batch row is
        newer or as new). Batch and fill go in one commit."""
        view = f"lake_batch_{abs(hash((self.ident, run_id)))}"
        cols = columns if columns is not None else batch.columns
        on = " AND ".join(f"t.{q(k)} <=> s.{q(k)}" for k in keys)
        whole, fill_only = "", ""
        source = batch
        if fill is not None and fill_columns:
            only_fill = anti_join(fill, batch, keys)
            source = batch.withColumn(ROW_FLAG, F.lit(True)).unionByName(only_fill.withColumn(ROW_FLAG, F.lit(False)))
            whole, fill_only = f" AND s.{ROW_FLAG}", f" AND NOT s.{ROW_FLAG}"
        source.createOrReplaceTempView(view)
        clauses = []
        if not insert_only:
            sets = ", ".join(f"t.{q(c)} = s.{q(c)}" for c in cols)
            clauses.append(f"WHEN MATCHED{whole} THEN UPDATE SET {sets}")
        if fill_only:
            assert fill_columns is not None
            fill_sets = ", ".join(f"t.{q(c)} = s.{q(c)}" for c in fill_columns)
            clauses.append(f"WHEN MATCHED{fill_only} THEN UPDATE SET {fill_sets}")
        names = ", ".join(q(c) for c in cols)
        values = ", ".join(f"s.{q(c)}" for c in cols)
        clauses.append(f"WHEN NOT MATCHED{whole} THEN INSERT ({names}) VALUES ({values})")
        sql = f"MERGE INTO {self.ident} t USING {view} s ON {on} " + " ".join(clauses)
        try:
            self._staged(run_id, lambda: self.spark.sql(sql))
        finally:
            self.spark.catalog.dropTempView(view)

    def publish_write(self, run_id: str, write: Callable[[], Any]) -> None:
        """Any write (e.g. a reconcile's MERGE), staged and published like the load's."""
        self._staged(run_id, write)

    def append(self, batch: DataFrame, run_id: str) -> None:
        """First load into a table created by this run: nothing to merge with."""
        self._staged(run_id, lambda: batch.writeTo(self.ident).append())

    def replace(self, batch: DataFrame, run_id: str, watermark: str) -> None:
        def write() -> None:
            batch.writeTo(self.ident).option("snapshot-property.lake.watermark", watermark).overwrite(F.lit(True))

        self._staged(run_id, write)

    def clear(self, run_id: str, watermark: str) -> None:
        """Snapshot of an empty source table: the full copy becomes empty too."""
        empty = self.spark.createDataFrame([], self.schema())
        self.replace(empty, run_id, watermark)


def dedupe_latest(batch: DataFrame, keys: list[str], cursor: str | None) -> DataFrame:
    """One row per key: the latest cursor wins (ties: any one, they are the same version)."""
    order = [F.col(q(cursor)).desc_nulls_last()] if cursor else [F.lit(1)]
    w = Window.partitionBy(*[F.col(q(k)) for k in keys]).orderBy(*order)
    return batch.withColumn("_rn", F.row_number().over(w)).where("_rn = 1").drop("_rn")


def anti_join(rows: DataFrame, other: DataFrame, keys: list[str]) -> DataFrame:
    """rows whose key other does not have, compared null-safely (a NULL matches a NULL)."""
    renamed = other.select(*[F.col(q(k)).alias(f"_lake_key_{i}") for i, k in enumerate(keys)])
    cond = [F.col(q(k)).eqNullSafe(F.col(f"_lake_key_{i}")) for i, k in enumerate(keys)]
    return rows.join(renamed, on=cond, how="left_anti")
