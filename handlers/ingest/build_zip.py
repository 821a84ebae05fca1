"""Builds the --extra-py-files zip: lake_ingest/ plus the contracts the job reads
(lake_ingest/run-manifest.schema.json, lake_ingest/state-table.json), copied from
handlers/contracts/ at zip time (the repository keeps one copy of each).
lake_ingest/_vendor/ rides along: the pinned wheels scripts/ingest-deps.sh unpacked there.

  python handlers/ingest/build_zip.py [OUT.zip]     (default: .cache/lake_ingest.zip)

Same layout as IngestCode's AssetArchive (packageDir lake_ingest + packageExtras of
components/packageFiles.ts: each lake_ingest/<name> from handlers/contracts/<name>).
"""

from __future__ import annotations

import os
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE = os.path.join(HERE, "lake_ingest")
CONTRACTS = os.path.join(HERE, "..", "contracts")
CONTRACT_FILES = ("run-manifest.schema.json", "state-table.json")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # reproducible bytes for the same sources


def build_zip(out: str) -> str:
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    entries: list[tuple[str, str]] = []
    for dirpath, dirnames, filenames in os.walk(PACKAGE):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(dirpath, name)
            entries.append((os.path.join("lake_ingest", os.path.relpath(path, PACKAGE)), path))
    entries += [(f"lake_ingest/{name}", os.path.join(CONTRACTS, name)) for name in CONTRACT_FILES]
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for arcname, path in entries:
            info = zipfile.ZipInfo(arcname, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(path, "rb") as handle:
                zf.writestr(info, handle.read())
    return out


if __name__ == "__main__":
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "..", ".cache", "lake_ingest.zip")
    print(build_zip(target))
