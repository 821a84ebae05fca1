"""Glue job script (and local entry point): loads the tables of one run manifest.

Glue: --run_id and --manifest_uri per run (the coordinator), the lake_ingest package via
--extra-py-files. Locally: scripts/run-ingest-local.sh. Exits non-zero when any table failed.
"""

import os
import sys

# Locally (spark-submit from the repository) the package sits next to this script; in Glue it
# comes from the --extra-py-files zip, which is already on sys.path.
_here = os.path.dirname(os.path.abspath(globals().get("__file__", "") or "."))
if os.path.isdir(os.path.join(_here, "lake_ingest")):
    sys.path.insert(0, _here)

from lake_ingest.job import main  # noqa: E402

code = main(sys.argv)
if code:
    sys.exit(code)
