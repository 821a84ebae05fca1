"""Iceberg maintenance (maintenance.py) on real MariaDB, local Spark and Iceberg: a run with
--maintenance compacts small files and merge-on-read delete files (file counts asserted), keeps
every snapshot younger than the retention (time travel still works), expires older ones (never
the current), and removes orphan files older than the retention while younger ones stay."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlparse

import pytest

from lake_ingest.maintenance import file_counts, maintain
from lake_ingest.writer import FullCopy
from tests.helpers import Lake


def make_table(lake: Lake, name: str, rows: int) -> dict[str, Any]:
    lake.sql(
        f"CREATE TABLE {name} (id INT NOT NULL PRIMARY KEY, label VARCHAR(20) NOT NULL, updated_at DATETIME(6) NOT NULL)",
        f"INSERT INTO {name} SELECT seq, CONCAT('v1-', seq), UTC_TIMESTAMP(6) - INTERVAL 1 HOUR FROM seq_1_to_{rows}",
    )
    return lake.spec(name=name, domain="upkeep", strategy="incremental", cursor="updated_at", primaryKey=["id"])


def full_copy(lake: Lake, spec: dict[str, Any]) -> FullCopy:
    return FullCopy(lake.spark, "lake", spec["targetDatabase"], spec["targetTable"])


def change_and_load(lake: Lake, spec: dict[str, Any], runs: int, **overrides: Any) -> None:
    for i in range(runs):
        lake.sql(
            f"INSERT INTO {spec['sourceName']} VALUES ({10_000 + i}, 'new', UTC_TIMESTAMP(6))",
            f"UPDATE {spec['sourceName']} SET label = 'v{i + 2}', updated_at = UTC_TIMESTAMP(6) WHERE id = {i + 1}",
        )
        res = lake.load_one(spec, **overrides)
        assert res.status == "LOADED" and res.maintenance is None, res


def test_maintenance_compacts_keeps_time_travel_and_expires_only_old_snapshots(lake: Lake) -> None:
    spec = make_table(lake, "upkeep_orders", 300)
    assert lake.load_one(spec).status == "LOADED"
    change_and_load(lake, spec, 4)
    full = full_copy(lake, spec)
    first = int(lake.spark.sql(f"SELECT min_by(snapshot_id, committed_at) FROM {full.ident}.snapshots").collect()[0][0])
    first_rows = lake.spark.sql(f"SELECT count(*) FROM {full.ident} VERSION AS OF {first}").collect()[0][0]
    before = file_counts(lake.spark, full)
    assert before["dataFiles"] >= 3, before

    lake.sql(f"UPDATE {spec['sourceName']} SET label = 'last', updated_at = UTC_TIMESTAMP(6) WHERE id = 100")
    res = lake.load_one(spec, maintenance=True)
    assert res.status == "LOADED", res.error
    report = res.maintenance
    assert report is not None and "error" not in report, report
    assert report["after"]["dataFiles"] < report["before"]["dataFiles"], report
    assert report["after"]["dataFiles"] == 1, report
    assert set(report["seconds"]) == {
        "rewriteDataFiles",
        "rewritePositionDeletes",
        "expireSnapshots",
        "removeOrphanFiles",
    }
    assert res.stepsMs["maintenance"] >= int(report["totalSeconds"] * 1000)
    assert lake.state("upkeep_orders")["lastStatus"] == "LOADED"
    lake.assert_full_copy_equals_source(spec)
    # within the retention (168 h): every snapshot kept, time travel to the first load works
    assert report["after"]["snapshots"] >= before["snapshots"]
    again = lake.spark.sql(f"SELECT count(*) FROM {full.ident} VERSION AS OF {first}").collect()[0][0]
    assert again == first_rows == 300

    # a week and more later: every snapshot but the current one expired, the data unchanged
    later = maintain(lake.spark, full, 168, now=datetime.now(UTC) + timedelta(hours=200))
    assert later["after"]["snapshots"] == 1 and later["expiredSnapshotFiles"] > 0, later
    with pytest.raises(Exception, match="(?i)snapshot"):
        lake.spark.sql(f"SELECT count(*) FROM {full.ident} VERSION AS OF {first}").collect()
    lake.assert_full_copy_equals_source(spec)


def test_orphan_files_older_than_the_retention_are_removed_younger_ones_kept(lake: Lake) -> None:
    spec = make_table(lake, "upkeep_stray", 50)
    assert lake.load_one(spec).status == "LOADED"
    full = full_copy(lake, spec)
    data_file = str(lake.spark.sql(f"SELECT file_path FROM {full.ident}.data_files LIMIT 1").collect()[0][0])
    folder = os.path.dirname(urlparse(data_file).path)
    old_orphan, young_orphan = os.path.join(folder, "old-orphan.parquet"), os.path.join(folder, "young-orphan.parquet")
    for path in (old_orphan, young_orphan):
        with open(path, "wb") as handle:
            handle.write(b"left over by a failed write")
    ten_days_ago = time.time() - 10 * 24 * 3600
    os.utime(old_orphan, (ten_days_ago, ten_days_ago))
    report = maintain(lake.spark, full, 168)
    assert report["orphanFilesRemoved"] == 1, report
    assert not os.path.exists(old_orphan) and os.path.exists(young_orphan)
    assert os.path.exists(urlparse(data_file).path)
    lake.assert_full_copy_equals_source(spec)
    os.remove(young_orphan)


def test_merge_on_read_delete_files_are_compacted(lake: Lake) -> None:
    spec = make_table(lake, "upkeep_mor", 400)
    assert lake.load_one(spec, merge_mode="merge-on-read").status == "LOADED"
    change_and_load(lake, spec, 3, merge_mode="merge-on-read")
    full = full_copy(lake, spec)
    before = file_counts(lake.spark, full)
    assert before["deleteFiles"] >= 1, before  # merge-on-read updates wrote delete files
    report = maintain(lake.spark, full, 168)
    assert report["after"]["deleteFiles"] == 0 and report["after"]["dataFiles"] == 1, report
    lake.assert_full_copy_equals_source(spec)


def test_old_metadata_files_go_after_each_commit_also_for_a_table_created_without_the_setting(lake: Lake) -> None:
    """Snapshot expiry leaves every commit's metadata.json behind; the full copy's properties
    (writer.METADATA_CLEANUP) delete the ones beyond previous-versions-max at each commit, and the
    maintenance sets them on a table created before they existed."""
    from lake_ingest.writer import METADATA_CLEANUP

    spec = make_table(lake, "upkeep_meta", 20)
    assert lake.load_one(spec).status == "LOADED"
    full = full_copy(lake, spec)
    keys = ", ".join(f"'{k}'" for k in METADATA_CLEANUP)
    lake.spark.sql(f"ALTER TABLE {full.ident} UNSET TBLPROPERTIES ({keys})")  # as an older table
    maintain(lake.spark, full, 168)
    properties = {str(r[0]): str(r[1]) for r in lake.spark.sql(f"SHOW TBLPROPERTIES {full.ident}").collect()}
    assert {k: properties.get(k) for k in METADATA_CLEANUP} == METADATA_CLEANUP
    lake.spark.sql(f"ALTER TABLE {full.ident} SET TBLPROPERTIES ('write.metadata.previous-versions-max'='2')")
    change_and_load(lake, spec, 3)  # at least two commits each (stage and publish)
    table = full.iceberg_table()
    assert table is not None
    folder = os.path.join(urlparse(str(table.location())).path, "metadata")
    versions = [name for name in os.listdir(folder) if name.endswith(".metadata.json")]
    assert len(versions) == 3, versions  # the current one and two previous
    lake.assert_full_copy_equals_source(spec)
