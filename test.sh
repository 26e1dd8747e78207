#!/usr/bin/env bash
# Runs every test: the chat widget's bundle check (scripts/widget.sh), the whole suite on SQLite, then the
# database-touching suite again on a real PostgreSQL, then the browser tests (tests/Ateb.E2E) once on each. Installs
# what is missing (PostgreSQL, Redis, Dovecot, Postfix, Chromium, Node.js and npm from Debian packages), starts the
# servers privately on 127.0.0.1 and free ports under temporary folders, and stops them at the end. Ends with one line:
# N passed, N failed, N skipped.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
WORK=$(mktemp -d /tmp/ateb-test.XXXXXX)
ARTIFACTS="$ROOT/artifacts/test"
mkdir -p "$ARTIFACTS"
# shellcheck source=scripts/postgres.sh
. "$ROOT/scripts/postgres.sh"
# shellcheck source=scripts/redis.sh
. "$ROOT/scripts/redis.sh"
# shellcheck source=scripts/mail.sh
. "$ROOT/scripts/mail.sh"
# shellcheck source=scripts/chromium.sh
. "$ROOT/scripts/chromium.sh"

cleanup() {
  pg_cleanup
  redis_cleanup
  mail_cleanup
  rm -rf "$WORK"
}
trap cleanup EXIT

log() { printf '\n== %s\n' "$*" >&2; }

PASSED=0; FAILED=0; SKIPPED=0; STATUS=0

# Runs a test project once; adds its counts to the totals. $1 = label, $2 = project folder, rest = extra runner arguments.
run_suite() {
  local label=$1 project=$2; shift 2
  local out="$ARTIFACTS/$label.log"
  log "tests: $label"
  set +e
  dotnet test --project "$project" --no-build "$@" 2>&1 | tee "$out" \
    | grep -E '^(failed|skipped) |^  (total|failed|succeeded|skipped):|Test run summary' >&2
  local code=${PIPESTATUS[0]}
  set -e
  local total failed succeeded skipped
  total=$(awk '/^  total:/ {s+=$2} END {print s+0}' "$out")
  failed=$(awk '/^  failed:/ {s+=$2} END {print s+0}' "$out")
  succeeded=$(awk '/^  succeeded:/ {s+=$2} END {print s+0}' "$out")
  skipped=$(awk '/^  skipped:/ {s+=$2} END {print s+0}' "$out")
  PASSED=$((PASSED + succeeded)); FAILED=$((FAILED + failed)); SKIPPED=$((SKIPPED + skipped))
  if [ "$failed" != 0 ]; then
    # Each failure's message and the top of its stack, so a CI log says why without the artifacts.
    awk '/^failed / {n=25} n > 0 {print; n--}' "$out" | head -150 >&2
  fi
  if [ "$code" != 0 ] || [ "$total" = 0 ]; then
    [ "$failed" = 0 ] && [ "$code" != 0 ] && FAILED=$((FAILED + 1)) && echo "test.sh: $label run exited with $code" >&2
    [ "$total" = 0 ] && echo "test.sh: $label run executed no test" >&2
    STATUS=1
  fi
}

# The chat widget: the committed bundle (src/Ateb/wwwroot/widget.js) must be what widget/ builds to, within its size budget.
log "widget bundle"
if bash "$ROOT/scripts/widget.sh" >"$ARTIFACTS/widget.log" 2>&1; then
  PASSED=$((PASSED + 1)); echo "widget bundle: passed ($(grep -o 'widget.js: .*' "$ARTIFACTS/widget.log"))" >&2
else
  FAILED=$((FAILED + 1)); STATUS=1; echo "widget bundle: FAILED (see $ARTIFACTS/widget.log)" >&2; tail -5 "$ARTIFACTS/widget.log" >&2
fi

log "build"
dotnet build Ateb.slnx -c Debug -nologo -v quiet -clp:ErrorsOnly

# Durability off: this cluster lives for one test run.
PG_EXTRA_OPTIONS="-c fsync=off -c synchronous_commit=off -c full_page_writes=off" pg_start
export ATEB_TEST_POSTGRES="$ATEB_PG"
# Redis: the SignalR backplane and live events between two Ateb processes in the chat scale-out test.
redis_start
export ATEB_TEST_REDIS="$ATEB_REDIS"
mail_start

ATEB_TEST_DB=sqlite run_suite sqlite tests/Ateb.Tests
ATEB_TEST_DB=postgres run_suite postgres tests/Ateb.Tests --filter-not-trait "Db=none"
# Browser tests: the real Ateb in its own process, Debian's Chromium (fails, not skips, without it); screenshots,
# axe-core reports and the servers' output land in artifacts/e2e/.
rm -rf "$ROOT/artifacts/e2e"
ATEB_TEST_DB=sqlite run_suite e2e-sqlite tests/Ateb.E2E
ATEB_TEST_DB=postgres run_suite e2e-postgres tests/Ateb.E2E

# The benchmark harness, tiny, so it cannot rot; its figures mean nothing at this size.
log "bench smoke"
if dotnet bench/Ateb.Bench/bin/Debug/net10.0/Ateb.Bench.dll smoke --out "$WORK/bench" --data "$WORK/bench-data" >"$ARTIFACTS/bench-smoke.log" 2>&1; then
  PASSED=$((PASSED + 1)); echo "bench smoke: passed" >&2
else
  FAILED=$((FAILED + 1)); STATUS=1; echo "bench smoke: FAILED (see $ARTIFACTS/bench-smoke.log)" >&2; tail -20 "$ARTIFACTS/bench-smoke.log" >&2
fi

echo
echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
if [ "$STATUS" != 0 ] || [ "$FAILED" != 0 ] || [ "$PASSED" = 0 ]; then
  exit 1
fi
