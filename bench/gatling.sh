#!/usr/bin/env bash
# The constant-rate scenarios of the latency targets, with load/run.sh (Gatling, open model):
#   1. the reference scenario: 667 req/s for 15 s (10,000 requests), target 0 errors, p99 <= 5 ms;
#   2. 5,000 req/s for 60 s, target 0 errors, p99 <= 10 ms.
# Prints one markdown table row per scenario (bench/run.sh puts them in its summary).
#   bench/gatling.sh --base-url http://127.0.0.1:8080 --products N --out DIR
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
base_url=http://127.0.0.1:8080 products=1000 out="$root/run/bench/gatling"
while [ $# -gt 0 ]; do
  case "$1" in
    --base-url) base_url=$2; shift 2 ;;
    --products) products=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
row() { # name rate duration target
  local dir="$out/gatling-$1" code=0
  "$root/load/run.sh" --base-url "$base_url" --warmup 10 --rate "$2" --duration "$3" --id-max "$products" --out "$dir" \
    > /dev/null 2>&1 || code=$?
  local s="$dir/summary.txt"
  echo "| Gatling $2 req/s for $3 s, uniform ids (report: $dir/report) | $(sed -n 1p "$s"); $(sed -n 2p "$s"); $(sed -n 4p "$s") | | | $4 |"
  return 0
}
row reference 667 15 "0 errors, p99 ≤ 5 ms"
row sustained 5000 60 "0 errors, p99 ≤ 10 ms"
