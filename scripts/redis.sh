# Sourced by test.sh and bench.sh: a private Redis for this run, from Debian's redis-server package, on 127.0.0.1 and a
# free port, no persistence, under a temporary folder, stopped by redis_cleanup. Exports ATEB_REDIS (host:port).
# Needs apt_install and pg_free_port from scripts/postgres.sh.
REDIS_DIR=""
REDIS_PID=""

redis_start() {
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
  fi
  REDIS_DIR=$(mktemp -d /tmp/ateb-redis.XXXXXX)
  local port
  port=$(pg_free_port)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no --protected-mode yes \
    --dir "$REDIS_DIR" --logfile "$REDIS_DIR/redis.log" --daemonize no >/dev/null 2>&1 &
  REDIS_PID=$!
  local i
  for i in $(seq 1 100); do
    if redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then break; fi
    sleep 0.1
  done
  if ! redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null | grep -q PONG; then
    echo "Redis did not start; see $REDIS_DIR/redis.log" >&2
    cat "$REDIS_DIR/redis.log" >&2 || true
    exit 1
  fi
  export ATEB_REDIS="127.0.0.1:$port"
  printf '\n== %s\n' "Redis $(redis-server --version | awk '{print $3}' | sed 's/v=//') on $ATEB_REDIS" >&2
}

redis_cleanup() {
  if [ -n "$REDIS_PID" ]; then kill "$REDIS_PID" 2>/dev/null || true; wait "$REDIS_PID" 2>/dev/null || true; fi
  if [ -n "$REDIS_DIR" ]; then rm -rf "$REDIS_DIR"; fi
}
