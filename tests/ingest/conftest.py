from __future__ import annotations

from typing import Any

import pytest

from tests.ingest.helpers import Lake


@pytest.fixture(scope="module")
def lake(spark: Any, warehouse: str, srcdb: str, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return Lake(spark, warehouse, srcdb, str(tmp_path_factory.mktemp("manifests")))
