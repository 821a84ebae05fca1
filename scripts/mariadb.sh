#!/usr/bin/env bash
# Installs MariaDB from Debian's packages when missing, starts it (no systemd), waits until it
# answers, and makes sure the local ingest user exists. Idempotent; safe to run on every test run.
#   user:     ${LAKE_SOURCE_USER:-lake_ingest} / ${LAKE_SOURCE_PASSWORD:-lake_ingest_local}
#   host:     127.0.0.1:3306 (TCP; the JDBC driver needs it) and the unix socket for the CLI
# The local user is a development convenience: it has ALL on *.* because the tests create and
# drop scratch databases. Production credentials come from Secrets Manager, never from here.
set -euo pipefail
user="${LAKE_SOURCE_USER:-lake_ingest}"
password="${LAKE_SOURCE_PASSWORD:-lake_ingest_local}"

if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq mariadb-server >/dev/null
fi

ready() { mariadb -uroot -e "SELECT 1" >/dev/null 2>&1; }

if ! ready; then
  mkdir -p /run/mysqld
  chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=root
  for _ in $(seq 1 150); do
    if ready; then break; fi
    sleep 0.2
  done
fi
if ! ready; then
  echo "mariadb did not start" >&2
  exit 1
fi

# Escape single quotes for the SQL string literals below.
sq_user="${user//\'/\'\'}"
sq_password="${password//\'/\'\'}"
mariadb -uroot <<SQL
CREATE USER IF NOT EXISTS '${sq_user}'@'127.0.0.1' IDENTIFIED BY '${sq_password}';
CREATE USER IF NOT EXISTS '${sq_user}'@'localhost' IDENTIFIED BY '${sq_password}';
ALTER USER '${sq_user}'@'127.0.0.1' IDENTIFIED BY '${sq_password}';
ALTER USER '${sq_user}'@'localhost' IDENTIFIED BY '${sq_password}';
GRANT ALL PRIVILEGES ON *.* TO '${sq_user}'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO '${sq_user}'@'localhost';
SQL
echo "mariadb ready on 127.0.0.1:3306 (user ${user})"
