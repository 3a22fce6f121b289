#!/usr/bin/env bash
# Constant-rate load with Gatling (open model) against a running service or fleet, then a summary
# computed from one line per request.
#
#   load/run.sh --base-url http://127.0.0.1:8080 [--rate 600] [--duration 30] [--id-min 1]
#               [--id-max 1000] [--warmup 0] [--write-ratio 0 --write-feed FILE] [--ok-statuses 200,201,204,304]
#               [--out DIR]
#
# Writes go to the products listed in --write-feed ("productId imageId imageId ..." per line),
# authenticated with $IMAGES_LOAD_TOKEN. The output directory gets results.csv (start_ms, end_ms,
# kind, product_id, status, retry_after, order), gatling.log, Gatling's HTML report (report/) and
# summary.txt. Exit status: Gatling's (non-zero when a request got a status outside --ok-statuses
# or no response).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2

base_url=http://127.0.0.1:8080 rate=600 duration=30 id_min=1 id_max=1000 write_ratio=0 write_feed=""
warmup=0 ok=200,201,204,304 out="$root/run/load/$(date +%Y%m%d-%H%M%S)"
while [ $# -gt 0 ]; do
  case "$1" in
    --base-url) base_url=$2; shift 2 ;;
    --rate) rate=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --id-min) id_min=$2; shift 2 ;;
    --id-max) id_max=$2; shift 2 ;;
    --write-ratio) write_ratio=$2; shift 2 ;;
    --write-feed) write_feed=$2; shift 2 ;;
    --ok-statuses) ok=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"
out="$(cd "$out" && pwd)"

code=0
# An open model at thousands of req/s may hold more sockets than the usual 1024 descriptors.
ulimit -n 65536 2>/dev/null || true
(cd "$root" && ./mvnw -B -ntp -f load/pom.xml gatling:test \
  -DbaseUrl="$base_url" -Dwarmup="$warmup" -Drate="$rate" -Dduration="$duration" -DidMin="$id_min" -DidMax="$id_max" \
  -DwriteRatio="$write_ratio" -DwriteFeed="$write_feed" -DokStatuses="$ok" -Dresults="$out/results.csv" \
  -DgatlingGcLog="$out/gatling-jvm.gc.log" \
  -Dgatling.failOnError=false) > "$out/gatling.log" 2>&1 || code=$?
report=$(ls -dt "$root"/load/target/gatling/*/ 2>/dev/null | head -1 || true)
[ -n "$report" ] && rm -rf "$out/report" && cp -r "$report" "$out/report"
# Gatling's own assertion (no failed request) is printed as "Global: ... : true|false".
if grep -q '^Global: .* : false' "$out/gatling.log"; then code=1; fi

"$root/load/summary.sh" "$out/results.csv" "$ok" | tee "$out/summary.txt"
exit "$code"
