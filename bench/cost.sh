#!/usr/bin/env bash
# What one gallery request costs on a warm instance: one client connection (no queueing),
# server time from the service's own histogram (/metrics: sum/count of the gallery route),
# round trip from wrk. Cache hits first (ids 1..1000, read until warm), then the cache off
# with ids uniform over [1, N].
#   bench/cost.sh [--products N] [--pg-dir DIR]    (the database must hold N products)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2
. "$root/bench/lib/pg.sh"
products=1000 pg_dir="$root/run/bench/pg" port=18093
while [ $# -gt 0 ]; do
  case "$1" in
    --products) products=$2; shift 2 ;;
    --pg-dir) pg_dir=$2; shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1" >&2; exit 2 ;;
  esac
done
pg_start "$pg_dir" 25432
svc=""
trap '[ -n "$svc" ] && kill $svc 2>/dev/null; wait 2>/dev/null; pg_stop "$pg_dir"' EXIT
route='method="GET",route="/api/products/{id}/images",status="200"'
metric() { curl -s "http://127.0.0.1:$port/metrics" | awk -v name="$1{$route}" 'index($0, name)==1 {print $2}'; }
for mode in cached uncached; do
  extra=(); ids=$(( products < 1000 ? products : 1000 ))
  [ "$mode" = uncached ] && extra=(--cache-max-bytes 0) && ids=$products
  IMAGES_ACCESS_LOG_LEVEL=WARN "$root/bin/images" serve --database-url "$PG_URL" --port $port --no-demo-data "${extra[@]}" >/dev/null 2>&1 &
  svc=$!
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.1; done
  PRODUCTS=$ids wrk -t1 -c1 -d5s -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$port" >/dev/null
  s1=$(metric http_server_requests_seconds_sum); c1=$(metric http_server_requests_seconds_count)
  PRODUCTS=$ids wrk -t1 -c1 -d10s --latency -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$port" > /tmp/cost-$mode.wrk
  s2=$(metric http_server_requests_seconds_sum); c2=$(metric http_server_requests_seconds_count)
  awk -v m="$mode" -v s="$s2" -v s0="$s1" -v c="$c2" -v c0="$c1" \
    -v p50="$(awk '$1=="50%" {print $2}' /tmp/cost-$mode.wrk)" -v p99="$(awk '$1=="99%" {print $2}' /tmp/cost-$mode.wrk)" \
    'BEGIN { printf "%-9s server time %.0f us/request over %d requests; round trip p50 %s, p99 %s\n", m, (s-s0)/(c-c0)*1e6, c-c0, p50, p99 }'
  kill $svc; wait $svc 2>/dev/null || true; svc=""
done
