"""The job's catalog settings (handlers/contracts/iceberg-catalog.json, the file the stack builds
Glue's --conf from) under local Spark: the session the tests run is built from them, with only the
AWS-only catalog (Glue Data Catalog, S3FileIO) replaced by a local Hadoop catalog. The catalog
opens, and the job's writer creates, merges into and reads back a table through it."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest

from lake_ingest.localconf import CATALOG_SETTINGS, catalog_conf, load_catalog_settings
from lake_ingest.writer import FullCopy


def test_settings_file_is_an_iam_mode_writer() -> None:
    settings = load_catalog_settings()
    text = json.dumps({k: v for k, v in settings.items() if k != "$comment"}).lower()
    assert "lakeformation" not in text  # no glue.lakeformation-enabled: Lake Formation governs the readers
    assert settings["awsOnlyCatalog"] == {
        "catalog-impl": "org.apache.iceberg.aws.glue.GlueCatalog",
        "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
    }
    conf = catalog_conf("lake", "file:///w/")
    assert "spark.sql.catalog.lake.catalog-impl" not in conf and conf["spark.sql.catalog.lake.type"] == "hadoop"


def test_bad_settings_file_names_the_field(tmp_path: Any) -> None:
    bad = tmp_path / "iceberg-catalog.json"
    bad.write_text(json.dumps({**load_catalog_settings(), "session": ["not", "an", "object"]}))
    with pytest.raises(ValueError, match=r"iceberg-catalog.json: field session must be an object"):
        load_catalog_settings(str(bad))


def test_session_uses_the_settings_and_writes_through_the_catalog(spark: Any, warehouse: str) -> None:
    settings = load_catalog_settings(CATALOG_SETTINGS)
    for key, value in settings["session"].items():
        assert spark.conf.get(key) == value, key
    assert spark.conf.get("spark.sql.catalog.lake") == settings["sparkCatalogClass"]
    for key, value in {**settings["catalog"], **settings["localOnlyCatalog"]}.items():
        assert spark.conf.get(f"spark.sql.catalog.lake.{key}") == value, key
    for key in settings["awsOnlyCatalog"]:
        assert spark.conf.get(f"spark.sql.catalog.lake.{key}", None) is None, key

    database = f"catalog_check_{uuid.uuid4().hex[:8]}"
    table = FullCopy(spark, "lake", database, "customer")
    assert not table.exists()
    first = spark.createDataFrame([(1, "a"), (2, "b")], "id BIGINT, name STRING")
    table.create(first.schema)
    first.writeTo(table.ident).append()
    spark.createDataFrame([(2, "b2"), (3, "c")], "id BIGINT, name STRING").createOrReplaceTempView(
        "catalog_check_batch"
    )
    spark.sql(
        f"MERGE INTO {table.ident} t USING catalog_check_batch s ON t.id = s.id "
        "WHEN MATCHED THEN UPDATE SET * WHEN NOT MATCHED THEN INSERT *"
    )
    rows = sorted((r.id, r.name) for r in spark.read.table(table.ident).collect())
    assert rows == [(1, "a"), (2, "b2"), (3, "c")]
    location = (
        spark.sql(f"DESCRIBE TABLE EXTENDED {table.ident}").filter("col_name = 'Location'").collect()[0].data_type
    )
    assert location.startswith(f"{warehouse}warehouse/{database}/customer")
    assert spark.sql(f"SELECT count(*) AS n FROM {table.ident}.snapshots").collect()[0].n == 2
