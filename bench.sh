#!/usr/bin/env bash
# ./bench.sh [all|create|queue|detail|growth|footprint|email|workspace|search|chat|chat-delivery|chat-idle|smoke] [--size N] [--db sqlite|postgres] [--runs N] [--seconds S]
# Release build; the load generator runs on core 0 and each server under test on core 1 (taskset); each figure
# is the median of --runs runs and is reported with its ratio to a reference measured in the same run.
# Writes bench/results/bench-<time>.md and .json.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
. "$ROOT/scripts/postgres.sh"
trap pg_cleanup EXIT

DB=sqlite
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--db" ]; then j=$((i + 1)); DB=${!j}; fi
done

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
dotnet build bench/Ateb.Bench -c Release -nologo -v quiet -clp:ErrorsOnly
# The server under test is built as it ships: a Release publish with ReadyToRun code.
dotnet publish src/Ateb -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o bench/bin/ateb -nologo -v quiet >/dev/null
export ATEB_BENCH_SERVER="$ROOT/bench/bin/ateb/Ateb.dll"
if [ "$DB" = postgres ]; then
  pg_start
  export ATEB_BENCH_POSTGRES="$ATEB_PG"
fi
PIN=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then PIN=(taskset -c 0); fi
"${PIN[@]}" dotnet bench/Ateb.Bench/bin/Release/net10.0/Ateb.Bench.dll "$@" --out bench/results --data "${ATEB_BENCH_DATA:-/tmp/ateb-bench-data}"
