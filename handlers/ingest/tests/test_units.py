"""Pure units: arguments (argparse and Glue's getResolvedOptions), manifest validation,
JDBC URL parameters, watermark text, fingerprint, select expressions."""

from __future__ import annotations

import json
import os
import sys
import types
import uuid

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
    assert (args.run_id, args.manifest_uri, args.safety_lag_seconds) == ("r1", "s3://b/m.json", 7)
    # The tier (like the state table and the connection) is the manifest's: an old --tier is ignored.
    assert not hasattr(args, "tier") and not hasattr(args, "state_table") and not hasattr(args, "connection_name")
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
    args = parse_args(["script", "--run_id", "r9", "--manifest_uri", "m", "--fetch_size", "50"])
    assert args.run_id == "r9" and args.fetch_size == 50
    assert seen == [["run_id", "manifest_uri", "fetch_size"]]  # optional names only when passed


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
    out.append(
        {
            **manifest_doc(strategy="append", key="id", lookbackKeys=0),
            "source": {**good["source"], "timeZone": "America/Argentina/Buenos_Aires"},
        }
    )
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
        {**good, "source": {**good["source"], "timeZone": "CET offset +1"}},
        {**good, "source": {**good["source"], "timeZone": 1}},
        manifest_doc(strategy="append", key="id", lookbackKeys=-1),
    ]
    return out + bad


def test_vendored_validator_agrees_with_jsonschema() -> None:
    """The job's validator (fastjsonschema, vendored) against the reference implementation."""
    import jsonschema

    from lake_ingest.manifest import check_schema, load_schema

    schema = load_schema()
    verdicts = []
    for doc in _variants():
        expected = jsonschema.Draft7Validator(schema).is_valid(doc)
        try:
            check_schema(doc)
            got = True
        except ManifestError:
            got = False
        assert got == expected, doc
        verdicts.append(got)
    assert verdicts.count(True) == 5 and verdicts.count(False) == 16


def test_invalid_manifest_error_names_the_field_and_table() -> None:
    with pytest.raises(
        ManifestError, match=r"invalid at tables/0 \(table customer\): must contain \['key'\] properties"
    ):
        parse_manifest(manifest_doc(strategy="append"))  # an append table needs its key column
    with pytest.raises(ManifestError, match=r"invalid at tables/0/lookbackSeconds \(table customer\): must be bigger"):
        parse_manifest(manifest_doc(lookbackSeconds=-1))
    with pytest.raises(ManifestError, match=r"invalid at source/engine: must be one of"):
        good = manifest_doc()
        parse_manifest({**good, "source": {**good["source"], "engine": "db2"}})


def test_the_job_imports_the_vendored_validator_at_the_pinned_version() -> None:
    """Tests, the local runner and IngestCode's zip all load lake_ingest/_vendor (one copy)."""
    from lake_ingest._vendor import fastjsonschema

    with open(os.path.join(REPO, "handlers", "ingest", "requirements.txt"), encoding="utf-8") as handle:
        pins = [line.split()[0] for line in handle if line.strip() and not line.startswith("#")]
    assert f"fastjsonschema=={fastjsonschema.VERSION}" in pins
    assert os.path.dirname(fastjsonschema.__file__) == os.path.join(
        REPO, "handlers", "ingest", "lake_ingest", "_vendor", "fastjsonschema"
    )


