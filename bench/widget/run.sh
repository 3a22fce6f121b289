#!/usr/bin/env bash
# The shopper's page on the demo, measured in headless Chromium (docs/WIDGET.md "Measured"):
#
#   bench/widget/run.sh [--rounds R] [--port P] [--out FILE] [--screenshot FILE]
#
# Starts `bin/images serve` (the packaged jar) on an embedded PostgreSQL in a temporary --data-dir
# with the demo catalog, waits until the demo photos of products 1-3 are ready (so no rendition is
# made during the measurement), then loads /products/1 in Debian's headless Chromium at 375 px with
# DPR 2 and at 1280 px with DPR 1, cache cleared before each load, R rounds (default 5), alternating:
#   - the widget as it is: <picture> with the renditions of `sources`;
#   - today's fixed URLs: the same page with `sources` taken out of the gallery JSON by the
#     test-side proxy (support/ServiceProxy), so each image is its `url` (the largest JPEG) and
#     its thumbnail `thumbnailUrl`.
# Each page goes through a proxy of its own. Records the largest contentful paint
# (PerformanceObserver 'largest-contentful-paint', and whether its URL is the first hero's) and
# the image bytes (Resource Timing encodedBodySize and transferSize of 'img' requests); prints
# medians as Markdown with the command, machine, date and the 1-minute load average, also written
# to --out FILE (default: run/bench/widget-<timestamp>/summary.md). --screenshot FILE copies the
# product page at 1280 px (target/screenshots/gallery-demo.png) to FILE, e.g. docs/screenshots/gallery.png.
# The measuring code is src/test/java/.../web/WidgetLcpBench.java, run from the test classpath.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command_line="bench/widget/run.sh$(printf ' %q' "$@")"

rounds=5 port=18390 out="" screenshot=""
while [ $# -gt 0 ]; do
  case "$1" in -h|--help) ;; --*) [ $# -ge 2 ] || { echo "error: $1 needs a value (see --help)" >&2; exit 2; } ;; esac
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --screenshot) screenshot=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$rounds" "$port"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: expected a positive whole number, got '$n' (see --help)" >&2; exit 2; }
done

. "$root/bench/lib/tools.sh"
require_tools vips:libvips-tools /usr/bin/chromium:chromium /usr/bin/chromedriver:chromium-driver curl:curl jq:jq
. "$root/bin/lib/java.sh"; pick_java || exit 2
"$root/bin/images" --help >/dev/null   # builds target/images.jar when it is stale

stamp=$(date +%Y%m%d-%H%M%S)
dir="$root/run/bench/widget-$stamp"
out=${out:-$dir/summary.md}
mkdir -p "$dir"
data="$dir/data"
# The measuring class and its classpath; compiling is not measured, so it runs at low priority.
(cd "$root" && nice -n 19 ./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$dir/classpath.txt" >"$dir/build.log" 2>&1) || { echo "error: the test build failed; see $dir/build.log" >&2; exit 1; }

service_pid=""
cleanup() {
  if [ -n "$service_pid" ]; then kill -TERM "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  # A JVM that died without closing its embedded PostgreSQL leaves the postmaster it started.
  if [ -f "$data/postgres/postmaster.pid" ]; then kill -INT "$(head -1 "$data/postgres/postmaster.pid")" 2>/dev/null || true; fi
  rm -rf "$data"
}
trap cleanup EXIT

base="http://127.0.0.1:$port"
load_start=$(cut -d' ' -f1 /proc/loadavg)
t0=$(date +%s)
# IMAGES_CDS=off: no second JVM archiving classes in the background during the measurement.
IMAGES_CDS=off "$root/bin/images" serve --port "$port" --data-dir "$data" >>"$dir/service.log" 2>&1 &
service_pid=$!
photos_ready() { # product photos: at least that many images of the product have renditions
  [ "$(curl -fs "$base/api/products/$1/images" | jq '[.images[] | select(.sources)] | length' 2>/dev/null || echo 0)" -ge "$2" ]
}
deadline=$(( t0 + 600 ))
# DemoPhotos: product p gets 6 - p photos.
until photos_ready 1 5 && photos_ready 2 4 && photos_ready 3 3; do
  kill -0 "$service_pid" 2>/dev/null || { echo "error: the service exited; see $dir/service.log" >&2; exit 1; }
  [ "$(date +%s)" -lt "$deadline" ] || { echo "error: the demo photos were not ready in 600 s; see $dir/service.log" >&2; exit 1; }
  sleep 1
done
echo "demo photos ready after $(( $(date +%s) - t0 )) s" >&2

load_before=$(cut -d' ' -f1 /proc/loadavg)
(cd "$root" && "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat "$dir/classpath.txt")" \
  com.example.images.web.WidgetLcpBench "$base" 1 "$rounds" gallery-demo) >"$dir/results.md" 2>"$dir/bench.log" \
  || { echo "error: the measurement failed; see $dir/bench.log" >&2; exit 1; }
load_after=$(cut -d' ' -f1 /proc/loadavg)
[ -z "$screenshot" ] || cp "$root/target/screenshots/gallery-demo.png" "$screenshot"

chromium_version=$(/usr/bin/chromium --version 2>/dev/null | head -1)
{
  echo "### Widget on the demo: first hero's LCP and image bytes, /products/1"
  echo
  echo "- command: \`$command_line\` (commit $(cd "$root" && git rev-parse --short HEAD 2>/dev/null || echo unknown))"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr); $chromium_version headless; Java $("$JAVA_HOME/bin/java" -version 2>&1 | head -1 | cut -d'"' -f2)"
  echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "- load average (1 min): $load_start at the start, $load_before before the loads, $load_after after"
  echo "- product 1: $(curl -fs "$base/api/products/1/images" | jq '.images | length') images, $(curl -fs "$base/api/products/1/images" | jq '[.images[] | select(.sources)] | length') of them demo photos with renditions"
  echo
  cat "$dir/results.md"
} | tee "$out"
