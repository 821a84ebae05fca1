#!/usr/bin/env bash
# Runs the Glue job script unchanged under local Spark: the local MariaDB as the source, a local
# folder as the lake (Iceberg Hadoop catalog + raw Parquet), moto as the state table's endpoint.
#
#   scripts/run-ingest-local.sh [--tier daily] [--tables customer,customer_address] [--lake DIR]
#                               [--tables-yaml FILE] [--source-db DB] [--state-table NAME]
#   scripts/run-ingest-local.sh --manifest path/to/manifest.json     (an existing manifest)
#
# --tables-yaml: another lake's tables.yaml (default: the repository's); --source-db: the source
# database (default erp; also the database of the default JDBC URL). Each lake folder has its
# own state table on the local endpoint (default: lake-state-<folder name>-<hash of its path>,
# printed on stderr), so two local lakes never share a watermark.
#
# Without --manifest it first plays the coordinator's part (handlers/ingest/local_harness.py):
# the manifest comes from scripts/local-manifest.ts (tables.yaml through the TypeScript model,
# built by the coordinator's buildManifest; needs Node and the npm install), then the tables are
# leased in the state table and their watermarks filled in.
# The outcome is printed (INGEST_RESULT line) and written to <manifest>.result.json.
# Environment: LAKE_SOURCE_JDBC_URL (default jdbc:mysql://127.0.0.1:3306/<--source-db>), LAKE_SOURCE_USER,
# LAKE_SOURCE_PASSWORD (defaults: the local user scripts/mariadb.sh creates), MOTO_PORT,
# SOURCE_TIME_ZONE (IANA zone the source writes DATETIME values in; default UTC).
# The demo's erp database: scripts/mariadb.sh, then load demo/source/schema.sql into it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tier=daily tables="" lake="$root/.lake" manifest="" run_id="" tables_yaml="" source_db=erp state_table=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tier) tier="$2"; shift 2 ;;
    --tables) tables="$2"; shift 2 ;;
    --lake) lake="$2"; shift 2 ;;
    --manifest) manifest="$2"; shift 2 ;;
    --run-id) run_id="$2"; shift 2 ;;
    --tables-yaml) tables_yaml="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --source-db) source_db="$2"; shift 2 ;;
    --state-table) state_table="$2"; shift 2 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
venv="$("$root/scripts/python-env.sh")"
jars="$("$root/scripts/ingest-deps.sh")"
"$root/scripts/mariadb.sh" >/dev/null
export MOTO_PORT="${MOTO_PORT:-5055}"
moto="$("$root/scripts/moto-server.sh" start)"
export AWS_ENDPOINT_URL_DYNAMODB="$moto" AWS_ENDPOINT_URL_S3="$moto"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-eu-central-1}"
export LAKE_SOURCE_USER="${LAKE_SOURCE_USER:-lake_ingest}" LAKE_SOURCE_PASSWORD="${LAKE_SOURCE_PASSWORD:-lake_ingest_local}"
export TZ=UTC PYSPARK_PYTHON="$venv/bin/python" PYSPARK_DRIVER_PYTHON="$venv/bin/python"
mkdir -p "$lake"
lake="$(cd "$lake" && pwd)"
if [ -z "$state_table" ]; then
  # DynamoDB names allow [A-Za-z0-9_.-]; the hash tells apart two folders with the same name.
  folder="$(basename "$lake" | tr -c 'A-Za-z0-9_.\n-' '-' | cut -c1-80)"
  state_table="lake-state-${folder}-$(printf '%s' "$lake" | sha256sum | cut -c1-8)"
fi

if [ -z "$manifest" ]; then
  echo "state table: $state_table (endpoint $moto)" >&2
  manifest="$("$venv/bin/python" "$root/handlers/ingest/local_harness.py" plan --lake "$lake" --tier "$tier" \
    --tables "$tables" ${run_id:+--run-id "$run_id"} --state-table "$state_table" --source-db "$source_db" \
    ${tables_yaml:+--tables-yaml "$tables_yaml"})"
fi
read -r run_id catalog warehouse < <("$venv/bin/python" -c '
import json, sys
m = json.load(open(sys.argv[1]))
print(m["runId"], m["lake"]["catalog"], m["lake"]["warehouseRoot"])' "$manifest")

props="$lake/spark-$catalog.properties"
PYTHONPATH="$root/handlers/ingest" "$venv/bin/python" -c '
import sys
from lake_ingest.localconf import local_spark_conf, properties_file_text
conf = local_spark_conf(sys.argv[1], sys.argv[2], sys.argv[3])
conf.pop("spark.master")
open(sys.argv[4], "w").write(properties_file_text(conf))' "$catalog" "$warehouse" "$jars" "$props"

exec "$venv/bin/spark-submit" --master "local[2]" --properties-file "$props" \
  "$root/handlers/ingest/ingest_job.py" --run_id "$run_id" --manifest_uri "$manifest" \
  --jdbc_url "${LAKE_SOURCE_JDBC_URL:-jdbc:mysql://127.0.0.1:3306/$source_db}"
