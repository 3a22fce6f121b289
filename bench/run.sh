#!/usr/bin/env bash
# The read-path benchmark: one service instance against an external PostgreSQL on this
# machine, measured side by side with the machine's own bounds in the same run.
#
#   bench/run.sh --products 10000000 [--duration 30] [--connections 64] [--pg-dir DIR]
#
# 1. starts PostgreSQL (Debian's binaries) in --pg-dir, seeding N products if it holds another count;
# 2. ours:  Zipf-skewed reads, cache warm (wrk, 1 thread), between two runs of its bound:
#    nginx serving a static file of the same size as a typical gallery response (wrk);
# 3. ours:  uniform reads with the cache off (wrk, 1 thread), between two runs of its bound:
#    pgbench running the gallery SQL with uniform random ids;
#    each ratio is taken against the higher of its two bounds (the machine is shared and noisy);
# 6. the constant-rate scenarios (Gatling), when bench/gatling.sh is present;
# then prints a summary table with ratios and stops everything it started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2
. "$root/bench/lib/pg.sh"
. "$root/bench/lib/nginx.sh"

# PostgreSQL listens below the kernel's ephemeral port range (32768+): on 55432, a client socket
# in TIME_WAIT on that port once kept it from starting.
products=1000000 duration=30 connections=64 pg_dir="$root/run/bench/pg" pg_port=25432
svc_port=18091 nginx_port=18092 pgbench_clients=8 zipf_s=1.0 gatling=auto
while [ $# -gt 0 ]; do
  case "$1" in
    --products) products=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --pg-dir) pg_dir=$2; shift 2 ;;
    --pgbench-clients) pgbench_clients=$2; shift 2 ;;
    --zipf-s) zipf_s=$2; shift 2 ;;
    --no-gatling) gatling=no; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

out="$root/run/bench/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=() startups=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$out/nginx.pid" ] && kill "$(cat "$out/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  pg_stop "$pg_dir"
}
trap cleanup EXIT

# Built now, so that no build time counts as startup time.
"$root/bin/images" --help > /dev/null
echo "== PostgreSQL in $pg_dir"
# Shared buffers that hold the catalog (why: below); sized before the first start when the
# catalog is already on disk, which saves the restart below.
buffers_for() { # $1 = catalog MB
  local want=$(( $1 * 11 / 10 + 256 )) cap
  cap=$(awk '/MemTotal/ {printf "%d", $2 / 1024 * 0.6}' /proc/meminfo)
  echo $(( want < cap ? want : cap ))
}
if [ -d "$pg_dir/base" ]; then
  PG_SERVER_OPTS="-c shared_buffers=$(buffers_for "$(du -sm "$pg_dir/base" | cut -f1)")MB" pg_start "$pg_dir" "$pg_port"
else
  pg_start "$pg_dir" "$pg_port"
fi
psql_q() { psql "$PG_URL" -XAtqc "$1"; }
have=$(psql_q "SELECT count(*) FROM products" 2>/dev/null || echo 0)
state=$(psql_q "SELECT status FROM catalog_state" 2>/dev/null || echo "")
if [ "$have" != "$products" ] || { [ -n "$state" ] && [ "$state" != "ready" ]; }; then
  echo "== seeding $products products (found $have)"
  "$root/bin/images" seed --products "$products" --database-url "$PG_URL" --replace
fi
psql_q "VACUUM ANALYZE" >/dev/null
# The catalog is held in PostgreSQL's shared buffers, as a database server sized for its working
# set would hold it. In the OS page cache it did not stay: this machine's kernel reclaims pages
# that are not touched for a while (DAMON), and uniform reads over the catalog then waited on the
# disk, which made runs minutes apart differ severalfold (docs/bench-log/2026-11-25-rounds-1-3.md).
db_mb=$(psql_q "SELECT pg_database_size(current_database()) / 1048576")
buffers_mb=$(buffers_for "$db_mb")
have_mb=$(psql_q "SELECT setting::bigint * 8 / 1024 FROM pg_settings WHERE name = 'shared_buffers'")
if [ "$have_mb" -lt "$buffers_mb" ]; then
  echo "== restarting PostgreSQL with shared_buffers=${buffers_mb}MB for a ${db_mb} MB catalog"
  pg_stop "$pg_dir"
  PG_SERVER_OPTS="-c shared_buffers=${buffers_mb}MB" pg_start "$pg_dir" "$pg_port"
