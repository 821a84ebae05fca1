"""`lake verify` / `lake reconcile` against a local lake (scripts/reconcile-local.sh): plans a run
of the chosen tables with reconcile {mode, skipLoad: true} like the coordinator (manifest from
scripts/local-manifest.ts, leases in the local state table), runs the real job through
scripts/run-ingest-local.sh and prints one JSON document on stdout:
  {"tables": [{"name", "status", "reconcile", "error"}], "differing": N, "repaired": M}
differing: tables found different from their source; repaired: tables whose repair wrote rows.
Exit 0 when every table was equal (verify) or was repaired (repair), 1 when a table differs
(verify) or failed, 2 on bad input (unknown table or domain, bad option).
The source engine follows LAKE_SOURCE_JDBC_URL (jdbc:postgresql:... is PostgreSQL, anything else
MariaDB/MySQL); --source-schema (default LAKE_SOURCE_SCHEMA, else the engine's default: the
database on MariaDB, public on PostgreSQL) names where its tables are.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from typing import Any

import local_harness

DEFAULT_ALERT_ROWS = 100  # tables.yaml's default reconcileAlertRows


class BadInput(Exception):
    pass


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="reconcile-local.sh", exit_on_error=False)
    p.add_argument("--tables-yaml", default=None)
    p.add_argument("--source-db", default="erp")
    p.add_argument("--lake-dir", default=os.path.join(local_harness.REPO, ".lake"))
    p.add_argument("--tier", default="daily", help="the catch-all tier (syncsAllTables)")
    p.add_argument("--state-table", default="lake-state")
    p.add_argument("--source-schema", default=os.environ.get("LAKE_SOURCE_SCHEMA") or None)
    which = p.add_mutually_exclusive_group()
    which.add_argument("--tables", default=None)
    which.add_argument("--domain", default=None)
    which.add_argument("--all", action="store_true")
    p.add_argument("--mode", choices=("verify", "repair"), default=None)
    try:
        a = p.parse_args(argv)
    except (argparse.ArgumentError, SystemExit) as exc:
        raise BadInput(str(exc) or "bad arguments") from None
    if a.mode is None:
        raise BadInput("--mode verify|repair is required")
    if not (a.tables or a.domain or a.all):
        raise BadInput("choose the tables: --tables a,b, --domain d or --all")
    return a


def source_engine(jdbc_url: str) -> str:
    """The manifest's source.engine for the URL the job will read (scripts/reconcile-local.sh)."""
    return "postgresql" if jdbc_url.startswith("jdbc:postgresql:") else "mariadb"


def plan(a: argparse.Namespace, run_id: str, lake: str) -> dict[str, Any]:
    tables = [t for t in (a.tables or "").split(",") if t]
    try:
        manifest = local_harness.tier_manifest(
            tier=a.tier,
            tables=tables,
            lake_uri=f"file://{lake}/",
            run_id=run_id,
            state_table=a.state_table,
            source_db=a.source_db,
            tables_yaml=a.tables_yaml,
            engine=source_engine(os.environ.get("LAKE_SOURCE_JDBC_URL", "")),
            schema=a.source_schema,
        )
    except SystemExit as exc:  # local-manifest.ts: unknown table, bad tables.yaml, ...
        raise BadInput(str(exc)) from None
    specs = manifest["tables"]
    if a.domain:
        specs = [s for s in specs if s["domain"] == a.domain]
        if not specs:
            raise BadInput(f"no enabled table in domain {a.domain}")
    for spec in specs:
        alert = (spec.get("reconcile") or {}).get("repairAlertRows", DEFAULT_ALERT_ROWS)
        spec["reconcile"] = {"mode": a.mode, "skipLoad": True, "repairAlertRows": alert}
    return {**manifest, "tables": specs}


def outcome(planned: list[str], result: dict[str, Any], mode: str) -> tuple[dict[str, Any], int]:
    by_name = {t["name"]: t for t in result.get("tables", [])}
    rows: list[dict[str, Any]] = []
    for name in planned:
        t = by_name.get(name)
        if t is None:
            error = result.get("error") or "not leased: another run holds the table"
            rows.append(
                {
                    "name": name,
                    "status": "REFUSED" if not result.get("error") else "FAILED",
                    "reconcile": None,
                    "error": error,
                }
            )
        else:
            rows.append({"name": name, "status": t["status"], "reconcile": t.get("reconcile"), "error": t.get("error")})
    differing = sum(1 for r in rows if r["reconcile"] is not None and not r["reconcile"]["equal"])
    repaired = sum(
        1
        for r in rows
        if r["reconcile"] is not None
        and r["reconcile"]["rowsDeleted"] + r["reconcile"]["rowsUpdated"] + r["reconcile"]["rowsInserted"] > 0
    )
    failed = any(r["reconcile"] is None for r in rows)
    code = 1 if failed or (mode == "verify" and differing) else 0
    return {"tables": rows, "differing": differing, "repaired": repaired}, code


def main(argv: list[str]) -> int:
    try:
        a = parse(argv)
        lake = os.path.abspath(a.lake_dir)
        os.makedirs(lake, exist_ok=True)
        run_id = f"reconcile-{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%f')}"
        manifest = plan(a, run_id, lake)
    except BadInput as exc:
        print(f"reconcile-local: {exc}", file=sys.stderr)
        return 2
    planned = [t["name"] for t in manifest["tables"]]
    leased = local_harness.lease_tables(local_harness.ddb_client(), manifest)
    path = os.path.join(lake, "manifests", "reconcile", f"{run_id}.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(leased, handle, indent=2)
    result: dict[str, Any] = {"tables": []}
    if leased["tables"]:
        runner = os.path.join(local_harness.REPO, "scripts", "run-ingest-local.sh")
        done = subprocess.run(
            [runner, "--manifest", path, "--lake", lake], stdout=subprocess.PIPE, text=True, check=False
        )
        lines = [ln for ln in done.stdout.splitlines() if ln.startswith("INGEST_RESULT ")]
        if lines:
            result = json.loads(lines[-1][len("INGEST_RESULT ") :])
        else:
            result = {"tables": [], "error": f"the job ended with exit code {done.returncode} and no result"}
    document, code = outcome(planned, result, a.mode)
    print(json.dumps(document, indent=2))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
