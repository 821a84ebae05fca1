"""The incremental high mark stops before the oldest open transaction: a transaction that stamps
its cursor, stays open while a run reads, and commits afterwards is still read by the next run,
even when the gap is longer than the lookback. On both engines (MariaDB: INNODB_TRX.trx_started,
PostgreSQL: pg_stat_activity.xact_start)."""

from __future__ import annotations

import time

from lake_ingest.strategies import parse_ts
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


def test_a_commit_held_open_across_a_run_is_read_by_the_next_run(lake: Lake) -> None:
    lake.sql(
        f"CREATE TABLE work_order (work_order_id INT NOT NULL PRIMARY KEY, state VARCHAR(20) NOT NULL,"
        f" updated_at {lake.type('datetime')} NOT NULL)",
        f"INSERT INTO work_order VALUES (1, 'open', {lake.now(-60)}), (2, 'open', {lake.now(-60)})",
    )
    spec = lake.spec(
        name="work_order",
        domain="manufacturing",
        strategy="incremental",
        cursor="updated_at",
        primaryKey=["work_order_id"],
        lookbackSeconds=1,
    )
    assert lake.load_one(spec).status == "LOADED"

    writer = lake.connect()
    try:
        with writer.cursor() as cur:
            cur.execute("BEGIN")
            cur.execute(f"UPDATE work_order SET state = 'late', updated_at = {lake.now()} WHERE work_order_id = 1")
            cur.execute("SELECT updated_at FROM work_order WHERE work_order_id = 1")
            stamp = parse_ts(str(cur.fetchall()[0][0]))
        time.sleep(3)  # the source clock moves well past the stamp plus the 1 s lookback
        during = lake.load_one(spec)
        assert during.status == "LOADED", during.error
        assert during.watermark is not None
        # capped: the watermark stays before the open transaction's stamp (without the cap it
        # is the clock, 3 s later, and the next window would start after the stamp)
        assert parse_ts(during.watermark) < stamp, (during.watermark, stamp)
        with writer.cursor() as cur:
            cur.execute("COMMIT")
    finally:
        writer.close()

    after = lake.load_one(spec)
    assert after.status == "LOADED", after.error
    lake.assert_full_copy_equals_source(spec)
    states = dict(lake.spark.sql(f"SELECT work_order_id, state FROM {lake.ident(spec)}").collect())
    assert states == {1: "late", 2: "open"}
    assert after.watermark is not None and parse_ts(after.watermark) > stamp  # free again once committed


def test_a_transaction_in_another_database_does_not_hold_the_mark_back(lake: Lake) -> None:
    """MariaDB: INNODB_TRX is server-wide; only sessions of the source's database (or of none)
    may hold its rows, so another application's open transaction leaves the mark at the clock."""
    if lake.engine != "mariadb":
        return  # PostgreSQL's pg_stat_activity is already scoped to the source's database
    import uuid

    from tests.conftest import source_connection

    lake.sql(f"CREATE TABLE bin_move (move_id INT NOT NULL PRIMARY KEY, updated_at {lake.type('datetime')} NOT NULL)")
    spec = lake.spec(name="bin_move", strategy="incremental", cursor="updated_at", primaryKey=["move_id"])
    other_db = f"t_other_app_{uuid.uuid4().hex[:6]}"
    admin = source_connection()
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{other_db}`")
    other = source_connection(other_db)
    try:
        with other.cursor() as cur:
            cur.execute("CREATE TABLE ledger (id INT PRIMARY KEY)")
            cur.execute("BEGIN")
            cur.execute("INSERT INTO ledger VALUES (1)")  # modifying, held open
        time.sleep(2)
        # stamped after the other transaction began: a server-wide cap would leave it unread
        lake.sql(f"INSERT INTO bin_move VALUES (1, {lake.now()})")
        time.sleep(1)
        loaded = lake.load_one(spec)
        assert loaded.status == "LOADED" and loaded.rowsRead == 1, loaded
        with other.cursor() as cur:
            cur.execute("ROLLBACK")
    finally:
        other.close()
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{other_db}`")
        admin.close()