fi
psql_q "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS pg_prewarm" >/dev/null
t0=$(date +%s)
psql_q "SELECT pg_prewarm('products_pkey'), pg_prewarm('images_pkey'), pg_prewarm('products'), pg_prewarm('images')" >/dev/null
echo "   catalog read into shared buffers in $(( $(date +%s) - t0 )) s"

start_service() { # $1 = name, rest = extra options
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  # The launcher adds JDK_JAVA_OPTIONS to bin/images' own JVM options: a GC log per run, to tell a
  # latency spike caused by a pause from one that is not.
  JDK_JAVA_OPTIONS="-Xlog:gc:file=$out/$name.gc.log" IMAGES_ACCESS_LOG_LEVEL=WARN "$root/bin/images" serve --port "$svc_port" --database-url "$PG_URL" --no-demo-data "$@" \
    > "$out/$name.log" 2>&1 &
  svc_pid=$!; pids+=("$svc_pid")
  until curl -fs "http://127.0.0.1:$svc_port/health/ready" >/dev/null 2>&1; do
    kill -0 "$svc_pid" 2>/dev/null || { echo "error: the service died; see $out/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  startup_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  startups+=("$name ${startup_ms} ms$( [ -f "$root/target/images-serve.jsa" ] || echo ", no class archive")")
  # the JVM's own pid (bin/images execs java)
  echo "   $name ready in ${startup_ms} ms (pid $svc_pid)"
}
stop_service() { kill "$svc_pid"; wait "$svc_pid" 2>/dev/null || true; }
rss_watch() { # samples the service's RSS every 0.5 s into $out/$1.rss until the pid is gone
  ( while kill -0 "$svc_pid" 2>/dev/null; do ps -o rss= -p "$svc_pid" >> "$out/$1.rss" 2>/dev/null || true; sleep 0.5; done ) &
  pids+=("$!")
}
max_rss_mb() { sort -n "$out/$1.rss" 2>/dev/null | tail -1 | awk '{printf "%.0f", $1/1024}'; }
wrk_rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
wrk_run() { # $1 = name, $2 = url, $3 = lua script or "", rest = extra wrk arguments
  local name=$1 url=$2 script=${3:-}
  shift 3 || shift $#
  PRODUCTS=$products ZIPF_S=$zipf_s wrk -t1 -c"$connections" -d"${duration}s" --latency ${script:+-s "$script"} "$@" "$url" > "$out/$name.wrk"
  echo "   $name: $(wrk_rps "$out/$name.wrk") req/s, $(grep -E 'Non-2xx|Socket errors' "$out/$name.wrk" | tr '\n' ' ')"
}

if [ "${IMAGES_CDS:-on}" = on ] && [ ! "$root/target/images-serve.jsa" -nt "$root/target/images.jar" ]; then
  # As after any build: one start records the classes it loads, and they are archived before the
  # measured starts (bin/lib/cds.sh), so that every measured start maps the archive.
  echo "== a start that records the classes to archive"
  start_service record-classes
  stop_service
  . "$root/bin/lib/cds.sh"
  cds_adopt "$root/target/images.jar" "$svc_pid"
fi
echo "== ours, cache on: Zipf(s=$zipf_s) over $products products"
start_service cached
startup_cached=$startup_ms
rss_watch cached
# As long as the measured run: a 15 s warm-up left the JIT still compiling in the measured window
# (docs/bench-log/2026-12-02-round-6.md), which is not a warm service.
PRODUCTS=$products ZIPF_S=$zipf_s wrk -t1 -c"$connections" -d"$((duration > 10 ? duration : 10))s" -s "$root/bench/wrk/zipf.lua" \
  "http://127.0.0.1:$svc_port" > "$out/warmup.wrk"
# A typical gallery response: the median size over a sample of products.
for id in $(awk -v n="$products" 'BEGIN{srand(7); for(i=0;i<200;i++) printf "%d ", 1+int(rand()*n)}'); do
  curl -s "http://127.0.0.1:$svc_port/api/products/$id/images" | wc -c
done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}' > "$out/typical-size"
typical=$(cat "$out/typical-size")
median_id=""
for id in $(seq 1 500); do
  size=$(curl -s "http://127.0.0.1:$svc_port/api/products/$id/images" | wc -c)
  if [ "$size" -ge "$typical" ]; then median_id=$id; break; fi
