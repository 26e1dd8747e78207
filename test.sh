#!/usr/bin/env bash
# Runs every test: the whole suite on SQLite, then the database-touching suite again on a real PostgreSQL.
# Installs what is missing (PostgreSQL from Debian packages), starts it privately on 127.0.0.1 and a free
# port under a temporary folder, and stops it at the end. Ends with one line: N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/ateb-test.XXXXXX)
ARTIFACTS="$ROOT/artifacts/test"
mkdir -p "$ARTIFACTS"
PG_DIR=""
PG_BIN=""

log() { printf '\n== %s\n' "$*" >&2; }

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

cleanup() {
  if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  rm -rf "$WORK" "$PG_DIR"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 30000 ))
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "test.sh: $* is missing and this user cannot apt-get install it" >&2
    exit 1
  fi
  log "installing $* from Debian packages"
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

start_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    apt_install postgresql
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/false postgres
  fi
  PG_DIR=$(mktemp -d /tmp/ateb-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$PG_DIR"
  local port
  port=$(free_port)
  as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -A trust -U postgres -E UTF8 --no-locale --no-sync >"$PG_DIR/initdb.log" 2>&1
  as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null
  export ATEB_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Timeout=30;Command Timeout=60"
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

PASSED=0; FAILED=0; SKIPPED=0; STATUS=0

# Runs the test project once; adds its counts to the totals. $1 = label, rest = extra runner arguments.
run_suite() {
  local label=$1; shift
  local out="$ARTIFACTS/$label.log"
  log "tests on $label"
  set +e
  dotnet test --project tests/Ateb.Tests --no-build "$@" 2>&1 | tee "$out" \
    | grep -E '^(failed|skipped) |^  (total|failed|succeeded|skipped):|Test run summary' >&2
  local code=${PIPESTATUS[0]}
  set -e
  local total failed succeeded skipped
  total=$(awk '/^  total:/ {s+=$2} END {print s+0}' "$out")
  failed=$(awk '/^  failed:/ {s+=$2} END {print s+0}' "$out")
  succeeded=$(awk '/^  succeeded:/ {s+=$2} END {print s+0}' "$out")
  skipped=$(awk '/^  skipped:/ {s+=$2} END {print s+0}' "$out")
  PASSED=$((PASSED + succeeded)); FAILED=$((FAILED + failed)); SKIPPED=$((SKIPPED + skipped))
  if [ "$code" != 0 ] || [ "$total" = 0 ]; then
    [ "$failed" = 0 ] && [ "$code" != 0 ] && FAILED=$((FAILED + 1)) && echo "test.sh: $label run exited with $code" >&2
    [ "$total" = 0 ] && echo "test.sh: $label run executed no test" >&2
    STATUS=1
  fi
}

log "build"
dotnet build Ateb.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly

start_postgres

ATEB_TEST_DB=sqlite run_suite sqlite
ATEB_TEST_DB=postgres run_suite postgres --filter-not-trait "Db=none"

echo
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ "$STATUS" != 0 ] || [ "$FAILED" != 0 ] || [ "$PASSED" = 0 ]; then
  exit 1
fi