class FakeJdbc:
    """The metadata side of Jdbc with canned answers (no database)."""

    def __init__(self, now: str = "2024-10-27 01:10:00.000000", top: str | None = None) -> None:
        self.now, self.top = now, top
        self.count_min_max: tuple[str, str, str] = ("0", "0", "0")
        self.rows = 0

    def high_mark(self, _seconds: int, _schema: str | None = None) -> str:
        return self.now

    def scalar(self, _sql: str, _params: tuple[str, ...] = ()) -> str | None:
        return self.top

    def estimated_rows(self, _schema: str, _table: str) -> int:
        return self.rows

    def query(self, _sql: str, _params: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
        return [self.count_min_max]


def _spec(**over: object) -> object:
    doc = manifest_doc(**over)
    table = doc["tables"][0]
    for name in [k for k, v in table.items() if v is None and k != "watermark"]:
        del table[name]  # None: leave the field out
    return parse_manifest(doc).tables[0]


def test_partition_ranges_are_open_below_and_above() -> None:
    """Rows outside the sampled MIN/MAX (committed after the sample, or a NULL key) still land in
    exactly one range: evaluated over real SQL (sqlite) for keys from far below to far above."""
    import sqlite3

    from lake_ingest.strategies import partition_predicates

    jdbc = FakeJdbc()
    jdbc.rows, jdbc.count_min_max = 1000, ("1000", "100", "1099")
    spec = _spec(strategy="append", key="id", primaryKey=["id"], cursor=None)
    columns = [SourceColumn("id", "bigint", "bigint(20)", 19)]
    preds = partition_predicates(jdbc, spec, "erp", columns, "`id` > 99", 200, 4)  # type: ignore[arg-type]
    assert preds is not None and len(preds) == 4
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE t (id INTEGER)")
    keys: list[int | None] = [-(2**40), 0, 99, 100, 101, 374, 375, 376, 1099, 1100, 2**40, None]
    db.executemany("INSERT INTO t VALUES (?)", [(k,) for k in keys])
    hits: list[int | None] = []
    for pred in preds:
        hits += [r[0] for r in db.execute(f"SELECT id FROM t WHERE {pred}")]
    assert sorted(hits, key=lambda k: (k is None, k or 0)) == sorted(keys, key=lambda k: (k is None, k or 0))


def test_wall_window_across_clock_changes() -> None:
    from datetime import UTC, datetime, timedelta

    from lake_ingest import clock

    berlin = clock.zone("Europe/Berlin")
    back = datetime(2024, 10, 27, 1, 0, tzinfo=UTC)  # 03:00 CEST -> 02:00 CET
    ten = timedelta(minutes=10)
    # no change inside the window: plain wall times (CET, +1)
    assert clock.wall_window(berlin, back + ten, back + 3 * ten) == (
        datetime(2024, 10, 27, 2, 10),
        datetime(2024, 10, 27, 2, 30),
    )
    # across the backward change: the lower bound moves back by the hour, the upper bound
    # reaches the last CEST wall time
    assert clock.wall_window(berlin, back - ten, back + ten) == (
        datetime(2024, 10, 27, 1, 50),
        datetime(2024, 10, 27, 3, 10),
    )
    # a first load covers rows stamped before a change in the last day
    assert clock.wall_window(berlin, None, back + ten) == (None, datetime(2024, 10, 27, 3, 10))
    # forward change (02:00 CET -> 03:00 CEST): nothing is repeated
    fwd = datetime(2024, 3, 31, 1, 0, tzinfo=UTC)
    assert clock.wall_window(berlin, fwd - ten, fwd + ten) == (
        datetime(2024, 3, 31, 1, 50),
        datetime(2024, 3, 31, 3, 10),
    )
    # behind UTC
    ny = clock.zone("America/New_York")
    assert clock.wall_window(ny, datetime(2024, 6, 1, 12, tzinfo=UTC), datetime(2024, 6, 1, 13, tzinfo=UTC)) == (
        datetime(2024, 6, 1, 8),
        datetime(2024, 6, 1, 9),
    )
    # a wall time inside the repeated hour stands for its first occurrence (CEST)
    assert clock.wall_to_utc(berlin, datetime(2024, 10, 27, 2, 30)) == datetime(2024, 10, 27, 0, 30, tzinfo=UTC)
    assert clock.wall_to_utc(berlin, datetime(2024, 10, 27, 3, 20)) == datetime(2024, 10, 27, 2, 20, tzinfo=UTC)
    assert clock.zone("UTC") is UTC
    from lake_ingest.errors import TableError

    with pytest.raises(TableError, match="Mars/Olympus"):
        clock.zone("Mars/Olympus")


def test_incremental_bounds_by_cursor_type_and_zone() -> None:
    from lake_ingest.strategies import plan_incremental

    jdbc = FakeJdbc(now="2024-10-27 01:10:00.000000")
    wm = {"kind": "timestamp", "value": "2024-10-27T00:50:00.000000Z"}
    spec = _spec(cursor="changed_at", lookbackSeconds=0, watermark=wm)
    dt_col = [SourceColumn("changed_at", "datetime", "datetime(6)", None)]
    ts_col = [SourceColumn("changed_at", "timestamp", "timestamp(6)", None)]
    berlin = plan_incremental(jdbc, spec, dt_col, 0, "Europe/Berlin")  # type: ignore[arg-type]
    assert berlin.where == (
        "((`changed_at` > '2024-10-27 01:50:00.000000' AND `changed_at` <= '2024-10-27 03:10:00.000000')"
        " OR `changed_at` IS NULL)"  # a row without a cursor value is read on every run
    )
    assert berlin.new_watermark is not None and berlin.new_watermark.value == "2024-10-27T01:10:00.000000Z"
    utc_window = (
        "((`changed_at` > '2024-10-27 00:50:00.000000' AND `changed_at` <= '2024-10-27 01:10:00.000000')"
        " OR `changed_at` IS NULL)"
    )
    # a TIMESTAMP is an instant (UTC session): the zone does not apply; nor for a UTC source
    assert plan_incremental(jdbc, spec, ts_col, 0, "Europe/Berlin").where == utc_window  # type: ignore[arg-type]
    assert plan_incremental(jdbc, spec, dt_col, 0, "UTC").where == utc_window  # type: ignore[arg-type]
    first = plan_incremental(jdbc, _spec(cursor="changed_at"), dt_col, 0, "America/New_York")  # type: ignore[arg-type]
    assert first.where == "(`changed_at` <= '2024-10-26 21:10:00.000000' OR `changed_at` IS NULL)"


def test_append_reads_a_key_lookback_below_the_watermark() -> None:
    from lake_ingest.strategies import plan_append

    cols = [SourceColumn("id", "bigint", "bigint(20)", 19)]
    wm = {"kind": "integer", "value": "500"}
    unmoved = plan_append(FakeJdbc(top="500"), _spec(strategy="append", key="id", watermark=wm), cols)  # type: ignore[arg-type]
    assert unmoved.where == "`id` > -500 AND `id` <= 500"  # MAX did not move: still re-read
    assert unmoved.new_watermark is not None and unmoved.new_watermark.value == "500"
    narrow = plan_append(
        FakeJdbc(top="900"),  # type: ignore[arg-type]
        _spec(strategy="append", key="id", watermark=wm, lookbackKeys=50),
        cols,
    )
    assert narrow.where == "`id` > 450 AND `id` <= 900" and narrow.new_watermark is not None
    assert narrow.new_watermark.value == "900"
    empty = plan_append(FakeJdbc(top=None), _spec(strategy="append", key="id"), cols)  # type: ignore[arg-type]
    assert empty.where == "1 = 0" and empty.new_watermark is None  # no made-up position


def test_manifest_time_zone_and_key_lookback() -> None:
    doc = manifest_doc(strategy="append", key="id", lookbackKeys=25)
    assert parse_manifest(doc).source_time_zone == "UTC"  # absent: UTC
    assert parse_manifest(doc).tables[0].lookback_keys == 25
    assert parse_manifest(manifest_doc(strategy="append", key="id")).tables[0].lookback_keys == 1000
    doc["source"]["timeZone"] = "Europe/Berlin"
    assert parse_manifest(doc).source_time_zone == "Europe/Berlin"
    doc["source"]["timeZone"] = "Mars/Olympus"  # IANA-shaped, but no such zone
    with pytest.raises(ManifestError, match="timeZone"):
        parse_manifest(doc)


def test_source_is_the_manifests_connection(services: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The job reads the Glue connection the manifest names (moto); without one (and without a
    local --jdbc_url) it refuses before any AWS call. Which connections the job may read at all
    is IAM's (glue:GetConnection on the lake's own connection: test/policies, test/stack)."""
    import boto3

    from lake_ingest.errors import TableError
    from lake_ingest.source import resolve_source_config

    monkeypatch.setenv("AWS_ENDPOINT_URL_GLUE", services["moto"])
    glue = boto3.client("glue")
    name = f"erp-conn-{uuid.uuid4().hex[:8]}"  # unique: moto's DeleteConnection fails
    glue.create_connection(
        ConnectionInput={
            "Name": name,
            "ConnectionType": "JDBC",
            "ConnectionProperties": {
                "JDBC_CONNECTION_URL": "jdbc:mysql://db.internal:3306/erp",
                "USERNAME": "lake_reader",
                "PASSWORD": "from-glue",
            },
        }
    )
    own = manifest_doc()
    own["source"]["connectionName"] = name
    config = resolve_source_config(parse_manifest(own), None)
    assert (config.url.split("?")[0], config.user) == ("jdbc:mysql://db.internal:3306/erp", "lake_reader")
    unnamed = manifest_doc()
    del unnamed["source"]["connectionName"]
    with pytest.raises(TableError, match="names no source.connectionName"):
        resolve_source_config(parse_manifest(unnamed), None)
