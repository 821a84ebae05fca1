#!/usr/bin/env bash
# Installs PostgreSQL from Debian's packages when missing and starts a throw-away cluster (initdb +
# pg_ctl, no systemd) for the ingest job's tests, then makes sure the local ingest user exists.
# Idempotent: a running cluster is reused. `scripts/postgres.sh stop` stops it and deletes it.
#   host:     127.0.0.1:${PGPORT:-5433} (TCP, password auth; the JDBC driver needs TCP)
#   user:     ${LAKE_SOURCE_USER:-lake_ingest} / ${LAKE_SOURCE_PASSWORD:-lake_ingest_local}
#   cluster:  /tmp/lake-postgres-<port> (data, unix socket, log)
# The local user is a development convenience: CREATEDB because the tests create and drop scratch
# databases, pg_read_all_stats because the job reads other sessions' open transactions
# (pg_stat_activity). Production credentials come from Secrets Manager, never from here.
set -euo pipefail
port="${PGPORT:-5433}"
user="${LAKE_SOURCE_USER:-lake_ingest}"
password="${LAKE_SOURCE_PASSWORD:-lake_ingest_local}"
dir="/tmp/lake-postgres-$port"

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
if [ -z "$(bin_dir)" ] || [ ! -x "$(bin_dir)/initdb" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
bin="$(bin_dir)"

# PostgreSQL refuses to run as root: the cluster belongs to the postgres user then.
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ "${1:-}" = "stop" ]; then
  if [ -d "$dir/data" ]; then as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  echo "postgresql on port $port stopped"
  exit 0
fi

mkdir -p "$dir"
if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir"; fi
exec 9>"$dir.lock"
flock 9 # one starter at a time (parallel test sessions)

ready() { as_owner "$bin/pg_isready" -q -h "$dir" -p "$port"; }
if ! ready; then
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 -E UTF8 \
      --locale=C.UTF-8 >/dev/null
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=200" >/dev/null 9>&-
fi
if ! ready; then
  echo "postgresql did not start (log: $dir/log)" >&2
  exit 1
fi

# Escape single quotes for the SQL string literals, double quotes for the identifier.
sq_password="${password//\'/\'\'}"
dq_user="${user//\"/\"\"}"
sq_user="${user//\'/\'\'}"
as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q <<SQL
SET client_min_messages = warning;
SELECT format('CREATE ROLE %I LOGIN', '${sq_user}') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${sq_user}')
\gexec
ALTER ROLE "${dq_user}" LOGIN CREATEDB PASSWORD '${sq_password}';
GRANT pg_read_all_stats TO "${dq_user}";
SQL
echo "postgresql ready on 127.0.0.1:$port (user ${user})"
