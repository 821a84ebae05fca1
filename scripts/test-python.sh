#!/usr/bin/env bash
# Lints and tests the Python side (the Glue ingest job): ruff, mypy, then pytest against the real
# local MariaDB, local Spark with Iceberg, and moto for the state table. Installs what it needs
# (venv, jars, MariaDB) and starts/stops its own moto server on MOTO_PORT (default 5056).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
venv="$("$root/scripts/python-env.sh")"
"$root/scripts/ingest-deps.sh" >/dev/null
"$root/scripts/mariadb.sh"
"$root/scripts/postgres.sh" >/dev/null
export MOTO_PORT="${MOTO_PORT:-5056}"
started_moto=0
if ! curl -fsS "http://127.0.0.1:$MOTO_PORT/moto-api/" >/dev/null 2>&1; then started_moto=1; fi
"$root/scripts/moto-server.sh" start >/dev/null
cleanup() { if [ "$started_moto" = 1 ]; then "$root/scripts/moto-server.sh" stop; fi; }
trap cleanup EXIT

"$venv/bin/ruff" check handlers/ingest bench
"$venv/bin/ruff" format --check handlers/ingest bench || {
  echo "ruff format would change files (run: .venv/bin/ruff format handlers/ingest bench)" >&2
  exit 1
}
# Strict type check of the job, its local runners, bench/ and demo/verify.py (mypy.ini).
"$venv/bin/mypy" --config-file mypy.ini
export TZ=UTC
"$venv/bin/python" -m pytest -q -p no:cacheprovider handlers/ingest/tests "$@"
