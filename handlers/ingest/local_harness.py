"""Local stand-in for the coordinator's part of a run (used by scripts/run-ingest-local.sh,
the tests and the benchmark): creates the state table in moto, takes the leases with the
coordinator's conditional write (the "lease" operation of handlers/contracts/state-table.json)
and fills in each leased table's watermark from the state table.

The manifest of a tier comes from scripts/local-manifest.ts: tables.yaml is parsed only by the
TypeScript model (model/), and the manifest is built by the coordinator's own buildManifest;
nothing here reads tables.yaml. Tests and the benchmark pass their own table specs (plan_run).

  python handlers/ingest/local_harness.py plan --lake DIR --tier daily [--tables a,b] [--run-id ID]
prints the manifest path.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

from lake_ingest.naming import catalog_database, qualified_source_name, raw_table_path
from lake_ingest.state import state_update, table_key

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))


def ddb_client() -> Any:
    import boto3

    return boto3.client("dynamodb", region_name=os.environ.get("AWS_DEFAULT_REGION", "eu-central-1"))


def ensure_state_table(client: Any, name: str) -> None:
    try:
        client.describe_table(TableName=name)
        return
    except client.exceptions.ResourceNotFoundException:
        pass
    client.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def get_item(client: Any, state_table: str, table: str) -> dict[str, Any]:
    item: dict[str, Any] = client.get_item(
        TableName=state_table, Key={"pk": {"S": table_key(table)}}, ConsistentRead=True
    ).get("Item", {})
    return item


def take_lease(client: Any, state_table: str, table: str, run_id: str, tier: str, expires_at: int) -> bool:
    try:
        client.update_item(
            TableName=state_table,
            Key={"pk": {"S": table_key(table)}},
            **state_update("lease"),
            ExpressionAttributeValues={
                ":run": {"S": run_id},
                ":tier": {"S": tier},
                ":exp": {"N": str(expires_at)},
                ":table": {"S": table},
                ":now": {"N": str(int(time.time()))},
            },
        )
        return True
    except client.exceptions.ConditionalCheckFailedException:
        return False


def watermark_of(item: dict[str, Any]) -> dict[str, str] | None:
    if "watermark" not in item:
        return None
    return {"kind": item["watermarkKind"]["S"], "value": item["watermark"]["S"]}


def table_spec(
    entry: dict[str, Any],
    lake_uri: str,
    source_db: str,
    prefix: str = "lake",
    lookback_seconds: int = 600,
    engine: str = "mariadb",
    schema: str | None = None,
) -> dict[str, Any]:
    """A manifest tableSpec (without watermark) from a tables.yaml-like entry."""
    name, domain = entry["name"], entry["domain"]
    source = entry.get("source", name)
    spec: dict[str, Any] = {
        "name": name,
        "domain": domain,
        "sourceName": source,
        "quotedSourceName": qualified_source_name(engine, schema or source_db, source),
        "strategy": entry["strategy"],
        "primaryKey": list(entry.get("primaryKey", [])),
        "pii": list(entry.get("pii", [])),
        "rawPath": raw_table_path(lake_uri, domain, name),
        "rawDatabase": catalog_database(prefix, domain, "raw"),
        "targetDatabase": catalog_database(prefix, domain, "full"),
        "targetTable": name,
    }
    if entry["strategy"] == "incremental":
        spec["cursor"] = entry["cursor"]
        spec["lookbackSeconds"] = int(entry.get("lookbackSeconds", lookback_seconds))
    if entry["strategy"] == "append":
        spec["key"] = entry["key"]
    return spec


def lease_tables(client: Any, manifest: dict[str, Any], take_leases: bool = True) -> dict[str, Any]:
    """The manifest with the tables whose lease its run could take (like the coordinator), each
    with its watermark from the state table."""
    state_table, run_id = manifest["lake"]["stateTable"], manifest["runId"]
    ensure_state_table(client, state_table)
    tables = []
    for spec in manifest["tables"]:
        name = spec["name"]
        if take_leases and not take_lease(
            client, state_table, name, run_id, manifest["tier"], manifest["leaseExpiresAt"]
        ):
            continue
        tables.append({**spec, "watermark": watermark_of(get_item(client, state_table, name))})
    return {**manifest, "tables": tables}


def plan_run(
    client: Any,
    *,
    run_id: str,
    tier: str,
    specs: list[dict[str, Any]],
    lake_uri: str,
    state_table: str,
    catalog: str = "lake",
    source_db: str = "erp",
    lease_seconds: int = 3600,
    take_leases: bool = True,
    source_time_zone: str | None = None,
    engine: str = "mariadb",
    schema: str | None = None,
) -> dict[str, Any]:
    """Manifest for given table specs (tests, benchmark), leased like the coordinator."""
    source: dict[str, Any] = {"engine": engine, "database": source_db, "schema": schema or source_db}
    if source_time_zone is not None:
        source["timeZone"] = source_time_zone
    manifest = {
        "version": 1,
        "runId": run_id,
        "tier": tier,
        "createdAt": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "leaseExpiresAt": int(time.time()) + lease_seconds,
        "source": source,
        "lake": {
            "rawRoot": lake_uri,
            "warehouseRoot": f"{lake_uri}warehouse/",
            "stateTable": state_table,
            "catalog": catalog,
        },
        "tables": [{**spec, "watermark": None} for spec in specs],
    }
    return lease_tables(client, manifest, take_leases)


def tier_manifest(
    *,
    tier: str,
    tables: list[str],
    lake_uri: str,
    run_id: str,
    state_table: str,
    source_db: str,
    lease_seconds: int = 3600,
    tables_yaml: str | None = None,
    source_time_zone: str | None = None,
    engine: str = "mariadb",
    schema: str | None = None,
) -> dict[str, Any]:
    """The coordinator's manifest for a tier (or named tables) from tables.yaml, built by
    scripts/local-manifest.ts (the TypeScript model and buildManifest), watermarks null.
    engine/schema: the source's (lake:source.engine and .schema; schema defaults per engine)."""
    command = [
        "npx",
        "ts-node",
        "--transpile-only",
        os.path.join(REPO, "scripts", "local-manifest.ts"),
        "--tier",
        tier,
        "--tables",
        ",".join(tables),
        "--lake-uri",
        lake_uri,
        "--run-id",
        run_id,
        "--state-table",
        state_table,
        "--source-db",
        source_db,
        "--lease-expires-at",
        str(int(time.time()) + lease_seconds),
        "--source-engine",
        engine,
    ]
    if schema is not None:
        command += ["--source-schema", schema]
    if tables_yaml is not None:
        command += ["--tables-yaml", tables_yaml]
    if source_time_zone is not None:
        command += ["--source-time-zone", source_time_zone]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr.strip() or f"scripts/local-manifest.ts failed with exit code {done.returncode}")
    manifest: dict[str, Any] = json.loads(done.stdout)
    return manifest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="local_harness")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("plan", help="lease tables and write a run manifest; prints its path")
    p.add_argument("--lake", required=True, help="local lake folder")
    p.add_argument("--tier", default="daily")
    p.add_argument("--tables", default="", help="comma-separated lake table names (default: the tier's)")
    p.add_argument("--run-id", default="")
    p.add_argument("--state-table", default="lake-state")
    p.add_argument("--source-db", default="erp")
    p.add_argument("--tables-yaml", default=None, help="default: the repository's tables.yaml")
    p.add_argument("--source-time-zone", default=None, help="default: SOURCE_TIME_ZONE, else UTC")
    a = parser.parse_args(argv)
    lake = os.path.abspath(a.lake)
    lake_uri = f"file://{lake}/"
    run_id = a.run_id or f"{a.tier}-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
    planned = tier_manifest(
        tier=a.tier,
        tables=[t for t in a.tables.split(",") if t],
        lake_uri=lake_uri,
        run_id=run_id,
        state_table=a.state_table,
        source_db=a.source_db,
        tables_yaml=a.tables_yaml,
        source_time_zone=a.source_time_zone,
    )
    manifest = lease_tables(ddb_client(), planned)
    path = os.path.join(lake, "manifests", a.tier, f"{run_id}.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
