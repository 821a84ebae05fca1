"""Shared fixtures: the real local MariaDB, moto (state table), one local Spark session with the
Iceberg runtime and the MariaDB driver, per-module scratch databases and lakes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(REPO, "handlers", "ingest"))

os.environ["TZ"] = "UTC"
time.tzset()
os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "eu-central-1")
os.environ.setdefault("LAKE_SOURCE_USER", "lake_ingest")
os.environ.setdefault("LAKE_SOURCE_PASSWORD", "lake_ingest_local")
os.environ.setdefault("MOTO_PORT", "5056")


def _script(name: str) -> str:
    out = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", name), *(["start"] if "moto" in name else [])],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="session")
def services() -> dict[str, str]:
    jars = _script("ingest-deps.sh")
    _script("mariadb.sh")
    moto = _script("moto-server.sh")
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


def source_connection(database: str | None = None) -> Any:
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


@pytest.fixture(scope="module")
def srcdb(services: dict[str, str], request: pytest.FixtureRequest) -> Iterator[str]:
    """A scratch source database for one test module, dropped afterwards."""
    name = f"t_{request.module.__name__.rsplit('.', 1)[-1]}_{uuid.uuid4().hex[:6]}"
    conn = source_connection()
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    yield name
    with conn.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS `{name}`")
    conn.close()
