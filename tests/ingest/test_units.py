"""Pure units: arguments (argparse and Glue's getResolvedOptions), manifest validation,
JDBC URL parameters, watermark text, fingerprint, select expressions."""

from __future__ import annotations

import json
import os
import sys
import types

import pytest

from lake_ingest.args import parse_args
from lake_ingest.errors import ManifestError
from lake_ingest.fingerprint import schema_fingerprint
from lake_ingest.manifest import parse_manifest
from lake_ingest.source import SourceColumn, SourceConfig, with_driver_params
from lake_ingest.strategies import iso_ts, parse_ts
from lake_ingest.writer import raw_batch_dir
from tests.conftest import REPO


def manifest_doc(**table_over: object) -> dict:
    table = {
        "name": "customer",
        "domain": "sales",
        "sourceName": "customer",
        "quotedSourceName": "`erp`.`customer`",
        "strategy": "incremental",
        "cursor": "updated_at",
        "lookbackSeconds": 600,
        "primaryKey": ["customer_id"],
        "pii": ["email"],
        "rawPath": "s3://raw/raw/sales/customer/",
        "rawDatabase": "lake_sales_raw",
        "targetDatabase": "lake_sales",
        "targetTable": "customer",
        "watermark": None,
    }
    table.update(table_over)
    return {
        "version": 1,
        "runId": "daily-2024-01-01T01:30:00Z",
        "tier": "daily",
        "createdAt": "2024-01-01T00:30:00Z",
        "leaseExpiresAt": 1704072600,
        "source": {"engine": "mariadb", "database": "erp", "schema": "erp", "connectionName": "erp-conn"},
        "lake": {"rawRoot": "s3://raw/", "warehouseRoot": "s3://wh/", "stateTable": "state", "catalog": "glue_catalog"},
        "tables": [table],
    }


def test_argparse_path_ignores_glue_extras() -> None:
    args = parse_args(
        [
            "job.py",
            "--JOB_ID",
            "j_1",
            "--run_id",
            "r1",
            "--manifest_uri",
            "s3://b/m.json",
            "--tier",
            "daily",
            "--safety_lag_seconds",
            "7",
            "--TempDir",
            "s3://t/",
        ]
    )
    assert (args.run_id, args.manifest_uri, args.tier, args.safety_lag_seconds) == ("r1", "s3://b/m.json", "daily", 7)
    with pytest.raises(SystemExit):
        parse_args(["job.py", "--run_id", "r1"])


def test_glue_path_uses_get_resolved_options(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def get_resolved_options(argv: list[str], names: list[str]) -> dict[str, str]:
        seen.append(names)
        return {n: argv[argv.index(f"--{n}") + 1] for n in names}

    awsglue = types.ModuleType("awsglue")
    utils = types.ModuleType("awsglue.utils")
    utils.getResolvedOptions = get_resolved_options  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "awsglue", awsglue)
    monkeypatch.setitem(sys.modules, "awsglue.utils", utils)
    args = parse_args(["script", "--run_id", "r9", "--manifest_uri", "m", "--state_table", "st"])
    assert args.run_id == "r9" and args.state_table == "st"
    assert seen == [["run_id", "manifest_uri", "state_table"]]  # optional names only when passed


def test_manifest_validation() -> None:
    m = parse_manifest(manifest_doc())
    assert m.tables[0].quoted_source_name == "`erp`.`customer`" and m.connection_name == "erp-conn"
    with pytest.raises(ManifestError, match="tables/0"):
        parse_manifest(manifest_doc(strategy="incremental", cursor=None) | {})  # cursor must be a string
    bad = manifest_doc()
    del bad["tables"][0]["lookbackSeconds"]
    with pytest.raises(ManifestError):
        parse_manifest(bad)
    twice = manifest_doc()
    twice["tables"].append(dict(twice["tables"][0]))
    with pytest.raises(ManifestError, match="more than once"):
        parse_manifest(twice)


def test_schema_is_the_contract_file() -> None:
    from lake_ingest.manifest import load_schema

    with open(os.path.join(REPO, "handlers", "contracts", "run-manifest.schema.json"), encoding="utf-8") as handle:
        assert load_schema() == json.load(handle)


