# shellcheck shell=bash
# Sourced by test.sh: the browser for the browser tests (tests/Ateb.E2E), from Debian's packages. Installs `chromium`
# with apt-get when /usr/bin/chromium is missing (with sudo when not root), and exports ATEB_CHROMIUM, the browser
# Playwright launches. Playwright never downloads a browser of its own here (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1; never
# run `playwright install`). Does not fail the caller when the install fails: the browser tests then fail, saying so.
CHROMIUM_BIN=/usr/bin/chromium
CHROMIUM_INSTALL_LOCK=/tmp/ateb-chromium-install.lock

chromium_log() { printf '\n== %s\n' "$*" >&2; }

chromium_installed() { [ -x "$CHROMIUM_BIN" ]; }

# Serialised by a lock, so two runs at once do not fight over apt.
chromium_install() {
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo -n"
    else
      echo "chromium.sh: $CHROMIUM_BIN is missing and this user cannot apt-get install chromium" >&2
      return 1
    fi
  fi
  chromium_log "installing chromium from Debian packages"
  (
    flock -w 900 9 || echo "chromium.sh: could not lock $CHROMIUM_INSTALL_LOCK, installing anyway" >&2
    if chromium_installed; then exit 0; fi
    if [ -z "${APT_UPDATED:-}" ]; then $sudo apt-get update -qq >/dev/null || exit 1; fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null || exit 1
    chromium_installed
  ) 9>"$CHROMIUM_INSTALL_LOCK"
}

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
if ! chromium_installed; then
  chromium_install || echo "chromium.sh: installing chromium failed; the browser tests will fail" >&2
fi
export ATEB_CHROMIUM=$CHROMIUM_BIN
if chromium_installed; then
  chromium_log "$("$CHROMIUM_BIN" --version 2>/dev/null | head -1)"
fi
