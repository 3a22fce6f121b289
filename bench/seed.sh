#!/usr/bin/env bash
# The seed benchmark: `bin/images seed` for N products, and in the same run its bound, psql
# `\copy` of the same rows (the CSV from `bin/images export-csv`, written beforehand and not
# timed) into the same empty schema, followed by the same indexes and constraints and ANALYZE.
#
#   bench/seed.sh N [DATABASE_URL]
#
# DATABASE_URL (postgres://…; the role needs CREATEDB) names the server; the benchmark creates
# and drops its own databases there (images_seed_bench, images_seed_bound). Without it, a
# throwaway PostgreSQL from Debian's binaries runs in a temporary directory on a free port and
# is deleted at the end. Prints both times, their ratio and the seeder's peak RSS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/bin/lib/java.sh"; pick_java || exit 2
. "$root/bench/lib/pg.sh"

n=${1:-}
url=${2:-}
case "$n" in ''|*[!0-9]*|0) echo "usage: bench/seed.sh N [DATABASE_URL]  (N = products, a positive integer)" >&2; exit 2 ;; esac
case "$url" in ''|postgres://*|postgresql://*) ;; *) echo "error: DATABASE_URL must be postgres://… for psql, got '$url'" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/images-seed-bench.XXXXXX")
chmod 755 "$work"   # the server runs as postgres when we are root
pg_dir=""
cleanup() {
  if [ -n "$pg_dir" ]; then pg_stop "$pg_dir"; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$url" ]; then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pg_dir="$work/pg"
  echo "== a throwaway PostgreSQL ($("$PG_BIN/postgres" --version)) in $pg_dir on port $port"
  pg_start "$pg_dir" "$port"
  url=$PG_URL
fi
# The same server, another database: replace the path of the URL.
db_url() { printf '%s\n' "$url" | sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$1#"; }
psql_q() { PGOPTIONS="-c client_min_messages=warning" psql "$1" -XAtq -v ON_ERROR_STOP=1 -c "$2"; }
seed_url=$(db_url images_seed_bench)
bound_url=$(db_url images_seed_bound)
admin_url=$(db_url postgres)
psql_q "$admin_url" "DROP DATABASE IF EXISTS images_seed_bench" >/dev/null
psql_q "$admin_url" "DROP DATABASE IF EXISTS images_seed_bound" >/dev/null
psql_q "$admin_url" "CREATE DATABASE images_seed_bench" >/dev/null
psql_q "$admin_url" "CREATE DATABASE images_seed_bound" >/dev/null
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "== building the jar"
"$root/bin/images" --version >/dev/null

echo "== seed: bin/images seed --products $n (defaults: --jobs $(nproc), binary COPY)"
psql_q "$admin_url" "CHECKPOINT" >/dev/null
t0=$(now)
/usr/bin/time -f "%M" -o "$work/seed.rss" "$root/bin/images" seed --products "$n" --database-url "$seed_url" 2>"$work/seed.err" \
  | tee "$work/seed.out"
t1=$(now)
seed_s=$(secs "$t0" "$t1")
seed_rss_mb=$(awk '{printf "%.0f", $1/1024}' "$work/seed.rss")
grep -v -E '^seed: +[0-9]+%' "$work/seed.err" | sed 's/^/   /' || true

echo "== export-csv (not timed)"
"$root/bin/images" export-csv --products "$n" --out "$work/csv" 2>/dev/null
ls -l "$work/csv" | awk 'NR>1 {printf "   %s %.1f MB\n", $9, $5/1048576}'

echo "== the same empty schema, from the seeded database"
pg_dump "$seed_url" --schema-only --section=pre-data --no-owner > "$work/pre-data.sql"
pg_dump "$seed_url" --schema-only --section=post-data --no-owner > "$work/post-data.sql"
psql "$bound_url" -Xq -v ON_ERROR_STOP=1 -f "$work/pre-data.sql" >/dev/null
seed_counts=$(psql_q "$seed_url" "SELECT (SELECT count(*) FROM products) || ' ' || (SELECT count(*) FROM images)")
checksum_sql="SELECT md5(string_agg(i::text, '|' ORDER BY i.id)) FROM (SELECT product_id, position, id, url, thumbnail_url, alt, width, height FROM images) i"
if [ "$n" -le 1000000 ]; then seed_sum=$(psql_q "$seed_url" "$checksum_sql"); else seed_sum=""; fi
if [ "$n" -gt 1000000 ]; then
  psql_q "$admin_url" "DROP DATABASE images_seed_bench" >/dev/null   # room on disk and in the page cache
fi

echo "== bound: psql \\copy of the CSV in one transaction (TRUNCATE, COPY FREEZE), the post-data DDL, ANALYZE"
cat > "$work/bound.sql" <<SQL
\\set ON_ERROR_STOP 1
BEGIN;
TRUNCATE products, images;
\\copy products (id, name) FROM '$work/csv/products.csv' WITH (FORMAT csv, HEADER true, FREEZE true)
\\copy images (product_id, position, id, url, thumbnail_url, alt, width, height) FROM '$work/csv/images.csv' WITH (FORMAT csv, HEADER true, FREEZE true)
\\i $work/post-data.sql
RESET search_path;
ANALYZE products, images;
COMMIT;
SQL
psql_q "$admin_url" "CHECKPOINT" >/dev/null
t0=$(now)
psql "$bound_url" -Xq -f "$work/bound.sql" >/dev/null
t1=$(now)
bound_s=$(secs "$t0" "$t1")
bound_counts=$(psql_q "$bound_url" "SELECT (SELECT count(*) FROM products) || ' ' || (SELECT count(*) FROM images)")
same="counts equal ($seed_counts)"
[ "$seed_counts" = "$bound_counts" ] || same="COUNTS DIFFER: seed $seed_counts, bound $bound_counts"
if [ -n "$seed_sum" ]; then
  if [ "$seed_sum" = "$(psql_q "$bound_url" "$checksum_sql")" ]; then same="$same, images checksum equal"; else same="$same, IMAGES CHECKSUM DIFFERS"; fi
fi
psql_q "$admin_url" "DROP DATABASE IF EXISTS images_seed_bench" >/dev/null
psql_q "$admin_url" "DROP DATABASE IF EXISTS images_seed_bound" >/dev/null

ratio=$(awk -v a="$seed_s" -v b="$bound_s" 'BEGIN { printf "%.2f", a / b }')
echo
echo "## Seed benchmark, $(date -u +%Y-%m-%d) — $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $n products"
echo
echo "| what | time | target |"
echo "|---|---|---|"
echo "| bin/images seed (JVM start to exit: load, indexes, ANALYZE) | ${seed_s} s | ≤ 300 s for 10M |"
echo "| bound: psql \\copy of the same CSV + same DDL + ANALYZE | ${bound_s} s | |"
echo "| ratio seed / bound | ${ratio} | ≤ 1.25 |"
echo "| seeder peak RSS | ${seed_rss_mb} MB | ≤ 512 MB |"
echo
echo "$(tail -1 "$work/seed.out"); $same."