def test_driver_params_and_secrets() -> None:
    url = with_driver_params("jdbc:mysql://h:3306/erp?useSSL=true&tinyInt1isBit=true")
    assert url.startswith("jdbc:mysql://h:3306/erp?useSSL=true&tinyInt1isBit=true&permitMysqlScheme=true")
    assert "connectionTimeZone=UTC" in url and "forceConnectionTimeZoneToSession=true" in url
    assert url.count("tinyInt1isBit") == 1  # an explicit setting in the connection wins
    assert with_driver_params("jdbc:mariadb://h/erp").startswith("jdbc:mysql://h/erp?")
    assert "s3cr3t" not in repr(SourceConfig("jdbc:mysql://h/", "u", "s3cr3t"))


def test_watermark_text_and_paths() -> None:
    ts = parse_ts("2024-05-01 10:00:00.5")
    assert iso_ts(ts) == "2024-05-01T10:00:00.500000Z"
    assert parse_ts("2024-05-01T12:00:00+02:00") == parse_ts("2024-05-01T10:00:00Z")
    assert raw_batch_dir("s3://b/raw/sales/customer/", "2024-05-01", "daily-2024-05-01T01:30:00Z") == (
        "s3://b/raw/sales/customer/ingest_date=2024-05-01/run=daily-2024-05-01T01%3A30%3A00Z/"
    )


def test_fingerprint_and_select_expressions() -> None:
    a = schema_fingerprint([("id", "bigint"), ("name", "string")])
    assert a == schema_fingerprint([("id", "bigint"), ("name", "string")])
    assert a != schema_fingerprint([("name", "string"), ("id", "bigint")])
    assert SourceColumn("NoteId", "bigint", "bigint(20) unsigned", 20).select_expr() == "`NoteId` AS `noteid`"
    assert SourceColumn("we`ird", "time", "time", None).select_expr() == "CAST(`we``ird` AS CHAR) AS `we``ird`"
    assert SourceColumn("Big", "decimal", "decimal(50,10)", 50).select_expr() == "CAST(`Big` AS CHAR) AS `big`"


def _variants() -> list[dict]:
    good = manifest_doc()
    out = [good, manifest_doc(watermark={"kind": "timestamp", "value": "2024-01-01T00:00:00.000000Z"})]
    out.append(manifest_doc(strategy="append", key="id", cursor="x"))
    out.append(manifest_doc(strategy="snapshot", watermark={"kind": "checksum", "value": "1"}))
    bad = [
        manifest_doc(watermark={"kind": "nope", "value": "1"}),
        manifest_doc(watermark={"kind": "integer"}),
        manifest_doc(rawPath="s3://no-slash"),
        manifest_doc(name="Upper"),
        manifest_doc(strategy="append"),  # no key
        manifest_doc(extra=1),
        manifest_doc(lookbackSeconds=-1),
        manifest_doc(primaryKey="id"),
        {**good, "version": 2},
        {**good, "runId": "bad id"},
        {**good, "leaseExpiresAt": True},
        {k: v for k, v in good.items() if k != "lake"},
        {**good, "source": {**good["source"], "engine": "db2"}},
    ]
    return out + bad


def test_builtin_validator_agrees_with_jsonschema() -> None:
    import jsonschema

    from lake_ingest import minischema
    from lake_ingest.manifest import load_schema

    schema = load_schema()
    verdicts = []
    for doc in _variants():
        expected = jsonschema.Draft7Validator(schema).is_valid(doc)
        try:
            minischema.validate(doc, schema)
            got = True
        except minischema.SchemaViolation:
            got = False
        assert got == expected, doc
        verdicts.append(got)
    assert verdicts.count(True) == 4 and verdicts.count(False) == 13


def test_manifest_validation_without_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "jsonschema", None)  # import fails as in a bare Glue job
    assert parse_manifest(manifest_doc()).tables[0].name == "customer"
    with pytest.raises(ManifestError, match="tables/0"):
        parse_manifest(manifest_doc(strategy="append"))
