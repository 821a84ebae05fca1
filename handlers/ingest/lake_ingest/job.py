"""The ingest job: load every table of a run manifest by its strategy, several tables at once.

A table that fails does not stop the others; the job reports every table's outcome (in manifest
order) and returns 1 when any table failed (after all were tried).

Concurrency (run_all): up to --table_concurrency tables load at once in a thread pool (default
sized from the Spark workers, see default_concurrency). Each table's Spark jobs run in their own
FAIR scheduler pool (spark.scheduler.mode=FAIR), so one big table does not starve the small
ones. Per table: its own source metadata connection (a Jdbc of its own), its own lease check and
state commit as before, its own Spark session (session.table_session: spark.wap.id is
session-wide, so tables staging their writes at once must not share one; see writer.py), and
its worker thread is named "table:<name>", which the job's log format prints, so every log line
names its table. Loaded one at a time, tables share the job's session.

Outcome report (for the coordinator): one line on stdout starting with "INGEST_RESULT " and
the same JSON written to result_uri_for(<manifest URI>) (or --result_uri): for a manifest at
s3://<bucket>/manifests/<tier>/<runId>.json that is s3://<bucket>/results/<tier>/<runId>.json,
the prefix the job's role may write (it may only read manifests/); elsewhere (local files)
<manifest URI>.result.json:
  {"runId", "tier", "status": "SUCCEEDED"|"FAILED", "startedAt", "finishedAt",
   "tables": [{"name", "status": "LOADED"|"UNCHANGED"|"FAILED"|"REFUSED", "rowsRead",
               "rowsWritten", "rowsDeleted", "watermark", "watermarkKind",
               "schemaFingerprint", "schemaChanged", "error", "durationMs",
               "reconcile" (only when the table's spec asked for one: Outcome.to_result)}]}
A failure before any table (manifest unreadable or invalid, runId mismatch) gives status FAILED,
"tables": [] and "error", and exit code 2.
REFUSED: the run does not hold the table's lease (nothing was written or published, or the
state commit was refused after the data was committed; either way the watermark did not move).
It does not fail the job: the lease holder loads the table. The lease is checked before the
table's load and again right before its data is published. An error reading the state table
(lease check included) fails that table only.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from . import canonical, clock, dates, session
from .args import JobArgs, parse_args
from .errors import LeaseNotHeld, ManifestError, TableError
from .fingerprint import schema_fingerprint
from .manifest import Manifest, TableSpec, Watermark, load_manifest
from .reconcile import Outcome, Reconciler, Target
from .source import Jdbc, SourceColumn, SourceConfig, resolve_source_config
from .state import Commit, ReconcileStamp, StateStore
from .steps import Steps
from .strategies import (
    append_lower_bound,
    find_column,
    is_wall_time,
    iso_ts,
    parse_ts,
    partition_predicates,
    plan_append,
    plan_incremental,
    plan_snapshot,
)
from .uris import write_text
from .writer import FullCopy, add_lineage, anti_join, dedupe_latest, q, raw_batch_dir, write_raw

log = logging.getLogger("lake_ingest")


@dataclass
class TableResult:
    name: str
    status: str
    rowsRead: int = 0  # noqa: N815 (JSON field names)
    rowsWritten: int = 0  # noqa: N815
    rowsDeleted: int | None = None  # noqa: N815
    watermark: str | None = None
    watermarkKind: str | None = None  # noqa: N815
    schemaFingerprint: str | None = None  # noqa: N815
    schemaChanged: bool = False  # noqa: N815
    error: str | None = None
    durationMs: int = 0  # noqa: N815
    reconcile: dict[str, Any] | None = None  # present when a reconcile ran (Outcome.to_result)
    maintenance: dict[str, Any] | None = None  # present when maintenance ran (maintenance.py)
    # present when the manifest carries tableSpec.catalog: what was set, or the error
    catalogMetadata: dict[str, Any] | None = None  # noqa: N815
    # Milliseconds per step of the table's work (steps.py; each step without the steps inside it):
    # leaseCheck, catalog (exists, already applied, pending fill), snapshotPin, sourceProbe
    # (columns, high mark / MAX / checksum, partition bounds, schema probe), rawBatch (the source
    # read and the raw Parquet batch), schema (create or evolve), prepare (dedupe, align, count),
    # stage (the WAP write), stageLockWait (waiting for another WAP write in the same session),
    # publish (checks and cherry-pick), reconcile, maintenance,
    # catalogMetadata (descriptions and comments), stateCommit, load (the rest of the load).
    stepsMs: dict[str, int] = dataclasses.field(default_factory=dict)  # noqa: N815


@dataclass
class JobResult:
    runId: str  # noqa: N815
    tier: str
    status: str
    startedAt: str  # noqa: N815
    finishedAt: str  # noqa: N815
    tables: list[TableResult]
    error: str | None = None  # a failure before any table (unreadable or invalid manifest)

    def to_json(self) -> str:
        document = asdict(self)
        for table in document["tables"]:
            for optional in ("reconcile", "maintenance", "catalogMetadata"):
                if table.get(optional) is None:
                    table.pop(optional, None)
        return json.dumps(document, separators=(",", ":"), sort_keys=False)


def short_error(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("at ")]
    return f"{type(exc).__name__}: {' '.join(lines[:4])}"[:1000]


def ingest_date(manifest: Manifest) -> str:
    return parse_ts(manifest.created_at).strftime("%Y-%m-%d")


# How far the clocks of the coordinator (manifest createdAt) and of a job may disagree.
CLOCK_MARGIN = timedelta(minutes=15)


def run_started(manifest: Manifest) -> datetime:
    """No commit of this run is older: the manifest was written before the job started."""
    return parse_ts(manifest.created_at) - CLOCK_MARGIN


def lineage_fields() -> list[Any]:
    from pyspark.sql import types as T

    return [T.StructField("_ingested_at", T.TimestampType(), True), T.StructField("_run_id", T.StringType(), True)]


def default_concurrency(spark: Any) -> int:
    """Tables at once when the tier says nothing: one per core Spark schedules on (its default
    parallelism: all executor cores on Glue), at least 2, at most MAX_DEFAULT_CONCURRENCY (the
    driver runs every table's catalog calls and commits)."""
    try:
        cores = int(spark.sparkContext.defaultParallelism)
    except Exception:  # noqa: BLE001 -- a session without a context answer: the minimum
        cores = 2
    return max(2, min(MAX_DEFAULT_CONCURRENCY, cores))


MAX_DEFAULT_CONCURRENCY = 16


class Loader:
    """Loads the tables of one manifest.

    jdbc_factory: a new source client (own metadata connection) on a table's Spark session, so
    tables loading at once never share a connection; without it every table uses jdbc (one at a
    time only)."""

    def __init__(
        self,
        spark: Any,
        manifest: Manifest,
        args: JobArgs,
        state: StateStore,
        jdbc: Jdbc | None,
        source_error: str | None = None,
        jdbc_factory: Callable[[Any], Jdbc] | None = None,
    ) -> None:
        self.spark = spark
        self.m = manifest
        self.args = args
        self.state = state
        self.jdbc = jdbc
        self.source_error = source_error
        self.jdbc_factory = jdbc_factory
        self.steps = Steps()  # the current table's (run_one)

    def concurrency(self) -> int:
        if self.jdbc_factory is None and self.jdbc is not None:
            return 1  # one shared source connection
        wanted = self.args.table_concurrency or default_concurrency(self.spark)
        return max(1, min(wanted, len(self.m.tables)))

    def run_all(self) -> list[TableResult]:
        """Every table's result, in manifest order, whatever order they finished in."""
        limit = self.concurrency()
        if limit <= 1:
            return [self.run_in_own_context(spec, own_session=False) for spec in self.m.tables]
        log.info("loading %d tables, %d at once", len(self.m.tables), limit)
        with ThreadPoolExecutor(max_workers=limit, thread_name_prefix="table") as pool:
            return list(pool.map(lambda spec: self.run_in_own_context(spec, own_session=True), self.m.tables))

    def run_in_own_context(self, spec: TableSpec, own_session: bool) -> TableResult:
        """run_one with the table's own source client, FAIR pool and thread name (log lines), and
        with own_session its own Spark session (tables loading at once)."""
        thread = threading.current_thread()
        thread_name = thread.name
        thread.name = f"table:{spec.name}"
        sc = self.spark.sparkContext
        sc.setLocalProperty("spark.scheduler.pool", spec.name)
        try:
            loader = copy.copy(self)  # its own step clock (and source client and session)
            if own_session:
                loader.spark = session.table_session(self.spark)
            if self.jdbc_factory is not None and self.jdbc is not None:
                loader.jdbc = self.jdbc_factory(loader.spark)
            try:
                return loader.run_one(spec)
            finally:
                if own_session:
                    self.forget_cached_table(spec)
        except BaseException as exc:  # noqa: BLE001 -- run_one catches Exception; this is the rest
            log.error("%s: stopped: %s", spec.name, short_error(exc))
            raise
        finally:
            sc.setLocalProperty("spark.scheduler.pool", None)
            thread.name = thread_name

    def forget_cached_table(self, spec: TableSpec) -> None:
        """Each session's catalog caches the tables it read; the table's own session committed,
        so the job's session must load the table afresh when it next reads it."""
        ident = self.full_copy(spec).ident
        try:
            self.spark.sql(f"REFRESH TABLE {ident}")
        except Exception as exc:  # noqa: BLE001 -- no such table (a first load that failed): nothing cached
            log.debug("%s: nothing to refresh: %s", spec.name, short_error(exc))

    def full_copy(self, spec: TableSpec) -> FullCopy:
        return FullCopy(
            self.spark, self.m.catalog, spec.target_database, spec.target_table, self.args.merge_mode, self.steps
        )

    def run_one(self, spec: TableSpec) -> TableResult:
        started = time.monotonic()
        self.steps = Steps()
        result = TableResult(name=spec.name, status="FAILED", stepsMs=self.steps.ms)
        try:
            with self.steps.step("leaseCheck"):
                self.state.require_lease(spec.name, self.m.run_id)
            if self.jdbc is None:
                raise RuntimeError(self.source_error or "source not configured")
            with self.steps.step("load"):
                if spec.reconcile is not None and spec.reconcile.skip_load:
                    self.reconcile_only(spec, result)
                else:
                    self.load(spec, result, started)
        except LeaseNotHeld as exc:
            log.warning("%s: %s", spec.name, exc)
            result.status, result.error = "REFUSED", str(exc)
        except Exception as exc:  # noqa: BLE001 -- one table's failure never stops the others
            result.status, result.error = "FAILED", short_error(exc)
            log.error("%s failed: %s", spec.name, result.error)
            try:
                self.state.fail(spec.name, self.m.run_id, result.error)
            except LeaseNotHeld as lease_exc:
                log.warning("%s: %s", spec.name, lease_exc)
            except Exception as state_exc:  # noqa: BLE001
                log.error("%s: recording the failure failed: %s", spec.name, short_error(state_exc))
        finally:
            result.durationMs = int((time.monotonic() - started) * 1000)
            if self.jdbc is not None:
                self.jdbc.close()
        return result

    # -------------------------------------------------------------------------------------
    def commit(self, spec: TableSpec, result: TableResult, wm: Watermark | None, status: str, started: float) -> None:
        """wm None: no position yet (an append source that never had a row); none is stored."""
        result.status = status
        result.watermark = wm.value if wm is not None else None
        result.watermarkKind = wm.kind if wm is not None else None
        stamp = None
        if spec.reconcile is not None:
            with self.steps.step("reconcile"):
                stamp = self.reconcile_after_load(spec, result)
        if self.args.maintenance:  # inside the lease, after the publish, before the commit
            with self.steps.step("maintenance"):
                result.maintenance = self.maintain(spec)
        if spec.catalog is not None:  # inside the lease, after the publish
            with self.steps.step("catalogMetadata"):
                result.catalogMetadata = self.sync_catalog_metadata(spec)
        with self.steps.step("stateCommit"):
            self.state.commit(
                spec.name,
                self.m.run_id,
                Commit(
                    watermark=result.watermark,
                    watermark_kind=result.watermarkKind,
                    schema_fingerprint=result.schemaFingerprint or "",
                    status=status,
                    loaded_at=iso_ts(datetime.now(UTC)),
                    rows_read=result.rowsRead,
                    rows_written=result.rowsWritten,
                    duration_ms=int((time.monotonic() - started) * 1000),
                    reconcile=stamp,
                ),
            )
        log.info(
            "%s: %s rows read %d, written %d, watermark %s",
            spec.name,
            status,
            result.rowsRead,
            result.rowsWritten,
            result.watermark,
        )

    def maintain(self, spec: TableSpec) -> dict[str, Any] | None:
        """Iceberg maintenance of the table's full copy (maintenance.py); its failure is reported
        in the result and does not undo the load."""
        from .maintenance import maintain

        full = self.full_copy(spec)
        if not full.exists():
            return None
        try:
            return maintain(self.spark, full, self.args.snapshot_retention_hours)
        except Exception as exc:  # noqa: BLE001 -- reported; the load's commit still happens
            error = short_error(exc)
            log.error("%s: maintenance failed: %s", spec.name, error)
            return {"error": error}

    def sync_catalog_metadata(self, spec: TableSpec) -> dict[str, Any] | None:
        """The full copy's comment, properties and column docs (catalog_metadata.py); a failure
        is reported in the result and does not undo the load."""
        from .catalog_metadata import sync_metadata

        assert self.jdbc is not None
        full = FullCopy(self.spark, self.m.catalog, spec.target_database, spec.target_table, self.args.merge_mode)
        if not full.exists():
            return None
        try:
            comments = self.jdbc.dialect.column_comments(self.jdbc, self.m.source_schema, spec.source_name)
            return sync_metadata(self.spark, full.ident, spec, comments).to_result()
        except Exception as exc:  # noqa: BLE001 -- reported; the load's commit still happens
            error = short_error(exc)
            log.error("%s: setting the catalog metadata failed: %s", spec.name, error)
            return {"error": error}

    def read(self, sql: str, columns: list[SourceColumn], predicates: list[str] | None = None) -> Any:
        """A source read with the select list of select_list (dates as text) and its types back."""
        assert self.jdbc is not None
        return dates.typed(self.jdbc.read(sql, predicates), columns)

    def load(self, spec: TableSpec, result: TableResult, started: float) -> None:
        assert self.jdbc is not None
        jdbc, m, steps = self.jdbc, self.m, self.steps
        with steps.step("sourceProbe"):
            columns = jdbc.columns(m.source_schema, spec.source_name)
        select = select_list(columns) + f" FROM {spec.quoted_source_name}"
        keys, cursor = self.keys_and_cursor(spec, columns)
        full = self.full_copy(spec)
        with steps.step("catalog"):
            exists = full.exists()
        # The snapshot this load builds on, taken before the source is read: a publish requires
        # the table to be still there and this run to still hold the lease (no older read laid
        # over data a run that took the lease over has published).
        with steps.step("snapshotPin"):
            base = full.pin(lambda: self.state.require_lease(spec.name, m.run_id), exists=exists)
        # Loaded: the full copy has a published load. A table without one (created by a reload
        # that failed before its publish) is empty whatever the state says: loaded from the start.
        loaded = exists and base is not None

        with steps.step("catalog"):
            applied = full.already_applied(m.run_id, since=run_started(m)) if exists else None
        if applied is not None:  # a retry of a run whose data is already published
            probe = self.read(select + " WHERE 1 = 0", columns)
            result.schemaFingerprint = self.fingerprint(probe.schema)
            wm: Watermark | None = self.recover_watermark(spec, full, applied, cursor, columns)
            log.info("%s: run %s already applied to the full copy; committing state only", spec.name, m.run_id)
            self.commit(spec, result, wm, "LOADED", started)
            return

        if not loaded and spec.watermark is not None and spec.strategy != "snapshot":
            # The full copy is gone (or was never created, or never published) but the state has
            # a position: start over from the beginning rather than load only the rows after it.
            log.warning(
                "%s: no full copy yet; ignoring watermark %s and loading everything", spec.name, spec.watermark.value
            )
            spec = dataclasses.replace(spec, watermark=None)
        if spec.strategy == "snapshot" and keys and loaded and canonical.supports(columns):
            # compare by key ranges, move only those (on engines whose canonical form exists)
            self.snapshot_by_ranges(spec, result, full, select, started)
            return
        with steps.step("sourceProbe"):
            if spec.strategy == "snapshot":
                plan = plan_snapshot(jdbc, spec, loaded, columns)
            elif spec.strategy == "incremental":
                plan = plan_incremental(
                    jdbc, spec, columns, self.args.safety_lag_seconds, m.source_time_zone, m.source_schema
                )
            else:
                plan = plan_append(jdbc, spec, columns)

        sql = select + (f" WHERE {plan.where}" if plan.where else "")
        if plan.unchanged:
            with steps.step("sourceProbe"):
                probe = self.read(select + " WHERE 1 = 0", columns)
            result.schemaFingerprint = self.fingerprint(probe.schema)
            assert plan.new_watermark is not None
            self.commit(spec, result, plan.new_watermark, "UNCHANGED", started)
            return

        with steps.step("sourceProbe"):
            predicates = partition_predicates(
                jdbc, spec, m.source_schema, columns, plan.where, self.args.rows_per_partition, self.args.max_partitions
            )
            df = self.read(sql, columns, predicates)
        result.schemaFingerprint = self.fingerprint(df.schema)
        if exists:  # refuse an incompatible change before anything is written
            from .schema_evolution import plan_evolution

            with steps.step("schema"):
                plan_evolution(df.schema, full.schema())
        if spec.strategy == "append" and loaded and spec.watermark is not None:
            # Keys re-read by the key lookback that the full copy already has are not new: they
            # go neither into the raw batch nor into the merge.
            df = self.only_new_keys(df, full, keys, spec)

        ingested_at = datetime.now(UTC).replace(tzinfo=None)
        batch_dir = raw_batch_dir(spec.raw_path, ingest_date(m), m.run_id)
        with steps.step("rawBatch"):
            batch, result.rowsRead = write_raw(self.spark, add_lineage(df, ingested_at, m.run_id), batch_dir)

        from pyspark.sql import types as T

        with_lineage = T.StructType([*df.schema.fields, *lineage_fields()])
        with steps.step("schema"):
            if not exists:
                full.create(with_lineage)
                result.schemaChanged = True
            else:
                evolution = full.evolve(with_lineage, fill_added=loaded and spec.strategy != "snapshot")
                result.schemaChanged = evolution.changed

        wm = plan.new_watermark
        if spec.strategy == "snapshot":
            assert wm is not None
            if keys and loaded:
                current = self.spark.read.table(full.ident).select(*[q(k) for k in keys])
                incoming = (
                    batch.select(*[q(k) for k in keys])
                    if batch is not None
                    else self.spark.createDataFrame([], current.schema)
                )
                result.rowsDeleted = anti_join(current, incoming, keys).count()
            if batch is None:
                full.clear(m.run_id, wm.value)
            else:
                full.replace(full.align(batch), m.run_id, wm.value)
            result.rowsWritten = result.rowsRead
        else:
            self.write_merged(spec, full, batch, keys, cursor, columns, loaded, result)
        # wm None: an append table whose source never had a row; no watermark is stored until
        # rows were seen (a made-up "0" would skip keys <= 0 forever).
        self.commit(spec, result, wm, "LOADED", started)

    def replace_content(
        self, spec: TableSpec, full: FullCopy, batch: Any, keys: list[str], cursor: str | None, result: TableResult
    ) -> None:

        before = self.spark.read.table(full.ident).select(*[q(k) for k in keys])
        if batch is None:
            result.rowsDeleted = before.count()
            full.clear(self.m.run_id, "")
        else:
            deduped = dedupe_latest(batch, keys, cursor if spec.strategy == "incremental" else None)
            aligned = full.align(deduped).cache()
            try:
                result.rowsWritten = aligned.count()
                result.rowsDeleted = anti_join(before, aligned.select(*[q(k) for k in keys]), keys).count()
                full.replace(aligned, self.m.run_id, "")
            finally:
                aligned.unpersist()
        full.set_pending_fill([])  # every column was read whole
        log.info("%s: reloaded from scratch: content replaced, %s rows removed", spec.name, result.rowsDeleted)

    # -- reconciliation (reconcile.py) ------------------------------------------------------------
    def reconcile(self, spec: TableSpec, mode: str, full: FullCopy | None = None, watermark_text: str = "") -> Outcome:
        """Compares (and in mode repair repairs) the full copy under this run's lease. full: a
        FullCopy the caller has pinned already; else one is pinned here."""
        assert self.jdbc is not None
        m = self.m
        columns = self.jdbc.columns(m.source_schema, spec.source_name)
        keys, _cursor = self.keys_and_cursor(spec, columns)
        by_lake = {c.lake_name: c for c in columns}
        if full is None:
            full = self.full_copy(spec)
            if not full.exists():
                raise TableError(f"{spec.name} has no full copy to reconcile yet: load it first")
            full.pin(lambda: self.state.require_lease(spec.name, m.run_id), exists=True)
        target = Target(
            name=spec.name,
            quoted_source_name=spec.quoted_source_name,
            select_sql=select_list(columns) + f" FROM {spec.quoted_source_name}",
            columns=columns,
            keys=[by_lake[k] for k in keys],
            run_id=m.run_id,
            raw_batch_dir=raw_batch_dir(spec.raw_path, ingest_date(m), f"{m.run_id}-reconcile"),
            estimated_rows=self.jdbc.estimated_rows(m.source_schema, spec.source_name),
            watermark_text=watermark_text,
        )
        alert = spec.reconcile.repair_alert_rows if spec.reconcile is not None else 0
        return Reconciler(self.spark, self.jdbc, full, target).run(mode, alert)

    def reconcile_after_load(self, spec: TableSpec, result: TableResult) -> ReconcileStamp | None:
        """The manifest's reconcile, after the load's data is published and before the state
        commit that releases the lease. A failing reconcile does not undo the load: the load is
        committed without a stamp (so the reconcile is planned again) and the error reported."""
        if spec.reconcile is None or result.reconcile is not None:
            return None
        try:
            outcome = self.reconcile(spec, spec.reconcile.mode, watermark_text=result.watermark or "")
        except LeaseNotHeld:
            raise
        except Exception as exc:  # noqa: BLE001 -- reported; the load's commit still happens
            result.error = f"reconcile failed: {short_error(exc)}"
            log.error("%s: %s", spec.name, result.error)
            return None
        result.reconcile = outcome.to_result()
        return ReconcileStamp(iso_ts(datetime.now(UTC)), outcome.repairs, outcome.equal)

    def reconcile_only(self, spec: TableSpec, result: TableResult) -> None:
        """skipLoad: compare (and repair) without loading; the watermark stays as it was."""
        assert spec.reconcile is not None
        wm = spec.watermark
        outcome = self.reconcile(spec, spec.reconcile.mode, watermark_text=wm.value if wm else "")
        result.reconcile = outcome.to_result()
        result.status = "LOADED" if outcome.repairs else "UNCHANGED"
        result.rowsRead = outcome.rows_reread
        result.rowsWritten = outcome.rowsUpdated + outcome.rowsInserted
        result.rowsDeleted = outcome.rowsDeleted
        result.watermark, result.watermarkKind = (wm.value, wm.kind) if wm else (None, None)
        stamp = ReconcileStamp(iso_ts(datetime.now(UTC)), outcome.repairs, outcome.equal)
        self.state.commit_reconcile(spec.name, self.m.run_id, stamp)

    def snapshot_by_ranges(
        self, spec: TableSpec, result: TableResult, full: FullCopy, select: str, started: float
    ) -> None:
        """A keyed snapshot table whose full copy exists: instead of CHECKSUM TABLE and a full
        replace, compare by key ranges and move only the ranges that differ (the full copy is
        pinned by load()). Watermark kind checksum, value the source's row count and hash sum."""
        from pyspark.sql import types as T

        from .schema_evolution import plan_evolution

        assert self.jdbc is not None
        probe = self.read(select + " WHERE 1 = 0", self.jdbc.columns(self.m.source_schema, spec.source_name))
        result.schemaFingerprint = self.fingerprint(probe.schema)
        plan_evolution(probe.schema, full.schema())
        result.schemaChanged = full.evolve(T.StructType([*probe.schema.fields, *lineage_fields()])).changed
        outcome = self.reconcile(spec, "repair", full=full)
        result.rowsRead = outcome.rows_reread
        result.rowsWritten = outcome.rowsUpdated + outcome.rowsInserted
        result.rowsDeleted = outcome.rowsDeleted
        wm = Watermark("checksum", outcome.fingerprint())
        self.commit(spec, result, wm, "LOADED" if outcome.repairs else "UNCHANGED", started)

    def write_merged(
        self,
        spec: TableSpec,
        full: FullCopy,
        batch: Any,
        keys: list[str],
        cursor: str | None,
        columns: list[SourceColumn],
        loaded: bool,
        result: TableResult,
    ) -> None:
        """incremental/append: the batch merged by key, with the columns pending a fill (added
        while the full copy had rows) read back for every key in the same commit. A load without
        a watermark over a loaded full copy (a reload from scratch, or a lost state item) read the
        whole source: it replaces the content, so rows the source no longer has go too (after a
        TRUNCATE and refill, keys below the old watermark are new rows, not duplicates)."""
        if loaded and spec.watermark is None:
            self.replace_content(spec, full, batch, keys, cursor, result)
            return
        with self.steps.step("catalog"):
            pending = full.pending_fill() if loaded else []
        in_source = {c.lake_name for c in columns}
        fill_columns = [c for c in pending if c.lower() in in_source]
        if batch is None and not fill_columns:
            return
        fill = self.read_fill(spec, full, keys, cursor, columns, fill_columns) if fill_columns else None
        if batch is None:
            batch = self.spark.createDataFrame([], full.schema())
        deduped = dedupe_latest(batch, keys, cursor if spec.strategy == "incremental" else None)
        aligned = full.align(deduped).cache()
        present = {c.lower() for c in batch.columns}
        still_in_source = [c for c in aligned.columns if c.lower() in present]
        try:
            with self.steps.step("prepare"):
                result.rowsWritten = aligned.count()
            if not loaded:  # nothing in the full copy to merge with
                full.append(aligned, self.m.run_id)
            else:
                if fill is not None:
                    fill = fill.cache()
                    filled = fill.count()
                    log.info("%s: filling added columns %s for %d keys", spec.name, fill_columns, filled)
                full.merge(
                    aligned,
                    keys,
                    self.m.run_id,
                    insert_only=spec.strategy == "append",
                    columns=still_in_source,
                    fill=fill,
                    fill_columns=fill_columns,
                )
            if pending:  # filled (or gone from the source)
                full.set_pending_fill([])
        finally:
            aligned.unpersist()
            if fill is not None:
                fill.unpersist()

    def read_fill(
        self,
        spec: TableSpec,
        full: FullCopy,
        keys: list[str],
        cursor: str | None,
        columns: list[SourceColumn],
        fill_columns: list[str],
    ) -> Any:
        """Every source row's keys and fill columns (one per key: the latest cursor), aligned to
        the full copy. Read after the batch: no older than it."""
        wanted = {*keys, *(c.lower() for c in fill_columns), *([cursor] if cursor else [])}
        picked = [c for c in columns if c.lake_name in wanted]
        sql = select_list(picked) + f" FROM {spec.quoted_source_name}"
        assert self.jdbc is not None
        predicates = partition_predicates(
            self.jdbc,
            spec,
            self.m.source_schema,
            columns,
            None,
            self.args.rows_per_partition,
            self.args.max_partitions,
        )
        rows = dedupe_latest(self.read(sql, picked, predicates), keys, cursor)
        return full.align(rows)

    def keys_and_cursor(self, spec: TableSpec, columns: list[SourceColumn]) -> tuple[list[str], str | None]:
        keys = [find_column(columns, k, "primary key", spec.source_name).lake_name for k in spec.primary_key]
        if spec.strategy == "append" and not keys:
            assert spec.key is not None
            keys = [find_column(columns, spec.key, "key", spec.source_name).lake_name]
        if spec.strategy == "incremental" and not keys:
            raise ValueError(f"incremental table {spec.name} needs a primaryKey to merge on")
        cursor = None
        if spec.strategy == "incremental":
            assert spec.cursor is not None
            cursor = find_column(columns, spec.cursor, "cursor", spec.source_name).lake_name
        return keys, cursor

    def fingerprint(self, schema: Any) -> str:
        return schema_fingerprint((f.name, f.dataType.simpleString()) for f in schema.fields)

    def only_new_keys(self, df: Any, full: FullCopy, keys: list[str], spec: TableSpec) -> Any:
        assert spec.watermark is not None and spec.key is not None
        key = spec.key.lower()
        lower = append_lower_bound(spec, int(spec.watermark.value))
        present = self.spark.read.table(full.ident).select(*[q(k) for k in keys]).where(f"{q(key)} > {lower}")
        return anti_join(df, present, keys)

    def recover_watermark(
        self,
        spec: TableSpec,
        full: FullCopy,
        summary: dict[str, str],
        cursor: str | None,
        columns: list[SourceColumn],
    ) -> Watermark:
        """The position the already-published data reached (never beyond what it holds)."""
        if spec.strategy == "snapshot" and summary.get("lake.watermark"):
            return Watermark("checksum", summary["lake.watermark"])
        if spec.strategy == "incremental" and cursor:
            row = self.spark.sql(
                f"SELECT date_format(max({q(cursor)}), \"yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'\") FROM {full.ident}"
            ).collect()
            if row and row[0][0]:
                assert spec.cursor is not None
                source_cursor = find_column(columns, spec.cursor, "cursor", spec.source_name)
                if is_wall_time(source_cursor, self.m.source_time_zone):
                    # the lake holds the source's wall time: its earliest UTC reading
                    instant = clock.wall_to_utc(clock.zone(self.m.source_time_zone), parse_ts(row[0][0]))
                    return Watermark("timestamp", iso_ts(instant))
                return Watermark("timestamp", row[0][0])
        if spec.strategy == "append" and spec.key:
            row = self.spark.sql(f"SELECT CAST(max({q(spec.key.lower())}) AS STRING) FROM {full.ident}").collect()
            if row and row[0][0]:
                return Watermark("integer", str(row[0][0]).split(".")[0])
        if spec.watermark is not None:
            return spec.watermark
        raise RuntimeError(f"cannot recover the watermark of {spec.name} after an applied batch")


def select_list(columns: list[SourceColumn]) -> str:
    return "SELECT " + ", ".join(dates.select_expr(c) for c in columns)


def run(spark: Any, args: JobArgs) -> JobResult:
    started_at = iso_ts(datetime.now(UTC))
    session.apply(spark)
    clock.require_utc_jvm(clock.jvm_default_zone(spark))
    manifest = load_manifest(args.manifest_uri)
    if manifest.run_id != args.run_id:
        raise ManifestError(f"--run_id {args.run_id} does not match the manifest's runId {manifest.run_id}")
    state = StateStore(manifest.state_table)
    jdbc: Jdbc | None = None
    source_error = None
    try:
        config: SourceConfig = resolve_source_config(manifest, args.jdbc_url)
        jdbc = Jdbc(spark, config, args.fetch_size)
    except Exception as exc:  # noqa: BLE001 -- every table then fails with this reason
        source_error = short_error(exc)
        log.error("source configuration failed: %s", source_error)
    jdbc_factory = None
    if jdbc is not None:
        made = jdbc

        def jdbc_factory(table_spark: Any) -> Jdbc:
            return Jdbc(table_spark, made.config, args.fetch_size)

    tables = Loader(spark, manifest, args, state, jdbc, source_error, jdbc_factory).run_all()
    failed = any(t.status == "FAILED" for t in tables)
    return JobResult(
        runId=manifest.run_id,
        tier=manifest.tier,
        status="FAILED" if failed else "SUCCEEDED",
        startedAt=started_at,
        finishedAt=iso_ts(datetime.now(UTC)),
        tables=tables,
    )


MANIFEST_PREFIX = "manifests/"
RESULT_PREFIX = "results/"


def result_uri_for(manifest_uri: str) -> str:
    """Where the outcome goes by default: in S3, under results/ with the manifest's key below
    manifests/ (the job's role reads manifests/ and writes only results/: components/serviceRoles.ts);
    a local manifest file gets <manifest>.result.json beside it."""
    if not manifest_uri.startswith("s3://"):
        return f"{manifest_uri}.result.json"
    bucket, _, key = manifest_uri[len("s3://") :].partition("/")
    return f"s3://{bucket}/{RESULT_PREFIX}{key.removeprefix(MANIFEST_PREFIX)}"


def report(result: JobResult, args: JobArgs) -> None:
    text = result.to_json()
    print(f"INGEST_RESULT {text}", flush=True)
    write_text(args.result_uri or result_uri_for(args.manifest_uri), text + "\n")


def main(argv: list[str]) -> int:
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"
    )
    os.environ["TZ"] = "UTC"
    time.tzset()
    args = parse_args(argv)
    from pyspark.sql import SparkSession

    # FAIR: tables loading at once share the executors (each in its own pool, see run_all).
    spark = SparkSession.builder.config("spark.scheduler.mode", "FAIR").getOrCreate()
    started_at = iso_ts(datetime.now(UTC))
    try:
        result = run(spark, args)
    except Exception as exc:  # noqa: BLE001 -- reported like a table outcome, then exit 2
        log.error("run %s failed before loading any table: %s", args.run_id, short_error(exc))
        # The tier is the manifest's, unknown when the manifest could not be read.
        failed = JobResult(args.run_id, "", "FAILED", started_at, iso_ts(datetime.now(UTC)), [], error=short_error(exc))
        report(failed, args)
        return 2
    report(result, args)
    return 1 if result.status == "FAILED" else 0
