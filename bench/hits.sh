#!/usr/bin/env bash
# Cache hits of one or more builds, side by side with nginx serving the same bytes, in one run.
#
#   bench/hits.sh [--jar A.jar [--jar B.jar ...]] [--products 1000] [--duration 15] [--rounds 2]
#
# Every build (default: target/images.jar) serves the same external PostgreSQL (bench/lib/pg.sh),
# holding --products products, all of which fit the cache: after a warm-up every read is a hit.
# Each round runs wrk (1 thread, 64 connections, uniform ids) against nginx and then against each
# build, in an order that alternates between rounds, so that a drift of the shared machine falls
# on all of them alike. Both sides log every request, in their default configuration: the
# service's access log at INFO, nginx's access_log to a file. Prints one table: req/s per run and
# each build's median over nginx's best.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2
. "$root/bench/lib/pg.sh"
. "$root/bench/lib/nginx.sh"

jars=() products=1000 duration=15 rounds=2 connections=64
pg_dir="$root/run/bench/pg-hits" pg_port=25433 nginx_port=18190 first_port=18191
while [ $# -gt 0 ]; do
  case "$1" in
    --jar) jars+=("$(realpath "$2")"); shift 2 ;;
    --products) products=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
if [ ${#jars[@]} -eq 0 ]; then
  "$root/bin/images" --help >/dev/null   # builds target/images.jar when it is stale
  jars=("$root/target/images.jar")
fi
command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 2; }
[ -x /usr/sbin/nginx ] || { echo "error: nginx is needed (apt-get install nginx)" >&2; exit 2; }

out="$root/run/bench/hits-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$out/nginx.pid" ] && kill "$(cat "$out/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  pg_stop "$pg_dir"
}
trap cleanup EXIT

pg_start "$pg_dir" "$pg_port"
have=$(psql "$PG_URL" -XAtqc "SELECT count(*) FROM products" 2>/dev/null || echo 0)
if [ "$have" != "$products" ]; then
  "$JAVA_HOME/bin/java" -Xmx192m -jar "${jars[0]}" seed --products "$products" --database-url "$PG_URL" --replace >"$out/seed.log" 2>&1
fi

ports=()
for i in "${!jars[@]}"; do
  port=$((first_port + i)); ports+=("$port")
  # The JVM options bin/images gives `serve`, without the class archive (it only speeds up starting).
  MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m -Xmx160m -Xss512k -jar "${jars[$i]}" \
    serve --port "$port" --database-url "$PG_URL" --no-demo-data >"$out/service-$i.log" 2>&1 &
  pids+=("$!")
done
for port in "${ports[@]}"; do
  until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.1; done
  PRODUCTS=$products wrk -t1 -c"$connections" -d10s -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$port" >/dev/null
done

# nginx serves one gallery response of the median size, as a file.
for id in $(seq 1 "$(( products < 200 ? products : 200 ))"); do
  echo "$(curl -s "http://127.0.0.1:${ports[0]}/api/products/$id/images" | wc -c) $id"
done | sort -n | awk '{a[NR]=$2} END {print a[int((NR+1)/2)]}' > "$out/median-id"
curl -s "http://127.0.0.1:${ports[0]}/api/products/$(cat "$out/median-id")/images" > "$out/static.json"
nginx_static "$out" "$nginx_port" "$out/nginx/access.log"

rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
run() { # $1 = name, $2 = port
  PRODUCTS=$products wrk -t1 -c"$connections" -d"${duration}s" -s "$root/bench/wrk/uniform.lua" \
    "http://127.0.0.1:$2" > "$out/$1.wrk"
  if grep -qE 'Non-2xx|Socket errors' "$out/$1.wrk"; then echo "   $1: $(grep -E 'Non-2xx|Socket errors' "$out/$1.wrk")" >&2; fi
  : > "$out/nginx/access.log"
  echo "$1 $(rps "$out/$1.wrk")" | tee -a "$out/runs.txt"
}
for r in $(seq 1 "$rounds"); do
  run "r$r-nginx" "$nginx_port"
  order=("${!jars[@]}")
  [ $((r % 2)) -eq 0 ] && order=($(printf '%s\n' "${order[@]}" | tac))
  for i in "${order[@]}"; do run "r$r-build$i" "${ports[$i]}"; done
done
run "r$((rounds + 1))-nginx" "$nginx_port"

nginx_best=$(awk '/-nginx / {if ($2 > m) m = $2} END {print m}' "$out/runs.txt")
{
  echo
  echo "## Cache hits, $(date -u +%Y-%m-%dT%H:%MZ): $(nproc) cores, $products products, $(wc -c < "$out/static.json")-byte gallery, wrk -t1 -c$connections -d${duration}s"
  echo
  echo "| build | req/s per round | median / nginx's best ($nginx_best) |"
  echo "|---|---|---|"
  echo "| nginx, static file | $(awk '/-nginx / {printf "%s ", $2}' "$out/runs.txt")| |"
  for i in "${!jars[@]}"; do
    vals=$(awk -v b="-build$i" 'index($1, b) {print $2}' "$out/runs.txt")
    median=$(echo "$vals" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}')
    echo "| ${jars[$i]} | $(echo "$vals" | tr '\n' ' ')| $(awk -v a="$median" -v b="$nginx_best" 'BEGIN {printf "%.2f", a/b}') |"
  done
  echo
  echo "Raw output: $out"
} | tee "$out/summary.md"
