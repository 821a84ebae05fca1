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

# Both suites' services, started once before they run side by side (two starts at once would race
# for MariaDB's data folder).
step "services (MariaDB, PostgreSQL)"
scripts/mariadb.sh >/dev/null
scripts/postgres.sh >/dev/null

# The Python tests run beside the TypeScript tests: their own moto port (5056; the TypeScript
# tests use 5055 and 5057-5059) and their own scratch databases, so neither sees the other's
# state. On 2 cores the two suites' Spark jobs fill each other's waits (CI's wall time, not the
# tests' behaviour, is what this changes). Their output is printed whole once both are done.
py_rc=0
py_log=""
if [ -x scripts/test-python.sh ]; then
  py_log="$(mktemp)"
  scripts/test-python.sh >"$py_log" 2>&1 &
  py_pid=$!
fi

step "TypeScript tests (mocha)"
mocha_rc=0
npx mocha 'test/**/*.test.ts' || mocha_rc=$?

if [ -n "$py_log" ]; then
  step "Python tests (ruff, mypy, pytest; ran beside the TypeScript tests)"
  wait "$py_pid" || py_rc=$?
  cat "$py_log"
  rm -f "$py_log"
fi
if [ "$mocha_rc" != 0 ] || [ "$py_rc" != 0 ]; then
  echo "tests failed: TypeScript exit $mocha_rc, Python exit $py_rc" >&2
  exit 1
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
