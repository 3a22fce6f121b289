#!/usr/bin/env bash
# Read scaling over streaming replicas: uncached uniform gallery reads through one instance whose
# --database-url names the primary alone, then the primary and 1, then 2 replicas.
#
#   bench/replicas/run.sh [--products 1000000] [--duration 30] [--connections 64] [--replicas "0 1 2"]
#
# Starts `bin/cluster up --instances 1 --db-replicas 2` (etcd, three PostgreSQL 15 nodes under
# Patroni; its own instance stays idle), seeds --products into the primary (`bin/images seed
# --replace`) and waits until both replicas have replayed it. For each N it starts one instance of
# its own with the cache off (--cache-max-bytes 0) on the primary plus N replicas, warms up for
# 10 s, then runs wrk (-t2, ids uniform over the catalog, bench/wrk/uniform.lua) and reads each
# process tree's CPU from /proc before and after: the instance, every PostgreSQL node (postmaster
# and its backends). Prints Markdown (machine, date, load average) and keeps it in
# the run directory; stops everything and deletes the data at the end.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2

products=1000000 duration=30 connections=64 replica_counts="0 1 2"
while [ $# -gt 0 ]; do
  case "$1" in
    --products) products=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --replicas) replica_counts=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "error: wrk is needed (apt-get install wrk)" >&2; exit 2; }
command -v psql >/dev/null || { echo "error: psql is needed (apt-get install postgresql-client)" >&2; exit 2; }
"$root/bin/images" --help >/dev/null   # builds target/images.jar when it is stale

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
out="$root/run/bench/replicas-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$out"
chmod 755 "$out"   # Patroni's PostgreSQL runs as postgres when we are root
# Patroni's ports: db_port+0..2 (PostgreSQL), +20..22 (REST), +40..41 (etcd); then nginx and two instances.
db_port=$(( ($(free_port) % 20000) + 30000 ))
nginx_port=$((db_port + 50)) service_port=$((db_port + 53))
service_pid=""
cluster() { CLUSTER_RUN_DIR="$out/cluster" "$root/bin/cluster" "$@"; }
cleanup() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" 2>/dev/null || true; fi
  cluster down >>"$out/cluster.log" 2>&1 || true
  rm -rf "$out/data"
}
trap cleanup EXIT

load_start=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== bin/cluster up --db-replicas 2 (log: $out/cluster.log)" >&2
IMAGES_CACHE_MAX_BYTES=0 cluster up --instances 1 --db-replicas 2 --port "$nginx_port" --base-port $((nginx_port + 1)) \
  --db-port "$db_port" --data-dir "$out/data" >"$out/cluster.log" 2>&1
node_url() { echo "postgresql://postgres@127.0.0.1:$((db_port + $1))/postgres"; }
sql() { psql "$(node_url "$1")" -XAtqc "$2"; }
primary="" replicas=()
for i in 0 1 2; do
  if curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$((db_port + 20 + i))/primary" 2>/dev/null; then primary=$i; else replicas+=("$i"); fi
done
[ -n "$primary" ] || { echo "error: no Patroni node answers /primary" >&2; exit 1; }

echo "== seeding $products products into node-$primary (log: $out/seed.log)" >&2
"$JAVA_HOME/bin/java" -Xmx256m -jar "$root/target/images.jar" seed --products "$products" --replace \
  --database-url "jdbc:postgresql://127.0.0.1:$((db_port + primary))/postgres?user=postgres" >"$out/seed.log" 2>&1
sql "$primary" "ANALYZE" >/dev/null
target=$(sql "$primary" "SELECT pg_current_wal_lsn()")
for r in "${replicas[@]}"; do
  until [ "$(sql "$r" "SELECT pg_last_wal_replay_lsn() >= '$target'")" = t ]; do sleep 1; done
done
images=$(sql "$primary" "SELECT count(*) FROM images")

# CPU ticks of a process and all its descendants, from /proc/*/stat.
tree_ticks() {
  python3 - "$1" <<'EOF'
import os, sys
root = int(sys.argv[1]); children = {}; ticks = {}
for p in os.listdir('/proc'):
    if not p.isdigit():
        continue
    try:
        fields = open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()
    except OSError:
        continue
    children.setdefault(int(fields[1]), []).append(int(p)); ticks[int(p)] = int(fields[11]) + int(fields[12])
todo, total = [root], 0
while todo:
    p = todo.pop(); total += ticks.get(p, 0); todo += children.get(p, [])
print(total)
EOF
}
postmaster() { head -1 "$out/data/patroni/node-$1/data/postmaster.pid"; }
hz=$(getconf CLK_TCK)

rows=()
for n in $replica_counts; do
  hosts="127.0.0.1:$((db_port + primary))"
  for r in "${replicas[@]:0:$n}"; do hosts+=",127.0.0.1:$((db_port + r))"; done
  MALLOC_ARENA_MAX=2 "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xms64m -Xmx160m -Xss512k -jar "$root/target/images.jar" \
    serve --port "$service_port" --database-url "jdbc:postgresql://$hosts/postgres?user=postgres" --no-demo-data \
    --cache-max-bytes 0 --media-workers 0 >"$out/service-$n.log" 2>&1 &
  service_pid=$!
  until curl -fs "http://127.0.0.1:$service_port/health/ready" >/dev/null 2>&1; do sleep 0.2; done
  PRODUCTS=$products wrk -t2 -c"$connections" -d10s -s "$root/bench/wrk/uniform.lua" "http://127.0.0.1:$service_port" >/dev/null
  pids=("$service_pid"); for i in 0 1 2; do pids+=("$(postmaster "$i")"); done
  before=(); for p in "${pids[@]}"; do before+=("$(tree_ticks "$p")"); done
  start=$(date +%s.%N)
  PRODUCTS=$products wrk -t2 -c"$connections" -d"${duration}s" --latency -s "$root/bench/wrk/uniform.lua" \
    "http://127.0.0.1:$service_port" >"$out/wrk-$n.txt"
  seconds=$(echo "$(date +%s.%N) - $start" | bc -l)
  cpu=""; for k in "${!pids[@]}"; do
    cpu+=" $(echo "($(tree_ticks "${pids[$k]}") - ${before[$k]}) / $hz / $seconds * 100" | bc -l | xargs printf '%.0f')% |"
  done
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$out/wrk-$n.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$out/wrk-$n.txt"); p99=$(awk '$1 == "99%" {print $2}' "$out/wrk-$n.txt")
  errors=$(grep -E 'Non-2xx|Socket errors' "$out/wrk-$n.txt" | tr -s ' ' | paste -sd';' || true)
  rows+=("| $n | $rps | $p50 / $p99 |$cpu ${errors:-none} |")
  kill "$service_pid"; wait "$service_pid" 2>/dev/null || true; service_pid=""
done

roles=""; for i in 0 1 2; do
  if [ "$i" = "$primary" ]; then roles+=" node-$i (primary) |"; else roles+=" node-$i (replica) |"; fi
done
{
  echo "## Read scaling over replicas, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB;" \
    "load average $load_start before, $(cut -d' ' -f1-3 /proc/loadavg) after."
  echo "Catalog: $products products, $images images; PostgreSQL 15 under Patroni, one instance, cache off;" \
    "wrk -t2 -c$connections -d${duration}s, ids uniform. Command: bench/replicas/run.sh --products $products --duration $duration --connections $connections"
  echo "CPU is each process tree's share of one core over the run (/proc/PID/stat, postmaster with its backends)."
  echo
  echo "| replicas in the URL | req/s | latency p50 / p99 | instance |$roles errors |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "Raw output: $out"
} | tee "$out/summary.md"
