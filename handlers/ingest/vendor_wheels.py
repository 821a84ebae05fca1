"""Unpacks the job's pinned pure-Python wheels into lake_ingest/_vendor/ (the job's zip carries them).

  python handlers/ingest/vendor_wheels.py        (scripts/ingest-deps.sh runs it)

pip downloads the wheels listed in handlers/ingest/requirements.txt with --require-hashes, so a
wheel whose bytes differ from the pinned hash is refused. Does nothing when every pinned version
is already unpacked. Only pure-Python wheels (py3-none-any) are accepted: Glue loads the zip with
zipimport, which cannot load compiled extensions.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
VENDOR = os.path.join(HERE, "lake_ingest", "_vendor")
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([A-Za-z0-9_.+-]+)\s")
KEEP = {"__init__.py"}  # the folder's own file, kept in git


def pinned(requirements: str) -> list[tuple[str, str]]:
    pins: list[tuple[str, str]] = []
    with open(requirements, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            text = line.strip()
            if not text or text.startswith("#"):
                continue
            match = PIN.match(text + " ")
            if not match or "--hash=sha256:" not in text:
                raise SystemExit(f"{requirements}:{number}: expected NAME==VERSION --hash=sha256:..., got {text!r}")
            pins.append((match.group(1), match.group(2)))
    return pins


def dist_info(name: str, version: str) -> str:
    return f"{name.replace('-', '_')}-{version}.dist-info"


def vendor(requirements: str = REQUIREMENTS, target: str = VENDOR) -> list[str]:
    pins = pinned(requirements)
    wanted = {dist_info(n, v) for n, v in pins}
    present = {e for e in os.listdir(target) if e.endswith(".dist-info")} if os.path.isdir(target) else set()
    if present == wanted:
        return sorted(wanted)
    for entry in os.listdir(target):
        if entry not in KEEP:
            path = os.path.join(target, entry)
            shutil.rmtree(path) if os.path.isdir(path) else os.remove(path)
    with tempfile.TemporaryDirectory() as wheels:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check", "--no-deps"]
            + ["--only-binary=:all:", "--require-hashes", "-r", requirements, "-d", wheels],
            check=True,
        )
        for wheel in sorted(os.listdir(wheels)):
            if not wheel.endswith("-py3-none-any.whl"):
                raise SystemExit(f"{wheel}: not a pure-Python wheel; the job's zip can carry only pure Python")
            with zipfile.ZipFile(os.path.join(wheels, wheel)) as archive:
                archive.extractall(target)
    return sorted(wanted)


if __name__ == "__main__":
    print("\n".join(vendor()))
