#!/usr/bin/env bash
# The README's test command (npm test): type checks, lint and format, the TypeScript tests
# (model, stack under Pulumi mocks, policies, coordinator against moto) and the Python tests
# (ingest job against MariaDB, Spark and Iceberg). Installs what it needs and starts the services.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

step() { printf '\n== %s\n' "$*"; }

step "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi

step "type check"
npx tsc --noEmit -p .

step "lint and format (eslint, prettier)"
npx eslint .
npx prettier --check .

step "python toolchain"
scripts/python-env.sh >/dev/null
# The job's jars and vendored wheels: the TypeScript tests pack and check the code IngestCode ships.
scripts/ingest-deps.sh >/dev/null

step "TypeScript tests (mocha)"
npx mocha 'test/**/*.test.ts'

if [ -x scripts/test-python.sh ]; then
  step "Python tests (ruff, pytest)"
  scripts/test-python.sh
fi

# The benchmarks run at small sizes so they cannot rot; their figures are printed, not asserted
# (the ingest benchmark still exits non-zero if the lake does not hold the source's rows).
step "benchmarks (smoke, small sizes)"
npm run -s bench:program
npm run -s bench:coordinator -- --quick
if [ -x scripts/test-python.sh ]; then
  "$root/.venv/bin/python" bench/ingest_bench.py --tables 1 --rows 1000
  "$root/.venv/bin/python" bench/fixed_work_bench.py --tables 1 --rows 1000
  "$root/.venv/bin/python" bench/maintenance_bench.py --runs 2 --rows 1000
  "$root/.venv/bin/python" bench/scale_bench.py --tables 2 --rows 1000 --concurrency 2 --fast-tables 1
fi
