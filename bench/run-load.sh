#!/usr/bin/env bash
# The figures of docs/scaling.md, reproduced: a server in a temporary instance folder, then
# bench/load.py (viewers over HTTP) and bench/pages.py (catalog, course page, search) against
# it, then everything stopped.
#
#   bash bench/run-load.sh postgresql   # .ci/serve-production: PostgreSQL + Redis + gunicorn
#   bash bench/run-load.sh sqlite       # .ci/serve: SQLite + gunicorn
#
# LOAD_ARGS and PAGES_ARGS replace the arguments of each bench (defaults below); "skip" skips it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-postgresql}
work=$(mktemp -d /tmp/academy-load.XXXXXX)
chmod 755 "$work"  # PostgreSQL runs as its own user and must reach its folder
export ACADEMY_INSTANCE=$work/instance PORT=${PORT:-5070} ACADEMY_DEMO=${ACADEMY_DEMO:-0}
export ACADEMY_PG_PORT=${ACADEMY_PG_PORT:-54470} ACADEMY_REDIS_PORT=${ACADEMY_REDIS_PORT:-63870}
load_args=${LOAD_ARGS:---viewers 200,500,1000,2000 --heartbeat 2 --seconds 30}
pages_args=${PAGES_ARGS:---courses 1000 --users 50 --seconds 30 --think 1}

case $mode in
  postgresql) script=.ci/serve-production
    export DATABASE_URL_FOR_BENCH="postgresql+psycopg://postgres@127.0.0.1:$ACADEMY_PG_PORT/academy" ;;
  sqlite) script=.ci/serve ;;
  *) echo "usage: bash bench/run-load.sh postgresql|sqlite" >&2; exit 2 ;;
esac

setsid bash "$script" >"$work/server.log" 2>&1 &
server=$!
stop() {
  kill -TERM -- "-$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap stop EXIT

for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$PORT/livez" >/dev/null && break
  if ! kill -0 "$server" 2>/dev/null; then cat "$work/server.log" >&2; exit 1; fi
  sleep 0.5
done
echo "server up ($mode) on :$PORT; log: $work/server.log"
# the benches seed and read the server's own database
if [ -n "${DATABASE_URL_FOR_BENCH:-}" ]; then export DATABASE_URL=$DATABASE_URL_FOR_BENCH; fi
# shellcheck disable=SC2086
if [ "$load_args" != skip ]; then .venv/bin/python bench/load.py --url "http://127.0.0.1:$PORT" $load_args; fi
# shellcheck disable=SC2086
if [ "$pages_args" != skip ]; then .venv/bin/python bench/pages.py --url "http://127.0.0.1:$PORT" $pages_args; fi
