"""Where the job writes its outcome by default: never under manifests/, which its role may only read."""

from __future__ import annotations

from lake_ingest.job import result_uri_for


def test_s3_manifest_result_goes_under_results() -> None:
    uri = "s3://acme-dev-scripts/manifests/daily/daily-20240506T233000Z-0a1b2c3d.json"
    assert result_uri_for(uri) == "s3://acme-dev-scripts/results/daily/daily-20240506T233000Z-0a1b2c3d.json"


def test_s3_manifest_outside_manifests_still_goes_under_results() -> None:
    assert result_uri_for("s3://b/elsewhere/run.json") == "s3://b/results/elsewhere/run.json"


def test_local_manifest_result_sits_beside_it() -> None:
    assert result_uri_for("/tmp/lake/manifest.json") == "/tmp/lake/manifest.json.result.json"
    assert result_uri_for("file:///tmp/lake/manifest.json") == "file:///tmp/lake/manifest.json.result.json"
