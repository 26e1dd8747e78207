#!/usr/bin/env bash
# The chat widget's bundle: builds widget/ (TypeScript + the SignalR client, bundled by esbuild; versions pinned in
# widget/package-lock.json) and compares it with the committed src/Ateb/wwwroot/widget.js, so `dotnet run` needs only
# the .NET SDK while a stale bundle cannot go unnoticed. Installs Node.js and npm from Debian's packages when missing.
#
#   scripts/widget.sh           check: type-check, build to a temporary file, fail when it differs from the committed
#                               bundle or is over the size budget (60 KB gzipped, SignalR included)
#   scripts/widget.sh --write   the same, but write the fresh bundle to src/Ateb/wwwroot/widget.js (then commit it)
#
# Ends with one line: "widget: N passed, N failed" (test.sh adds it to its totals).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WIDGET="$ROOT/widget"
BUNDLE="$ROOT/src/Ateb/wwwroot/widget.js"
BUDGET=$((60 * 1024))
WIDGET_INSTALL_LOCK=/tmp/ateb-node-install.lock

widget_log() { printf '\n== %s\n' "$*" >&2; }

widget_node_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "widget.sh: node/npm are missing and this user cannot apt-get install them" >&2
      return 1
    fi
  fi
  widget_log "installing nodejs and npm from Debian packages"
  (
    flock -w 900 9 || echo "widget.sh: could not lock $WIDGET_INSTALL_LOCK, installing anyway" >&2
    if command -v node >/dev/null && command -v npm >/dev/null; then exit 0; fi
    if [ -z "${APT_UPDATED:-}" ]; then $sudo apt-get update -qq >/dev/null || exit 1; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
  ) 9>"$WIDGET_INSTALL_LOCK"
}

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  widget_node_install
fi

write=0
[ "${1:-}" = "--write" ] && write=1
failed=0
fail() { echo "widget.sh: $*" >&2; failed=1; }

cd "$WIDGET"
widget_log "widget: npm ci ($(node --version), npm $(npm --version 2>/dev/null))"
npm ci --no-audit --no-fund --loglevel=error >&2
widget_log "widget: type check"
npm run --silent check >&2 || fail "the TypeScript type check failed"

out=$(mktemp /tmp/ateb-widget.XXXXXX.js)
trap 'rm -f "$out"' EXIT
node build.mjs "$out"
if [ "$write" = 1 ]; then
  cp "$out" "$BUNDLE"
  echo "widget.sh: wrote $BUNDLE" >&2
elif ! cmp -s "$out" "$BUNDLE"; then
  fail "src/Ateb/wwwroot/widget.js is stale: it differs from a fresh build of widget/. Run scripts/widget.sh --write and commit it."
fi

raw=$(wc -c <"$out")
gz=$(gzip -c -6 -n "$out" | wc -c)
echo "widget.js: $raw bytes, $gz bytes gzipped (budget $BUDGET)" >&2
if [ "$gz" -gt "$BUDGET" ]; then
  fail "widget.js is $gz bytes gzipped, over the budget of $BUDGET"
fi

if [ "$failed" = 0 ]; then echo "widget: 1 passed, 0 failed"; else echo "widget: 0 passed, 1 failed"; fi
exit "$failed"
