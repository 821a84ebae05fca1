#!/usr/bin/env bash
# The README's main command (npm run demo): a local end-to-end day of the governed lake.
# Installs or reuses what it needs (MariaDB, or PostgreSQL with --engine postgres, the Python env
# with pinned Spark, the jars, a moto server on MOTO_PORT, default 5059, clear of the tests'
# 5055-5058), then runs demo/main.ts:
# seed the source, play the day with the real coordinator and the ingest job under local Spark,
# verify the lake against the source, play the same day the blueprint's way, print and write
# the report (.lake/demo/report.html). Exit code 1 when the lake differs from its source.
#   scripts/demo.sh [--engine mariadb|postgres] [--profile full|small] [--lake-only] [--verify-each-run]
#     [--table-concurrency N]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# A symlinked node_modules (a git worktree sharing another checkout's) is left alone: npm ci would
# empty the directory it points to.
if [ ! -L node_modules ] && { [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; }; then
  npm ci --no-audit --no-fund
fi
scripts/python-env.sh >/dev/null
scripts/ingest-deps.sh >/dev/null
engine=mariadb
args=("$@")
for i in "${!args[@]}"; do
  if [ "${args[$i]}" = "--engine" ]; then engine="${args[$((i + 1))]:-}"; fi
done
case "$engine" in
  postgres | postgresql | pg) scripts/postgres.sh >/dev/null ;;
  *) scripts/mariadb.sh >/dev/null ;;
esac
export MOTO_PORT="${MOTO_PORT:-5059}"
scripts/moto-server.sh start >/dev/null
export DEMO_MOTO_URL="http://127.0.0.1:$MOTO_PORT"
# This machine's Node is 20; the SDK warns about its own future support on every start. The
# Lambda runs on nodejs22.x, so the warning says nothing about what ships.
export AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
exec npx ts-node --transpile-only demo/main.ts "$@"
