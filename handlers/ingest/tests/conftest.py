"""Shared fixtures: the real local MariaDB and PostgreSQL, moto (state table), one local Spark
session with the Iceberg runtime and both JDBC drivers, per-module scratch databases and lakes.

A test module runs against PostgreSQL too when it sets ENGINES = ("mariadb", "postgresql")
(pytest_generate_tests below parametrizes its `engine` fixture); otherwise against MariaDB only."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # helpers imports this module's services: imported where the fixture runs
    from tests.helpers import Lake

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))

os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
os.environ.setdefault("LAKE_SOURCE_USER", "lake_ingest")
os.environ.setdefault("LAKE_SOURCE_PASSWORD", "lake_ingest_local")
os.environ.setdefault("MOTO_PORT", "5056")
os.environ.setdefault("PGPORT", "5433")
# The schema the PostgreSQL scratch databases keep their tables in: mixed case, so every name
# the job sends must be quoted exactly.
PG_SCHEMA = "Erp"


def _script(name: str, *args: str) -> str:
    out = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", name), *args],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def services() -> dict[str, str]:
    jars = _script("ingest-deps.sh")
    _script("mariadb.sh")
    moto = _script("moto-server.sh", "start")
    os.environ["AWS_ENDPOINT_URL_DYNAMODB"] = moto
    os.environ["AWS_ENDPOINT_URL_S3"] = moto
    return {"jars": jars, "moto": moto}


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"file://{tmp_path_factory.mktemp('lake')}/"


@pytest.fixture(scope="session")
def spark(services: dict[str, str], warehouse: str) -> Iterator[Any]:
    from pyspark.sql import SparkSession

    from lake_ingest.localconf import local_spark_conf

    os.environ["PYSPARK_PYTHON"] = sys.executable
    builder = SparkSession.builder.appName("lake-ingest-tests")
    for key, value in local_spark_conf("lake", f"{warehouse}warehouse/", services["jars"]).items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def postgres(services: dict[str, str]) -> str:
    """The throw-away PostgreSQL cluster (scripts/postgres.sh); started only when a test needs it."""
    return _script("postgres.sh")


@pytest.fixture(scope="module")
def engine(request: pytest.FixtureRequest) -> str:
    """The source engine of this module's tests (parametrized by handlers/ingest/tests/conftest.py)."""
    return str(getattr(request, "param", "mariadb"))


def source_connection(database: str | None = None, engine: str = "mariadb") -> Any:
    if engine == "postgresql":
        return pg_connection(database or "postgres")
    import pymysql

    return pymysql.connect(
        host="127.0.0.1",
        port=3306,
        user=os.environ["LAKE_SOURCE_USER"],
        password=os.environ["LAKE_SOURCE_PASSWORD"],
        database=database,
        autocommit=True,
        charset="utf8mb4",
        init_command="SET time_zone = '+00:00'",
    )


def pg_connection(database: str) -> Any:
    import psycopg

    conn = psycopg.connect(
        host="127.0.0.1",
        port=int(os.environ["PGPORT"]),
        user=os.environ["LAKE_SOURCE_USER"],
        password=os.environ["LAKE_SOURCE_PASSWORD"],
        dbname=database,
        autocommit=True,
        options="-c TimeZone=UTC",
    )
    conn.execute(f'SET search_path TO "{PG_SCHEMA}"')
    # json/jsonb as PostgreSQL's text, as the lake holds them (not parsed into dicts)
    from psycopg.types.string import TextLoader

    for json_type in ("json", "jsonb"):
        conn.adapters.register_loader(json_type, TextLoader)
    return conn


def pg_scratch_database(name: str) -> Iterator[str]:
    """A PostgreSQL database with the schema PG_SCHEMA, dropped when the generator resumes."""
    admin = pg_connection("postgres")
    admin.execute(f"CREATE DATABASE \"{name}\" ENCODING 'UTF8' TEMPLATE template0")
    with pg_connection(name) as conn:
        conn.execute(f'CREATE SCHEMA "{PG_SCHEMA}"')
    try:
        yield name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def srcdb(services: dict[str, str], engine: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """A scratch source database for one test module, dropped afterwards (PostgreSQL: a database
    with the schema PG_SCHEMA)."""
    name = f"t_{request.module.__name__.rsplit('.', 1)[-1]}_{uuid.uuid4().hex[:6]}"
    if engine == "postgresql":
        request.getfixturevalue("postgres")
        yield from pg_scratch_database(name)
        return
    conn = source_connection()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    yield name
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()


# -- per-module source engine and lake ------------------------------------------------------


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules with ENGINES = (...) run every test once per source engine."""
    engines = getattr(metafunc.module, "ENGINES", None)
    if engines and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", engines, indirect=True, scope="module")


@pytest.fixture(scope="module")
def lake(spark: Any, warehouse: str, srcdb: str, engine: str, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    from tests.helpers import Lake

    return Lake(spark, warehouse, srcdb, str(tmp_path_factory.mktemp("manifests")), engine)
