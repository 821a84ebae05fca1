"""Reconciliation of a table changed everywhere (real MariaDB, local Spark + Iceberg, moto).

When the changes are spread over every key range, bisecting further costs another aggregate of
the whole table on both sides and finds every child different too: the reconcile stops at the
first level below the top where most rows differ, re-reads those buckets, and is still exact."""

from __future__ import annotations

import pytest

from lake_ingest import reconcile
from tests.helpers import Lake


@pytest.fixture(autouse=True)
def one_top_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2,000 keys in [1, 2000]: one top bucket (level 0, width 4096), 8 children of 256 keys at
    # level 1, then 16-key and 1-key buckets below; leaves of at most 2 rows.
    monkeypatch.setattr(reconcile, "CHUNK_ROWS", 4096)
    monkeypatch.setattr(reconcile, "LEAF_ROWS", 2)


def test_changes_everywhere_stop_the_bisection_and_repair_exactly(lake: Lake) -> None:
    lake.sql(
        "CREATE TABLE price_list (id INT NOT NULL PRIMARY KEY, price DECIMAL(12,2) NOT NULL, "
        "updated_at DATETIME(6) NOT NULL)"
    )
    values = ", ".join(f"({i}, {i}.25, '2024-01-01 00:00:00')" for i in range(1, 2001))
    lake.sql(f"INSERT INTO price_list VALUES {values}")
    spec = lake.spec(name="price_list", strategy="incremental", cursor="updated_at", primaryKey=["id"])
    assert lake.load_one(spec).status == "LOADED"

    # a repricing that keeps the cursor: every row changed, none seen by the incremental load
    lake.sql("UPDATE price_list SET price = price + 1, updated_at = updated_at WHERE id % 3 = 0 OR id % 3 = 1")
    changed = sum(1 for i in range(1, 2001) if i % 3 in (0, 1))
    res = lake.load_one({**spec, "reconcile": {"mode": "repair", "skipLoad": True, "repairAlertRows": 0}})
    assert res.status == "LOADED", res.error
    block = res.reconcile
    assert block is not None and block["equal"] is False
    assert (block["rowsDeleted"], block["rowsUpdated"], block["rowsInserted"]) == (0, changed, 0)
    # The top level holds 1 or 8 buckets (from the row estimate); the bisection stops at the first
    # level below it where most rows differ (8 or 125 buckets). Without the stop it would compare
    # every level down to the 2,000 one-key buckets (2,134 ranges).
    assert block["rangesCompared"] <= 8 + 125
    assert block["rangesRepaired"] <= 125
    assert lake.assert_full_copy_equals_source(spec) == 2000
