"""Pure-Python dependencies that ride inside the job's zip (Glue's job may have no PyPI access).

Filled by scripts/ingest-deps.sh (handlers/ingest/vendor_wheels.py) from the wheels pinned with
their hashes in handlers/ingest/requirements.txt; only this file is kept in git.
"""
