"""Spark settings for running the job outside Glue (local runner, tests, benchmark).

The Iceberg and session settings come from handlers/contracts/iceberg-catalog.json, the file the
stack builds Glue's --conf from. Glue differs only in what exists only in AWS: there the catalog is
the Glue Data Catalog with S3FileIO ("awsOnlyCatalog") and the jars come from --datalake-formats
iceberg and --extra-jars; here the catalog is an Iceberg Hadoop catalog in a local folder
("localOnlyCatalog") and the jars come from .cache/jars (scripts/ingest-deps.sh).
"""

from __future__ import annotations

import glob
import json
import os
from typing import Any

# Both source drivers: a local run reads whichever engine its manifest names.
JARS = ("mariadb-java-client-*.jar", "postgresql-42.*.jar", "iceberg-spark-runtime-3.5_2.12-*.jar")
CATALOG_SETTINGS = os.path.join(os.path.dirname(__file__), "..", "..", "contracts", "iceberg-catalog.json")


def load_catalog_settings(path: str = CATALOG_SETTINGS) -> dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        settings: dict[str, Any] = json.load(f)
    for section in ("session", "catalog", "awsOnlyCatalog", "localOnlyCatalog"):
        if not isinstance(settings.get(section), dict):
            raise ValueError(f"{path}: field {section} must be an object of Spark settings")
    if not isinstance(settings.get("sparkCatalogClass"), str):
        raise ValueError(f"{path}: field sparkCatalogClass must be a class name")
    return settings


def catalog_conf(catalog: str, warehouse_uri: str, settings: dict[str, Any] | None = None) -> dict[str, str]:
    """The session and catalog settings of the job, with the local catalog in place of the AWS-only one."""
    s = settings if settings is not None else load_catalog_settings()
    c = f"spark.sql.catalog.{catalog}"
    conf = dict(s["session"])
    conf[c] = s["sparkCatalogClass"]
    for key, value in {**s["catalog"], **s["localOnlyCatalog"]}.items():
        conf[f"{c}.{key}"] = value
    conf[f"{c}.warehouse"] = warehouse_uri
    return conf


def find_jars(jar_dir: str) -> list[str]:
    found = []
    for pattern in JARS:
        matches = sorted(glob.glob(os.path.join(jar_dir, pattern)))
        if not matches:
            raise FileNotFoundError(f"{pattern} not found in {jar_dir}; run scripts/ingest-deps.sh")
        found.append(matches[-1])
    return found


def local_spark_conf(catalog: str, warehouse_uri: str, jar_dir: str, cores: int = 2) -> dict[str, str]:
    java_opts = "-Duser.timezone=UTC -Dderby.system.home=/tmp"
    return {
        "spark.master": f"local[{cores}]",
        "spark.jars": ",".join(find_jars(jar_dir)),
        **catalog_conf(catalog, warehouse_uri),
        "spark.driver.extraJavaOptions": java_opts,
        "spark.executor.extraJavaOptions": java_opts,
        "spark.ui.enabled": "false",
        "spark.sql.shuffle.partitions": str(max(2, cores * 2)),
        "spark.default.parallelism": str(max(2, cores * 2)),
        "spark.driver.memory": "2g",
        "spark.sql.adaptive.enabled": "true",
        "spark.log.level": "WARN",
    }


def properties_file_text(conf: dict[str, str]) -> str:
    return "".join(f"{k} {v}\n" for k, v in conf.items())
