"""Spark settings for running the job outside Glue (local runner, tests, benchmark).

Glue differs only in these settings: there the catalog is the Glue Data Catalog
(org.apache.iceberg.aws.glue.GlueCatalog) and the jars come from --datalake-formats iceberg and
--extra-jars; here the catalog is an Iceberg Hadoop catalog in a local folder and the jars come
from .cache/jars (scripts/ingest-deps.sh).
"""

from __future__ import annotations

import glob
import os

# Both source drivers: a local run reads whichever engine its manifest names.
JARS = ("mariadb-java-client-*.jar", "postgresql-42.*.jar", "iceberg-spark-runtime-3.5_2.12-*.jar")


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
    c = f"spark.sql.catalog.{catalog}"
    return {
        "spark.master": f"local[{cores}]",
        "spark.jars": ",".join(find_jars(jar_dir)),
        "spark.sql.extensions": "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions",
        c: "org.apache.iceberg.spark.SparkCatalog",
        f"{c}.type": "hadoop",
        f"{c}.warehouse": warehouse_uri,
        "spark.sql.session.timeZone": "UTC",
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
