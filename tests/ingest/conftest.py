from __future__ import annotations

from typing import Any

import pytest

from tests.ingest.helpers import Lake


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Modules with ENGINES = (...) run every test once per source engine."""
    engines = getattr(metafunc.module, "ENGINES", None)
    if engines and "engine" in metafunc.fixturenames:
        metafunc.parametrize("engine", engines, indirect=True, scope="module")


@pytest.fixture(scope="module")
def lake(spark: Any, warehouse: str, srcdb: str, engine: str, tmp_path_factory: pytest.TempPathFactory) -> Lake:
    return Lake(spark, warehouse, srcdb, str(tmp_path_factory.mktemp("manifests")), engine)
