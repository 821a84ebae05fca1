"""The JSON contracts of handlers/contracts/, read where the job runs.

In Glue they travel inside the package zip as lake_ingest/<name> (copied at zip time, see
build_zip.py and components/packageFiles.ts); in the repository they are read from
handlers/contracts/, so there is one copy of each.
"""

from __future__ import annotations

import functools
import json
import os
import pkgutil
from typing import Any


@functools.cache
def load_contract(name: str) -> dict[str, Any]:
    data: bytes | None = None
    try:
        data = pkgutil.get_data(__name__.rsplit(".", 1)[0], name)
    except (FileNotFoundError, OSError):
        data = None
    if data is None:
        here = os.path.dirname(os.path.abspath(__file__))
        with open(os.path.join(here, "..", "..", "contracts", name), "rb") as handle:
            data = handle.read()
    document: dict[str, Any] = json.loads(data)
    return document
