"""scripts/reconcile-local.sh (`lake verify` / `lake reconcile` on a local lake): the real job in
spark-submit against the demo schema in a scratch database; verify finds a delete and a silent
update (exit 1), repair fixes them (exit 0), verify then agrees (exit 0); bad input exits 2."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import local_harness
from tests.conftest import REPO
from tests.ingest.helpers import Lake

SCRIPT = os.path.join(REPO, "scripts", "reconcile-local.sh")


def run_script(*args: str) -> tuple[int, dict[str, Any] | None]:
    done = subprocess.run([SCRIPT, *args], capture_output=True, text=True, check=False, cwd=REPO)
    try:
        return done.returncode, json.loads(done.stdout)
    except json.JSONDecodeError:
        return done.returncode, None


def test_verify_repair_verify(lake: Lake) -> None:
    with open(os.path.join(REPO, "demo", "source", "schema.sql"), encoding="utf-8") as handle:
        schema = handle.read()
    # The file drops and re-creates the shared erp database: keep only what follows its USE erp.
    marker = "USE erp;"
    assert schema.count(marker) == 1
    subprocess.run(
        ["mysql", "-h", "127.0.0.1", "-P", "3306", "-u", os.environ["LAKE_SOURCE_USER"], lake.srcdb],
        input=schema.split(marker, 1)[1],
        text=True,
        check=True,
        env={**os.environ, "MYSQL_PWD": os.environ["LAKE_SOURCE_PASSWORD"]},
    )
    lake.sql(
        "INSERT INTO customer (customer_number, company_name, country_code) VALUES "
        + ", ".join(f"('C{i:04d}', 'Company {i}', 'DE')" for i in range(1, 31))
    )
    lake_dir = lake.lake_uri[len("file://") :].rstrip("/")
    manifest = local_harness.lease_tables(
        lake.ddb,
        local_harness.tier_manifest(
            tier="daily",
            tables=["customer"],
            lake_uri=lake.lake_uri,
            run_id="first-load-customer",
            state_table="lake-state",
            source_db=lake.srcdb,
        ),
    )
    path = os.path.join(lake.tmp_dir, "first-load-customer.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle)
    assert lake.run_manifest(path).tables[0].status == "LOADED"

    lake.sql(
        "DELETE FROM customer WHERE customer_number = 'C0007'",
        "UPDATE customer SET company_name = 'Renamed', updated_at = updated_at WHERE customer_number = 'C0020'",
    )
    common = ["--source-db", lake.srcdb, "--lake-dir", lake_dir, "--tables", "customer"]
    code, out = run_script(*common, "--mode", "verify")
    assert code == 1 and out is not None, out
    assert out["differing"] == 1 and out["repaired"] == 0
    (table,) = out["tables"]
    assert table["name"] == "customer" and table["reconcile"]["equal"] is False

    code, out = run_script(*common, "--mode", "repair")
    assert code == 0 and out is not None, out
    block = out["tables"][0]["reconcile"]
    assert (block["rowsDeleted"], block["rowsUpdated"], block["rowsInserted"]) == (1, 1, 0)
    assert out["repaired"] == 1

    code, out = run_script(*common, "--mode", "verify")
    assert code == 0 and out is not None and out["differing"] == 0, out
    assert local_harness.get_item(lake.ddb, "lake-state", "customer")["lastReconcileEqual"] == {"BOOL": True}

    assert run_script(*common[:4], "--tables", "no_such_table", "--mode", "verify")[0] == 2
    assert run_script(*common)[0] == 2  # no --mode
