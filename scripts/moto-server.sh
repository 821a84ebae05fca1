#!/usr/bin/env bash
# Starts moto in server mode (one request at a time: see scripts/moto_serial_server.py) on 127.0.0.1:${MOTO_PORT:-5055} unless one already answers there.
# Usage: scripts/moto-server.sh start|stop|url
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
port="${MOTO_PORT:-5055}"
url="http://127.0.0.1:$port"
pidfile="$root/.cache/moto-$port.pid"
case "${1:-start}" in
  url) echo "$url" ;;
  start)
    if curl -fsS "$url/moto-api/" >/dev/null 2>&1; then echo "$url"; exit 0; fi
    "$root/scripts/python-env.sh" >/dev/null
    mkdir -p "$root/.cache"
    nohup "$root/.venv/bin/python" "$root/scripts/moto_serial_server.py" -H 127.0.0.1 -p "$port" >"$root/.cache/moto-$port.log" 2>&1 &
    echo $! >"$pidfile"
    for _ in $(seq 1 100); do
      if curl -fsS "$url/moto-api/" >/dev/null 2>&1; then echo "$url"; exit 0; fi
      sleep 0.2
    done
    echo "moto server did not start; see $root/.cache/moto-$port.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; rm -f "$pidfile"; fi
    ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
