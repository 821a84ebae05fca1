"""Tables load concurrently (job.py run_all) on real MariaDB, local Spark and Iceberg: each full
copy equals its source, results come back in manifest order, one failing or refused table does
not stop the others, leases and state commits stay per table, every log line names its table,
and two tables staged at the same moment each publish their own WAP snapshot (spark.wap.id is
session-wide: writer.py serializes the stage within a session, and tables loading at once each
get a session of their own, so they stage side by side)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import pytest

from lake_ingest.job import Loader
from lake_ingest.manifest import TableSpec
from lake_ingest.writer import FullCopy
from tests.helpers import Lake

TABLES = [f"conc_item_{i}" for i in range(5)]


@pytest.fixture(scope="module")
def specs(lake: Lake) -> list[dict[str, Any]]:
    made = []
    for i, name in enumerate(TABLES):
        lake.sql(
            f"CREATE TABLE {name} (id INT NOT NULL PRIMARY KEY, label VARCHAR(20) NOT NULL,"
            " updated_at DATETIME(6) NOT NULL)",
            f"INSERT INTO {name} SELECT seq, CONCAT('{name}-', seq), UTC_TIMESTAMP(6) - INTERVAL 1 HOUR"
            f" FROM seq_1_to_{200 + 50 * i}",
        )
        strategy = "snapshot" if i % 2 else "incremental"
        extra = {"cursor": "updated_at"} if strategy == "incremental" else {}
        made.append(lake.spec(name=name, domain="scale", strategy=strategy, primaryKey=["id"], **extra))
    return made


class Recorder:
    """Wraps Loader.run_one: when each table ran, on which thread, in which FAIR pool."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.spans: dict[str, tuple[float, float, str, str | None]] = {}
        real = Loader.run_one
        recorder = self

        def run_one(loader: Loader, spec: TableSpec) -> Any:
            pool = loader.spark.sparkContext.getLocalProperty("spark.scheduler.pool")
            begin = time.monotonic()
            try:
                return real(loader, spec)
            finally:
                recorder.spans[spec.name] = (begin, time.monotonic(), threading.current_thread().name, pool)

        monkeypatch.setattr(Loader, "run_one", run_one)

    def max_overlap(self) -> int:
        points = sorted(
            [(s, 1) for s, _e, _t, _p in self.spans.values()] + [(e, -1) for _s, e, _t, _p in self.spans.values()]
        )
        now = best = 0
        for _at, step in points:
            now += step
            best = max(best, now)
        return best