done
curl -s "http://127.0.0.1:$svc_port/api/products/${median_id:-1}/images" > "$out/static.json"
echo "== bound: nginx serving a ${typical}-byte static file, just before and just after our run"
nginx_static "$out" "$nginx_port" off
wrk_run nginx-static-before "http://127.0.0.1:$nginx_port/api/products/1/images"
curl -s "http://127.0.0.1:$svc_port/metrics" | grep -E '^cache_gets_total' > "$out/cache-before.txt" || true
wrk_run zipf-cached "http://127.0.0.1:$svc_port" "$root/bench/wrk/zipf.lua"
curl -s "http://127.0.0.1:$svc_port/metrics" | grep -E '^cache_gets_total' > "$out/cache-after.txt" || true
wrk_run nginx-static-after "http://127.0.0.1:$nginx_port/api/products/1/images"
kill "$(cat "$out/nginx.pid")"; rm -f "$out/nginx.pid"
wrk_run zipf-cached-gzip "http://127.0.0.1:$svc_port" "$root/bench/wrk/zipf.lua" -H "Accept-Encoding: gzip"
hits=$(paste "$out/cache-before.txt" "$out/cache-after.txt" | awk '/result="hit"/ {print $4-$2}')
misses=$(paste "$out/cache-before.txt" "$out/cache-after.txt" | awk '/result="miss"/ {print $4-$2}')
hit_ratio=$(awk -v h="${hits:-0}" -v m="${misses:-0}" 'BEGIN { if (h+m>0) printf "%.3f", h/(h+m); else print "n/a" }')
stop_service

pg_tps() { awk '/^tps/ {print $3; exit}' "$out/$1.txt"; }
pgbench_run() { # $1 = name
  pgbench -n -M prepared -c "$pgbench_clients" -j 1 -T "$duration" -D products="$products" \
    -f "$root/bench/pgbench/gallery.sql" "$PG_URL" > "$out/$1.txt" 2>&1
  echo "   $1: $(pg_tps "$1") tps"
}
echo "== ours, cache off: uniform over $products products, between two pgbench bounds"
start_service uncached --cache-max-bytes 0
rss_watch uncached
PRODUCTS=$products wrk -t1 -c"$connections" -d10s -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$svc_port" > "$out/warmup-uncached.wrk"
echo "   bound: pgbench, the gallery SQL, uniform ids, $pgbench_clients clients, 1 thread"
pgbench_run pgbench-before
reads_metrics() { curl -s "http://127.0.0.1:$svc_port/metrics" | grep -E '^gallery_read_(queries|products)_total' | sort; }
reads_metrics > "$out/reads-before.txt" || true
wrk_run uniform-uncached "http://127.0.0.1:$svc_port" "$root/bench/wrk/uniform.lua"
reads_metrics > "$out/reads-after.txt" || true
pgbench_run pgbench-after
stop_service

