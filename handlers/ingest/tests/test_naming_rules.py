"""Naming and quoting rules, Python side, on the cases the TypeScript side runs too
(test/fixtures/naming-cases.json, test/model/namingRules.test.ts)."""

from __future__ import annotations

import json
import os
from typing import Any

from lake_ingest.dialects import SourceColumn, dialect_for
from lake_ingest.naming import catalog_database, qualified_source_name, raw_table_path

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


def cases() -> dict[str, Any]:
    with open(os.path.join(REPO, "test", "fixtures", "naming-cases.json"), encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def test_quotes_identifiers_per_engine() -> None:
    for case in cases()["quoting"]:
        assert dialect_for(case["engine"]).quote(case["name"]) == case["quoted"], case


def test_qualifies_source_tables() -> None:
    for case in cases()["qualified"]:
        assert qualified_source_name(case["engine"], case["schema"], case["table"]) == case["quoted"], case


def test_names_catalog_databases() -> None:
    for case in cases()["catalog"]:
        assert catalog_database(case["prefix"], case["domain"], "full") == case["full"]
        assert catalog_database(case["prefix"], case["domain"], "raw") == case["raw"]


def test_places_raw_folders() -> None:
    for case in cases()["rawPaths"]:
        assert raw_table_path(case["root"], case["domain"], case["table"]) == case["path"]


def test_names_lake_columns() -> None:
    for case in cases()["lakeColumns"]:
        assert SourceColumn(case["source"], "int", "int", None).lake_name == case["lake"]