def test_tables_load_concurrently_and_each_equals_its_source(
    lake: Lake, specs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder(monkeypatch)
    caplog.set_level(logging.INFO, logger="lake_ingest")
    result = lake.load(*specs, table_concurrency=3)
    assert [t.name for t in result.tables] == TABLES  # manifest order
    assert all(t.status == "LOADED" for t in result.tables), [(t.name, t.error) for t in result.tables]
    assert result.status == "SUCCEEDED"
    for t in result.tables:  # the fixed work per table, by step
        assert {"leaseCheck", "load", "stateCommit"} <= set(t.stepsMs) and min(t.stepsMs.values()) >= 0, t.stepsMs
        assert sum(t.stepsMs.values()) <= t.durationMs + 5, t
    for i, spec in enumerate(specs):
        assert lake.assert_full_copy_equals_source(spec) == 200 + 50 * i
        state = lake.state(spec["name"])
        assert state["lastStatus"] == "LOADED" and "leaseRunId" not in state
    assert recorder.max_overlap() >= 2, recorder.spans  # really at once
    for name, (_s, _e, thread, pool) in recorder.spans.items():
        assert thread == f"table:{name}" and pool == name
    # every line logged from a worker thread names its table (the job's format prints threadName)
    worker_records = [r for r in caplog.records if r.threadName != "MainThread"]
    assert worker_records and all(r.threadName.startswith("table:") for r in worker_records)


def test_a_failing_and_a_refused_table_do_not_stop_the_others(lake: Lake, specs: list[dict[str, Any]]) -> None:
    ghost = lake.spec(name="conc_ghost", domain="scale", strategy="snapshot", primaryKey=["id"])
    lake.sql(*(f"UPDATE {name} SET label = 'v2', updated_at = UTC_TIMESTAMP(6) WHERE id <= 10" for name in TABLES))
    manifest = lake.plan([specs[0], ghost, *specs[1:]])
    # another run holds conc_item_2's lease: this run must neither write nor commit it
    lake.steal_lease(TABLES[2], "run-other")
    snapshots_before = lake.snapshot_count(specs[2])
    result = lake.run_manifest(manifest, table_concurrency=4)
    by_name = {t.name: t for t in result.tables}
    assert [t.name for t in result.tables] == [TABLES[0], "conc_ghost", *TABLES[1:]]
    assert by_name["conc_ghost"].status == "FAILED" and result.status == "FAILED"
    assert by_name[TABLES[2]].status == "REFUSED"
    assert lake.snapshot_count(specs[2]) == snapshots_before
    assert lake.state(TABLES[2])["leaseRunId"] == "run-other"
    assert lake.state("conc_ghost")["lastStatus"] == "FAILED"
    for name, spec in zip(TABLES, specs, strict=True):
        if name != TABLES[2]:
            assert by_name[name].status == "LOADED", by_name[name].error
            lake.assert_full_copy_equals_source(spec)
            assert "leaseRunId" not in lake.state(name)
    lake.release_lease(TABLES[2])


def test_two_tables_staged_at_the_same_moment_each_publish_their_own_wap_snapshot(lake: Lake) -> None:
    """Table a's stage is under way (spark.wap.id set) when table b stages. With spark.wap.id set
    and unset around each write without a lock, b stages, publishes and unsets the id while a's
    write is pending, so a's write commits straight to main (unstaged): a's stage then finds no
    snapshot of its own and fails. Serialized, b waits for a's stage."""
    from pyspark.sql import types as T

    schema = T.StructType([T.StructField("id", T.IntegerType()), T.StructField("label", T.StringType())])
    run_id = "run-wap-race"
    copies = {}
    for name in ("wap_a", "wap_b"):
        full = FullCopy(lake.spark, "lake", f"{lake.prefix}_scale", name)
        full.create(schema)
        lake.spark.sql(f"INSERT INTO {full.ident} VALUES (0, 'seed')")  # not staged: no wap.id set
        copies[name] = full
    a_writing, b_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def write_a() -> None:
        a_writing.set()
        # b stages and publishes meanwhile; with the stage serialized b waits for a instead,
        # so a gives up waiting after a while and writes
        b_done.wait(15)
        lake.spark.sql(f"INSERT INTO {copies['wap_a'].ident} VALUES (1, 'a')")

    def stage(name: str, write: Any) -> None:
        try:
            copies[name].publish_write(run_id, write)
        except BaseException as exc:  # noqa: BLE001 -- asserted below
            errors.append(exc)
        finally:
            if name == "wap_b":
                b_done.set()

    thread_a = threading.Thread(target=stage, args=("wap_a", write_a))
    thread_a.start()
    assert a_writing.wait(60)
    thread_b = threading.Thread(
        target=stage, args=("wap_b", lambda: lake.spark.sql(f"INSERT INTO {copies['wap_b'].ident} VALUES (1, 'b')"))
    )
    thread_b.start()
    thread_a.join(180)
    thread_b.join(180)
    assert not errors, errors
    for name, full in copies.items():
        rows = lake.spark.sql(f"SELECT id, label FROM {full.ident} ORDER BY id").collect()
        assert [tuple(r) for r in rows] == [(0, "seed"), (1, name[-1])]
        lineage = [
            dict(r[0])
            for r in lake.spark.sql(
                f"SELECT s.summary FROM {full.ident}.snapshots s JOIN {full.ident}.history h"
                " ON s.snapshot_id = h.snapshot_id WHERE h.is_current_ancestor ORDER BY h.made_current_at"
            ).collect()
        ]
        # the seed, then this run's published stage (fast-forwarded or cherry-picked); nothing unstaged
        assert len(lineage) == 2, lineage
        assert run_id in (lineage[1].get("wap.id"), lineage[1].get("published-wap-id")), lineage


def test_tables_in_their_own_sessions_stage_side_by_side_and_publish_their_own_snapshot(lake: Lake) -> None:
    """As the job runs tables at once: each in a session of its own (session.table_session). Table
    a's write is held while its id is set; b stages and publishes meanwhile, without waiting for
    a (a shared spark.wap.id would have b's unset send a's write straight to main, unstaged: a's
    stage would then fail)."""
    from pyspark.sql import types as T

    from lake_ingest.session import table_session

    schema = T.StructType([T.StructField("id", T.IntegerType()), T.StructField("label", T.StringType())])
    run_id = "run-wap-sessions"
    sessions = {"own_a": table_session(lake.spark), "own_b": table_session(lake.spark)}
    copies = {}
    for name, own in sessions.items():
        full = FullCopy(own, "lake", f"{lake.prefix}_scale", name)
        full.create(schema)
        own.sql(f"INSERT INTO {full.ident} VALUES (0, 'seed')")
        copies[name] = full
    a_writing, b_done = threading.Event(), threading.Event()
    b_finished_while_a_staged: list[bool] = []
    errors: list[BaseException] = []

    def write_a() -> None:
        a_writing.set()
        b_finished_while_a_staged.append(b_done.wait(60))
        sessions["own_a"].sql(f"INSERT INTO {copies['own_a'].ident} VALUES (1, 'a')")

    def stage(name: str, write: Any) -> None:
        try:
            copies[name].publish_write(run_id, write)
        except BaseException as exc:  # noqa: BLE001 -- asserted below
            errors.append(exc)
        finally:
            if name == "own_b":
                b_done.set()

    thread_a = threading.Thread(target=stage, args=("own_a", write_a))
    thread_a.start()
    assert a_writing.wait(60)
    write_b = lambda: sessions["own_b"].sql(f"INSERT INTO {copies['own_b'].ident} VALUES (1, 'b')")  # noqa: E731
    thread_b = threading.Thread(target=stage, args=("own_b", write_b))
    thread_b.start()
    thread_a.join(180)
    thread_b.join(180)
    assert not errors, errors
    assert b_finished_while_a_staged == [True]  # b never waited for a's stage
    for name, full in copies.items():
        rows = lake.spark.sql(f"SELECT id, label FROM {full.ident} ORDER BY id").collect()
        assert [tuple(r) for r in rows] == [(0, "seed"), (1, name[-1])]
        summaries = [
            dict(r[0])
            for r in lake.spark.sql(
                f"SELECT s.summary FROM {full.ident}.snapshots s JOIN {full.ident}.history h"
                " ON s.snapshot_id = h.snapshot_id WHERE h.is_current_ancestor ORDER BY h.made_current_at"
            ).collect()
        ]
        assert len(summaries) == 2, summaries
        assert run_id in (summaries[1].get("wap.id"), summaries[1].get("published-wap-id")), summaries


def test_concurrent_tables_run_in_sessions_of_their_own_and_sequential_ones_in_the_jobs(
    lake: Lake, specs: list[dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, set[int]] = {"concurrent": set(), "sequential": set()}
    real = Loader.run_one
    mode = ["concurrent"]

    def run_one(loader: Loader, spec: TableSpec) -> Any:
        seen[mode[0]].add(id(loader.spark))
        assert loader.spark.conf.get("spark.sql.session.timeZone") == "UTC"
        return real(loader, spec)

    monkeypatch.setattr(Loader, "run_one", run_one)
    lake.sql(*(f"UPDATE {name} SET label = 'v3', updated_at = UTC_TIMESTAMP(6) WHERE id <= 5" for name in TABLES))
    result = lake.load(*specs, table_concurrency=3)
    assert all(t.status == "LOADED" for t in result.tables), [(t.name, t.error) for t in result.tables]
    # a session per table, none of them the job's
    assert len(seen["concurrent"]) == len(specs) and id(lake.spark) not in seen["concurrent"]
    for spec in specs:
        lake.assert_full_copy_equals_source(spec)
    mode[0] = "sequential"
    lake.load(*specs, table_concurrency=1)
    assert seen["sequential"] == {id(lake.spark)}


def test_default_concurrency_is_sized_from_spark(lake: Lake) -> None:
    from lake_ingest.job import MAX_DEFAULT_CONCURRENCY, default_concurrency

    expected = max(2, min(MAX_DEFAULT_CONCURRENCY, lake.spark.sparkContext.defaultParallelism))
    assert default_concurrency(lake.spark) == expected >= 2
