#!/usr/bin/env bash
# first-start.sh JAR [photos]: java -jar JAR serve on a fresh --data-dir (embedded PostgreSQL, demo
# catalog); prints the seconds until /health/ready is 200, with "photos" also until product 1
# shows its 5 demo photos. The JVM options are bin/images serve's, without its CDS archive.
set -u
jar=$1
dir=$(mktemp -d "${TMPDIR:-/tmp}/first-start.XXXX")
log=$dir.log
start=$(date +%s.%N)
MALLOC_ARENA_MAX=2 "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" -XX:+UseSerialGC -Xms64m -Xmx160m -Xss512k -jar "$jar" serve --data-dir "$dir" --port 0 > "$log" 2>&1 &
pid=$!
port=""
while [ -z "$port" ]; do
  port=$(grep -o 'Serving on http://127.0.0.1:[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  kill -0 $pid 2>/dev/null || { echo "died"; cat "$log"; exit 1; }
  sleep 0.05
done
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null; do sleep 0.05; done
ready=$(date +%s.%N)
load=$(cut -d' ' -f1 /proc/loadavg)
printf '%s ready %.1f s (load %s)\n' "$(basename $jar)" "$(echo "$ready - $start" | bc)" "$load"
if [ "${2:-}" = photos ]; then
  for i in $(seq 1 1200); do
    n=$(curl -fs "http://127.0.0.1:$port/api/products/1/images" | grep -o '"url":"/media/[0-9a-f]*\.jpg' | sort -u | wc -l)
    [ "$n" -ge 5 ] && break
    sleep 0.5
  done
  printf '  product 1: %s photos ready after %.1f s\n' "$n" "$(echo "$(date +%s.%N) - $start" | bc)"
  grep -E "failed|Queued" "$log"
fi
kill -TERM $pid; wait $pid 2>/dev/null
rm -rf "$dir" "$log"
