#!/usr/bin/env bash
# Compares (verify) or compares and repairs (repair) full copies of a local lake with the local
# MariaDB or PostgreSQL source, by running the real ingest job with reconcile {skipLoad: true} for the chosen
# tables (handlers/ingest/reconcile_local.py; used by `lake verify` / `lake reconcile`).
#
#   scripts/reconcile-local.sh [--tables-yaml F] [--source-db DB] [--lake-dir D]
#                              [--source-schema S] (--tables a,b | --domain d | --all) --mode verify|repair
#
# Prints one JSON document on stdout: {"tables": [{"name", "status", "reconcile", "error"}],
# "differing": N, "repaired": M}; the job's logs go to stderr. Exit 0 when every table was equal
# (verify) or is equal after repair (repair), 1 when a table differs (verify) or a repair failed,
# 2 on bad input. Environment as for scripts/run-ingest-local.sh (MOTO_PORT, LAKE_SOURCE_*); the
# source URL defaults to the --source-db database on 127.0.0.1:3306. A PostgreSQL source:
# LAKE_SOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5433/<db> (the engine follows the URL) and
# --source-schema or LAKE_SOURCE_SCHEMA (default public).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source_db=erp
args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in
    --source-db) source_db="${2:-}"; shift 2 || shift ;;
    *) shift ;;
  esac
done
venv="$("$root/scripts/python-env.sh")"
case "${LAKE_SOURCE_JDBC_URL:-}" in
  jdbc:postgresql:*) "$root/scripts/postgres.sh" >/dev/null ;;
  *) "$root/scripts/mariadb.sh" >/dev/null ;;
esac
export MOTO_PORT="${MOTO_PORT:-5055}"
moto="$("$root/scripts/moto-server.sh" start)"
export AWS_ENDPOINT_URL_DYNAMODB="$moto" AWS_ENDPOINT_URL_S3="$moto"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-central-1}"
export LAKE_SOURCE_JDBC_URL="${LAKE_SOURCE_JDBC_URL:-jdbc:mysql://127.0.0.1:3306/$source_db}"
exec env PYTHONPATH="$root/handlers/ingest" "$venv/bin/python" "$root/handlers/ingest/reconcile_local.py" "${args[@]}"
