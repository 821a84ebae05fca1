"""The Glue script itself, run unchanged by spark-submit through scripts/run-ingest-local.sh:
exit code, INGEST_RESULT line and result file; plus the package zip Glue imports."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile

from tests.conftest import REPO
from tests.helpers import Lake


def test_script_runs_under_spark_submit_and_reports(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE tax_code (tax_code VARCHAR(10) NOT NULL, country_code CHAR(2) NOT NULL,"
        " rate DECIMAL(5,2) NOT NULL, PRIMARY KEY (tax_code, country_code))",
        "INSERT INTO tax_code VALUES ('S','DE',19.00), ('R','DE',7.00)",
    )
    good = lake.spec(name="tax_code", domain="finance", strategy="snapshot", primaryKey=["tax_code", "country_code"])
    bad = lake.spec(name="nowhere", domain="finance", strategy="snapshot")
    manifest = lake.plan([good, bad])
    env = {**os.environ, "LAKE_SOURCE_JDBC_URL": "jdbc:mysql://127.0.0.1:3306/"}
    proc = subprocess.run(
        ["bash", os.path.join(REPO, "scripts", "run-ingest-local.sh"), "--manifest", manifest],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 1, proc.stderr[-3000:]  # one table failed -> non-zero, after trying all
    line = next(ln for ln in proc.stdout.splitlines() if ln.startswith("INGEST_RESULT "))
    printed = json.loads(line[len("INGEST_RESULT ") :])
    with open(manifest + ".result.json", encoding="utf-8") as handle:
        assert json.load(handle) == printed
    by = {t["name"]: t for t in printed["tables"]}
    assert by["tax_code"]["status"] == "LOADED" and by["nowhere"]["status"] == "FAILED"
    assert lake.state("tax_code")["lastStatus"] == "LOADED"
    lake.assert_full_copy_equals_source(good)
    assert os.environ["LAKE_SOURCE_PASSWORD"] not in proc.stdout + proc.stderr


def test_package_zip_imports_and_carries_the_schema(tmp_path: object) -> None:
    out = os.path.join(str(tmp_path), "lake_ingest.zip")
    subprocess.run(
        [sys.executable, os.path.join(REPO, "handlers", "ingest", "build_zip.py"), out], check=True, capture_output=True
    )
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    assert "lake_ingest/run-manifest.schema.json" in names and "lake_ingest/job.py" in names
    assert "lake_ingest/state-table.json" in names
    assert not any("__pycache__" in n for n in names)
    # Import from the zip alone (as Glue does with --extra-py-files) and load the schema from it.
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import lake_ingest.manifest as m; "
        "assert m.__file__.startswith(sys.argv[1]), m.__file__; "
        "s = m.load_schema(); print(s['$id']); import lake_ingest.state as st; print(st.table_key('t'))"
    )
    proc = subprocess.run(
        [sys.executable, "-S", "-c", code, out],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        env={"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(p for p in sys.path if "site-packages" in p)},
    )
    assert proc.returncode == 0, proc.stderr
    assert "run-manifest.schema.json" in proc.stdout
    assert "table#t" in proc.stdout, "the state contract is read from the zip"


def test_package_zip_validates_manifests_with_no_site_packages(tmp_path: object) -> None:
    """The zip alone (no site-packages at all, -I -S) carries the manifest's validator."""
    from tests.test_units import manifest_doc

    out = os.path.join(str(tmp_path), "lake_ingest.zip")
    subprocess.run(
        [sys.executable, os.path.join(REPO, "handlers", "ingest", "build_zip.py"), out], check=True, capture_output=True
    )
    with zipfile.ZipFile(out) as zf:
        names = set(zf.namelist())
    assert "lake_ingest/_vendor/fastjsonschema/__init__.py" in names
    assert any(n.startswith("lake_ingest/_vendor/fastjsonschema-") and n.endswith("/LICENSE") for n in names)
    good = manifest_doc()
    bad = manifest_doc(strategy="append")  # no key column
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from lake_ingest.errors import ManifestError; from lake_ingest.manifest import parse_manifest; "
        "import lake_ingest._vendor.fastjsonschema as v; assert v.__file__.startswith(sys.argv[1]), v.__file__; "
        "assert not [p for p in sys.path if 'site-packages' in p], sys.path; "
        "print(parse_manifest(json.loads(sys.argv[2])).tables[0].name)\n"
        "try:\n parse_manifest(json.loads(sys.argv[3]))\nexcept ManifestError as exc:\n print(exc)"
    )
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", code, out, json.dumps(good), json.dumps(bad)],
        capture_output=True,
        text=True,
        cwd=str(tmp_path),
        env={"PATH": os.environ["PATH"]},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "customer",
        "run manifest is invalid at tables/0 (table customer): must contain ['key'] properties",
    ]


def test_invalid_manifest_is_reported_and_exits_2(lake: Lake, tmp_path: object, capsys: object) -> None:
    from lake_ingest.job import main

    path = os.path.join(str(tmp_path), "bad.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump({"version": 1, "runId": "r-bad", "tables": []}, handle)
    assert main(["ingest_job.py", "--run_id", "r-bad", "--manifest_uri", path]) == 2
    with open(path + ".result.json", encoding="utf-8") as handle:
        result = json.load(handle)
    assert (
        result["status"] == "FAILED"
        and result["tables"] == []
        and "invalid at (root): must contain ['createdAt', 'lake'" in result["error"]
    )
    assert "INGEST_RESULT " in capsys.readouterr().out  # type: ignore[attr-defined]