gatling_lines=""
if [ "$gatling" = auto ] && [ -x "$root/bench/gatling.sh" ]; then
  echo "== ours, constant arrival rate (Gatling), cache on, uniform ids"
  start_service gatling
  rss_watch gatling
  # A warm instance, as for wrk: JIT-compiled paths and a filled pool, not a cold start.
  PRODUCTS=$products wrk -t1 -c"$connections" -d10s -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$svc_port" > "$out/warmup-gatling.wrk"
  "$root/bench/gatling.sh" --base-url "http://127.0.0.1:$svc_port" --products "$products" --out "$out" \
    > "$out/gatling-summary.txt" 2>&1 || echo "   (Gatling reported failures; see $out/gatling-summary.txt)"
  gatling_lines=$(cat "$out/gatling-summary.txt")
  stop_service
fi

# Each bound is measured just before and just after ours; the higher one counts (the machine is shared).
max2() { awk -v a="$1" -v b="$2" 'BEGIN { print (a+0 > b+0) ? a : b }'; }
nginx_rps=$(max2 "$(wrk_rps "$out/nginx-static-before.wrk")" "$(wrk_rps "$out/nginx-static-after.wrk")")
nginx_name=$( [ "$nginx_rps" = "$(wrk_rps "$out/nginx-static-before.wrk")" ] && echo nginx-static-before || echo nginx-static-after)
pgbench_tps=$(max2 "$(pg_tps pgbench-before)" "$(pg_tps pgbench-after)")
cached_rps=$(wrk_rps "$out/zipf-cached.wrk"); uncached_rps=$(wrk_rps "$out/uniform-uncached.wrk")
# The service reads concurrent misses together (GalleryBatcher): products per query in the uniform run.
batch=$(paste "$out/reads-before.txt" "$out/reads-after.txt" | awk '/products/ {p=$4-$2} /queries/ {q=$4-$2} END { if (q>0) printf "%.1f", p/q; else print "n/a" }')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b>0) printf "%.2f", a/b; else print "n/a" }'; }
lat() { awk -v p="$2" '$1==p {print $2}' "$out/$1.wrk"; }
{
  echo
  echo "## Read benchmark, $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $products products"
  echo
  echo "| what | result | bound | ratio | target |"
  echo "|---|---|---|---|---|"
  echo "| Zipf(s=$zipf_s) reads, cache warm (hit ratio $hit_ratio) | $cached_rps req/s (p99 $(lat zipf-cached 99%)) | nginx static ${typical} B: $nginx_rps req/s (p99 $(lat "$nginx_name" 99%); before/after $(wrk_rps "$out/nginx-static-before.wrk")/$(wrk_rps "$out/nginx-static-after.wrk")) | $(ratio "$cached_rps" "$nginx_rps") | ≥ 0.70 |"
  echo "| uniform reads, cache off | $uncached_rps req/s (p99 $(lat uniform-uncached 99%); $batch products per query) | pgbench, the one-product gallery SQL: $pgbench_tps tps (before/after $(pg_tps pgbench-before)/$(pg_tps pgbench-after)) | $(ratio "$uncached_rps" "$pgbench_tps") | ≥ 0.50 |"
  echo "| same, clients accept gzip | $(wrk_rps "$out/zipf-cached-gzip.wrk") req/s, $(awk '/Transfer\/sec/ {print $2}' "$out/zipf-cached-gzip.wrk")/s on the wire (plain: $(awk '/Transfer\/sec/ {print $2}' "$out/zipf-cached.wrk")/s) | | | |"
  echo "| service RSS, max sampled | cached run $(max_rss_mb cached) MB, uncached run $(max_rss_mb uncached) MB | | | ≤ 300 MB |"
  echo "| startup to ready (external DB) | ${startup_cached} ms (each start: $(IFS=';'; echo "${startups[*]}" | sed 's/;/, /g')) | | | ≤ 3000 ms |"
  [ -n "$gatling_lines" ] && echo "$gatling_lines"
  echo
  echo "wrk: 1 thread, $connections connections, ${duration}s; pgbench: -M prepared -c $pgbench_clients -j 1 -T $duration. Raw output: $out"
} | tee "$out/summary.md"
