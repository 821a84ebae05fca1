"""The local runner's manifest comes from the TypeScript side (scripts/local-manifest.ts: the
model's tables.yaml loader and the coordinator's buildManifest), and the coordinator carries the
source time zone (SOURCE_TIME_ZONE -> manifest source.timeZone). Runs Node (ts-node)."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest

import local_harness
from lake_ingest.manifest import parse_manifest
from tests.conftest import REPO


def manifest(tmp_path: Any, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "tier": "daily",
        "tables": [],
        "lake_uri": f"file://{tmp_path}/",
        "run_id": "daily-local-1",
        "state_table": "lake-state",
        "source_db": "erp",
    }
    return local_harness.tier_manifest(**(args | kw))


def test_tier_manifest_is_the_coordinators(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_TIME_ZONE", raising=False)
    pair = manifest(tmp_path, tables=["customer_address", "customer"])
    assert [t["name"] for t in pair["tables"]] == ["customer_address", "customer"]  # exact names
    customer = pair["tables"][1]
    assert customer["quotedSourceName"] == "`erp`.`customer`"
    assert customer["rawPath"] == f"file://{tmp_path}/raw/sales/customer/"
    assert customer["lookbackSeconds"] == 600 and customer["watermark"] is None
    assert pair["lake"]["warehouseRoot"] == f"file://{tmp_path}/warehouse/"
    assert pair["lake"]["catalog"] == "lake" and pair["source"]["timeZone"] == "UTC"
    parsed = parse_manifest(pair)  # the job accepts it
    assert parsed.run_id == "daily-local-1" and parsed.source_time_zone == "UTC"

    daily = {t["name"] for t in manifest(tmp_path)["tables"]}
    every_15 = {t["name"] for t in manifest(tmp_path, tier="every_15_min")["tables"]}
    assert every_15 and every_15 < daily  # the tier's tables; daily syncs all tables

    berlin = manifest(tmp_path, tables=["customer"], source_time_zone="Europe/Berlin")
    assert parse_manifest(berlin).source_time_zone == "Europe/Berlin"
    monkeypatch.setenv("SOURCE_TIME_ZONE", "America/New_York")  # as the coordinator reads it
    assert manifest(tmp_path, tables=["customer"])["source"]["timeZone"] == "America/New_York"


def test_a_bad_tables_yaml_is_rejected_by_the_model(tmp_path: Any) -> None:
    with open(os.path.join(REPO, "tables.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    bad = os.path.join(str(tmp_path), "tables.yaml")
    with open(bad, "w", encoding="utf-8") as handle:
        handle.write(text.replace("strategy: snapshot", "strategy: full_reload", 1))
    with pytest.raises(SystemExit) as caught:
        local_harness.main(["plan", "--lake", str(tmp_path), "--tier", "daily", "--tables-yaml", bad])
    message = str(caught.value)
    assert f"{bad}:" in message and "full_reload" in message  # the model's file:line message
    with pytest.raises(SystemExit, match="not in"):
        manifest(tmp_path, tables=["no_such_table"])


def ts(code: str) -> Any:
    done = subprocess.run(
        ["npx", "ts-node", "--transpile-only", "-e", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_coordinator_puts_the_source_time_zone_into_the_manifest() -> None:
    out = ts(
        """
const { loadConfig, ConfigError } = require("./handlers/coordinator/config");
const { buildManifest } = require("./handlers/coordinator/core/manifest");
const { manifestProblems } = require("./handlers/coordinator/core/manifestSchema");
const env = {
  LAKE_NAME: "lake", ENVIRONMENT: "prod", STATE_TABLE: "lake-state", MANIFEST_BUCKET: "lake-scripts",
  RAW_BUCKET: "lake-raw", WAREHOUSE_BUCKET: "lake-warehouse", DATABASE_PREFIX: "lake",
  TIER_JOBS: '{"daily":"lake-daily"}', CRAWLERS: '{"sales":"lake-raw-sales"}',
  ALERT_TOPIC_ARN: "arn:aws:sns:eu-central-1:123456789012:lake-alerts", SOURCE_ENGINE: "mariadb",
  SOURCE_DATABASE: "erp", SOURCE_CONNECTION: "lake-source", LEASE_SECONDS: "10800",
  BUSINESS_TIME_ZONE: "Europe/Berlin",
};
const run = { runId: "daily-1", tier: "daily", createdAt: new Date(0), leaseExpiresAt: 1, tables: [],
  watermarks: new Map(), reload: false };
const berlin = buildManifest(loadConfig({ ...env, SOURCE_TIME_ZONE: "Europe/Berlin" }, "/"), run);
let bad = "";
try { loadConfig({ ...env, SOURCE_TIME_ZONE: "Mars/Olympus" }, "/"); } catch (e) { bad = e.problems.join(";"); }
console.log(JSON.stringify({
  defaultZone: buildManifest(loadConfig(env, "/"), run).source.timeZone,
  berlin: berlin.source,
  problems: manifestProblems(berlin),
  bad,
}));
"""
    )
    assert out["defaultZone"] == "UTC"
    assert out["berlin"] == {
        "engine": "mariadb",
        "database": "erp",
        "schema": "erp",
        "connectionName": "lake-source",
        "timeZone": "Europe/Berlin",
    }
    assert out["problems"] == []  # the shared schema accepts it
    assert 'SOURCE_TIME_ZONE="Mars/Olympus" is not an IANA time zone' in out["bad"]
