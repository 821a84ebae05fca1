"""The reconcile's source transaction (lake_ingest/source_snapshot.py) on both engines, through the
real JDBC drivers: every query inside it sees the state of its first read while other sessions
update, insert and commit (they are not blocked: each write runs with a 5-second lock timeout);
on PostgreSQL it is REPEATABLE READ, READ ONLY and holds nothing but ACCESS SHARE locks."""

from __future__ import annotations

import os
from typing import Any

from lake_ingest.source import SourceConfig, with_driver_params
from lake_ingest.source_snapshot import ConsistentRead
from tests.helpers import Lake

ENGINES = ("mariadb", "postgresql")


def config(lake: Lake) -> SourceConfig:
    url = with_driver_params(lake.jdbc_url, lake.engine)
    return SourceConfig(url, os.environ["LAKE_SOURCE_USER"], os.environ["LAKE_SOURCE_PASSWORD"], lake.engine)


def test_one_snapshot_for_every_query_and_writers_not_blocked(lake: Lake, spark: Any) -> None:
    lake.sql("CREATE TABLE snap_rows (id INT NOT NULL PRIMARY KEY, v INT NOT NULL)")
    lake.sql("INSERT INTO snap_rows VALUES (1, 10), (2, 20), (3, 30)")
    table = f"{lake.q(lake.schema)}.{lake.q('snap_rows')}"
    aggregate = f"SELECT COUNT(*), SUM(v) FROM {table}"
    writer = lake.connect()
    try:
        with writer.cursor() as cur:
            cur.execute("SET lock_timeout = '5s'" if lake.pg else "SET SESSION innodb_lock_wait_timeout = 5")
        with ConsistentRead(spark, config(lake)) as src:
            first = src.query(aggregate)
            assert first == [("3", "60")]
            with writer.cursor() as cur:  # autocommit: each statement commits at once
                cur.execute(f"UPDATE {table} SET v = v + 1")
                cur.execute(f"INSERT INTO {table} VALUES (4, 40)")
                cur.execute(f"DELETE FROM {table} WHERE id = 1")
            assert src.query(aggregate) == first  # the committed changes are not seen
            assert src.query(f"SELECT v FROM {table} WHERE id = 1") == [("10",)]
            if lake.pg:
                assert src.query("SHOW transaction_isolation") == [("repeatable read",)]
                assert src.query("SHOW transaction_read_only") == [("on",)]
                modes = lake.sql(
                    "SELECT DISTINCT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE a.application_name = 'lake_ingest' AND l.locktype = 'relation' "
                    "AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    f"AND l.relation = '{table}'::regclass"
                )
                assert modes == [("AccessShareLock",)]
        with ConsistentRead(spark, config(lake)) as src:  # a new transaction sees the commits
            assert src.query(aggregate) == [("3", "92")]
    finally:
        writer.close()
