"""Pure units of the source dialects: URL parameters, select expressions per type, the engine
refusal. (Their behaviour against the real engines: test_types*.py, test_open_transaction.py.)"""

from __future__ import annotations

import pytest

from lake_ingest.dialects import LOADABLE_ENGINES, SourceColumn, dialect_for
from lake_ingest.dialects.postgres import POSTGRES
from lake_ingest.errors import TableError
from lake_ingest.source import SourceConfig


def pg(name: str, data_type: str, precision: int | None = None) -> SourceColumn:
    return SourceColumn(name, data_type, data_type, precision, None, source_dialect=POSTGRES)


def test_engines_the_job_loads_and_the_refusal() -> None:
    assert LOADABLE_ENGINES == ("mariadb", "mysql", "postgresql")
    assert dialect_for("mysql") is dialect_for("mariadb")
    for engine in ("sqlserver", "oracle"):
        with pytest.raises(TableError, match=rf"source.engine '{engine}' cannot be loaded.*lake:source.engine"):
            dialect_for(engine)


def test_postgres_url_and_driver() -> None:
    url = POSTGRES.normalize_url("jdbc:postgresql://h:5432/erp?options=-c%20TimeZone%3DUTC&sslmode=verify-full")
    assert (
        url
        == "jdbc:postgresql://h:5432/erp?options=-c%20TimeZone%3DUTC&sslmode=verify-full&ApplicationName=lake_ingest"
    )
    assert POSTGRES.normalize_url("jdbc:postgresql://h/erp?ApplicationName=x").count("ApplicationName") == 1
    assert SourceConfig("u", "x", "p", "postgresql").dialect.driver_class == "org.postgresql.Driver"


def test_postgres_select_expressions() -> None:
    exprs = {
        c.name: c.select_expr()
        for c in [
            pg("Qty", "integer"),
            pg("free", "numeric"),
            pg("wide", "numeric", 50),
            pg("dec", "numeric", 12),
            pg("m", "money"),
            pg("tags", "array"),
            pg("u", "uuid"),
            pg("jb", "jsonb"),
            pg("mood", "user-defined"),
            pg("iv", "interval"),
            pg("at", "timestamp with time zone"),
            pg("b", "bytea"),
        ]
    }
    assert exprs == {
        "Qty": '"Qty" AS "qty"',
        "free": 'CAST("free" AS text) AS "free"',
        "wide": 'CAST("wide" AS text) AS "wide"',
        "dec": '"dec" AS "dec"',
        "m": 'CAST(CAST("m" AS numeric) AS text) AS "m"',
        "tags": 'CAST(to_json("tags") AS text) AS "tags"',
        "u": 'CAST("u" AS text) AS "u"',
        "jb": 'CAST("jb" AS text) AS "jb"',
        "mood": 'CAST("mood" AS text) AS "mood"',
        "iv": 'CAST("iv" AS text) AS "iv"',
        "at": '"at" AS "at"',
        "b": '"b" AS "b"',
    }
    assert pg("a", "timestamp without time zone").wall_time and not pg("a", "timestamp with time zone").wall_time
    assert pg("k", "bigint").integral and not pg("k", "numeric", 20).integral
    assert pg('we"ird', "text").quoted == '"we""ird"'


def test_mariadb_columns_default_to_the_mariadb_dialect() -> None:
    col = SourceColumn("Id", "bigint", "bigint(20) unsigned", 20)
    assert col.quoted == "`Id`" and col.quoted_lake_name == "`id`" and col.integral
    assert SourceColumn("t", "time", "time", None).select_expr() == "CAST(`t` AS CHAR) AS `t`"
    assert SourceColumn("c", "datetime", "datetime(6)", None).wall_time
