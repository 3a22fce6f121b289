#!/usr/bin/env bash
# The media pipeline measured in one run, on loopback, against its bounds (docs/MEDIA.md "Measured"):
#
#   bench/media/run.sh [--images N] [--duration S] [--rounds R] [--connections C] [--out FILE] [--label TEXT]
#                      [--serve-option OPT ...]   (each OPT passed to every `serve`, e.g. --serve-option=--media-timeout-ms=300000)
#                      [--jpeg-size WxH] [--png-size WxH]   (the inputs' sizes; defaults 4000x3000 and 1632x1224)
#                      [--port P]   (the service's port, nginx's is P+1; default 18290)
#
# Makes N 12 MP JPEGs (4000x3000) and N 2 MP PNGs (1632x1224) with libvips, each different (Perlin
# colour fields, fine texture, Worley cells and grain, with their own seeds and sizes), then starts `bin/images serve` (the packaged
# jar) on an embedded PostgreSQL in a temporary --data-dir, a bearer token in IMAGES_API_TOKENS, and:
#   1. upload-to-ready, one image at a time: POST the raw bytes, poll the image's JSON every 50 ms
#      until it is 'ready'; p50 and p95 per kind;
#   2. sustained renditions/s: all 2N uploaded back to back, until the last is ready (its
#      updated_at), at the default --media-workers and, when the jar has the flag, at 2; against
#      the bound: VipsCliProcessor's own command lines run by the shell on the same files, as many
#      images at once as the service's workers, each with 2 processes (ProcessingSettings' default);
#      and the CPU seconds of each side, which still compare the work on a busy machine;
#   3. bytes per rendition by format and width (from images.renditions), against the original;
#   4. the service JVM's VmRSS every 200 ms during 1 and 2 (and its libvips children's, apart);
#   5. GET /media/<key> of the rendition nearest 50 kB: the service against nginx serving the same
#      file from the same directory, wrk -t1 -cC -dS, rounds alternated, both access logs on.
# Prints a Markdown block with the command, machine, date and the 1-minute load average of each
# phase, also written to --out FILE (default: run/bench/media-<timestamp>/summary.md). Starts and
# stops everything itself; raw data stay in run/bench/media-<timestamp>/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
command_line="bench/media/run.sh$(printf ' %q' "$@")"

images=10 duration=10 rounds=2 connections=64 out="" label="" port=18290 serve_options=()
jpeg_size=4000x3000 png_size=1632x1224
# VipsCliProcessor's processesPerImage default (ProcessingSettings.defaults()); MediaBenchScriptTest checks it.
processes_per_image=2
while [ $# -gt 0 ]; do
  case "$1" in -h|--help|--*=*) ;; --*) [ $# -ge 2 ] || { echo "error: $1 needs a value (see --help)" >&2; exit 2; } ;; esac
  case "$1" in
    --images) images=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --label) label=$2; shift 2 ;;
    --jpeg-size) jpeg_size=$2; shift 2 ;;
    --png-size) png_size=$2; shift 2 ;;
    --serve-option) serve_options+=("$2"); shift 2 ;;
    --serve-option=*) serve_options+=("${1#--serve-option=}"); shift ;;
    --port) port=$2; shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ {sub(/^# ?/, ""); print; next} NR > 1 {exit}' "$0"; exit 0 ;;
    *) echo "error: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for n in "$images" "$duration" "$rounds" "$connections" "$port"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "error: expected a positive whole number, got '$n' (see --help)" >&2; exit 2; }
done
for size in "$jpeg_size" "$png_size"; do
  [[ "$size" =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || { echo "error: expected a size WxH such as 4000x3000, got '$size' (see --help)" >&2; exit 2; }
done
nginx_port=$((port + 1))
megapixels() { awk -v s="$1" 'BEGIN {split(s, d, "x"); printf "%.3g MP", d[1] * d[2] / 1e6}'; }
jpeg_label="$(megapixels "$jpeg_size") JPEG" png_label="$(megapixels "$png_size") PNG"

. "$root/bench/lib/tools.sh"
require_tools vips:libvips-tools vipsheader:libvips-tools wrk:wrk /usr/sbin/nginx:nginx psql:postgresql-client curl:curl jq:jq
. "$root/bin/lib/java.sh"; pick_java || exit 2
"$root/bin/images" --help >/dev/null   # builds target/images.jar when it is stale

stamp=$(date +%Y%m%d-%H%M%S)
dir="$root/run/bench/media-$stamp"
out=${out:-$dir/summary.md}
mkdir -p "$dir/in" "$dir/bound" "$dir/nginx"
data="$dir/data"
token="bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
service_pid="" sampler_pid=""

ms() { echo $(( $(date +%s%N) / 1000000 )); }
load1() { cut -d' ' -f1 /proc/loadavg; }
loads=()   # "phase: start → end" of the 1-minute load average
phase_start() { phase_load=$(load1); echo "== $1 (load $phase_load)" >&2; }
phase_end() { loads+=("$1: $phase_load → $(load1)"); }

stop_service() {
  [ -n "$service_pid" ] || return 0
  kill -TERM "$service_pid" 2>/dev/null || true
  wait "$service_pid" 2>/dev/null || true
  service_pid=""
}
cleanup() {
  [ -n "$sampler_pid" ] && kill "$sampler_pid" 2>/dev/null || true
  [ -f "$dir/nginx.pid" ] && kill "$(cat "$dir/nginx.pid")" 2>/dev/null || true
  stop_service
  # A JVM that died without closing its embedded PostgreSQL leaves the postmaster it started.
  if [ -f "$data/postgres/postmaster.pid" ]; then kill -INT "$(head -1 "$data/postgres/postmaster.pid")" 2>/dev/null || true; fi
  rm -rf "$dir/in" "$dir/bound" "$data"
}
trap cleanup EXIT

# ---- inputs: photo-like detail everywhere, so the encoders work as on photographs
make_picture() { # width height seed out: colour fields, fine texture, cell edges and grain
  local w=$1 h=$2 s=$3 t="$dir/in/tmp"
  vips perlin "$t-r.v" "$w" "$h" --cell-size $((150 + 37 * s % 300)) --seed $((5 * s))
  vips perlin "$t-g.v" "$w" "$h" --cell-size $((90 + 53 * s % 250)) --seed $((5 * s + 1))
  vips perlin "$t-b.v" "$w" "$h" --cell-size $((200 + 71 * s % 400)) --seed $((5 * s + 2))
  vips bandjoin "$t-r.v $t-g.v $t-b.v" "$t-rgbf.v"
  vips linear "$t-rgbf.v" "$t-rgb.v" $((140 + 13 * s % 50)) $((60 + 29 * s % 40))
  vips perlin "$t-f.v" "$w" "$h" --cell-size $((8 + s % 12)) --seed $((5 * s + 3))
  vips linear "$t-f.v" "$t-fine.v" $((15 + s % 15)) 0
  vips worley "$t-w.v" "$w" "$h" --cell-size $((80 + 31 * s % 120)) --seed $((5 * s + 4))
  vips linear "$t-w.v" "$t-cells.v" 0.7 0
  vips gaussnoise "$t-n.v" "$w" "$h" --mean 0 --sigma $((4 + s % 8))
  vips add "$t-rgb.v" "$t-fine.v" "$t-a.v"
  vips add "$t-a.v" "$t-cells.v" "$t-b2.v"
  vips add "$t-b2.v" "$t-n.v" "$t-noisy.v"
  vips cast "$t-noisy.v" "$4" uchar
  rm -f "$t"-*.v
}
inputs=()
phase_start inputs
for i in $(seq 1 "$images"); do
  make_picture "${jpeg_size%x*}" "${jpeg_size#*x}" "$i" "$dir/in/p.v"; vips copy "$dir/in/p.v" "$dir/in/photo-$i.jpg[Q=90]"
  make_picture "${png_size%x*}" "${png_size#*x}" $((i + 1000)) "$dir/in/p.v"; vips copy "$dir/in/p.v" "$dir/in/photo-$i.png"
  inputs+=("$dir/in/photo-$i.jpg" "$dir/in/photo-$i.png")
done
rm -f "$dir/in/p.v"
phase_end inputs

# ---- the service
base="http://127.0.0.1:$port"
has_workers_flag=no default_workers=1
if "$JAVA_HOME/bin/java" -jar "$root/target/images.jar" serve --help 2>/dev/null | grep -q -- '--media-workers'; then
  has_workers_flag=yes
  default_workers=$("$JAVA_HOME/bin/java" -jar "$root/target/images.jar" serve --help 2>/dev/null \
    | tr '\n' ' ' | sed -n 's/.*--media-workers[^(]*(env: IMAGES_MEDIA_WORKERS, default: \([0-9]*\)).*/\1/p')
  default_workers=${default_workers:-1}
fi
start_service() { # extra serve options...
  # IMAGES_CDS=off: a start after a build would otherwise archive its classes in the background,
  # a second JVM at work during the measurements (bin/lib/cds.sh).
  IMAGES_CDS=off IMAGES_API_TOKENS="$token" "$root/bin/images" serve --port "$port" --data-dir "$data" \
    --no-demo-data ${serve_options[@]+"${serve_options[@]}"} "$@" >>"$dir/service.log" 2>&1 &
  service_pid=$!   # bin/images execs the JVM
  local deadline=$(( $(date +%s) + 300 ))
  until curl -fs "$base/health/ready" >/dev/null 2>&1; do
    kill -0 "$service_pid" 2>/dev/null || { echo "error: the service exited; see $dir/service.log" >&2; exit 1; }
    [ "$(date +%s)" -lt "$deadline" ] || { echo "error: the service was not ready in 300 s; see $dir/service.log" >&2; exit 1; }
    sleep 0.2
  done
  pg_url="postgres://postgres@127.0.0.1:$(sed -n 4p "$data/postgres/postmaster.pid")/postgres"
}
sql() { psql "$pg_url" -XAtq -F' ' -c "$1"; }
new_product() {
  curl -fsS -o /dev/null -D - -X POST -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data '{"name":"media bench","images":[]}' "$base/api/products" | tr -d '\r' | sed -n 's|^location: /api/products/||Ip'
}
upload() { # product file -> image id
  local type=image/jpeg code
  [[ "$2" == *.png ]] && type=image/png
  code=$(curl -sS -o "$dir/upload.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $token" \
    -H "Content-Type: $type" --data-binary "@$2" "$base/api/products/$1/images")
  [ "$code" = 202 ] || { echo "error: upload of $(basename "$2") answered $code: $(cat "$dir/upload.json")" >&2; exit 1; }
  jq -r .id "$dir/upload.json"
}

# VmRSS (kB) of the JVM and the sum of its libvips children's, every 200 ms, without forking.
rss_of() { local k v rest; while read -r k v rest; do [ "$k" = VmRSS: ] && { echo "$v"; return; }; done 2>/dev/null < "/proc/$1/status"; echo 0; }
sample_rss() { # pid file
  local jvm kids c name
  set +e
  while [ -d "/proc/$1" ]; do
    jvm=$(rss_of "$1") kids=0
    for c in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
      read -r name 2>/dev/null < "/proc/$c/comm" || continue
      [[ "$name" == vips* ]] && kids=$((kids + $(rss_of "$c")))
    done
    echo "$jvm $kids" >> "$2"
    sleep 0.2
  done
}
start_sampler() { sample_rss "$service_pid" "$dir/rss-$1.txt" & sampler_pid=$!; }
stop_sampler() { kill "$sampler_pid" 2>/dev/null || true; wait "$sampler_pid" 2>/dev/null || true; sampler_pid=""; }
rss_max() { awk -v c="$2" '$c > m {m = $c} END {printf "%.0f", m / 1024}' "$dir/rss-$1.txt"; }
percentile() { # p file: nearest rank
  sort -n "$2" | awk -v p="$1" '{a[NR]=$1} END {r = int(p * NR / 100 + 0.999); if (r < 1) r = 1; print a[r]}'
}

start_service
echo "service pid $service_pid, media workers flag: $has_workers_flag (default $default_workers)" >&2

# ---- 1. upload-to-ready, one at a time
phase_start upload-to-ready
start_sampler upload
product=$(new_product)
: > "$dir/ready-jpeg.txt"; : > "$dir/ready-png.txt"
for f in "${inputs[@]}"; do
  t0=$(ms)
  id=$(upload "$product" "$f")
  while :; do
    body=$(curl -fsS "$base/api/products/$product/images/$id")   # one process a poll: the CPU is the measurement's
    [[ "$body" =~ \"status\":\"([a-z]+)\" ]] && status=${BASH_REMATCH[1]} || status=unknown
    [ "$status" = processing ] || break
    sleep 0.05
  done
  [ "$status" = ready ] || { echo "error: $(basename "$f") became $status: $(curl -s "$base/api/products/$product/images/$id")" >&2; exit 1; }
  kind=jpeg; [[ "$f" == *.png ]] && kind=png
  echo $(( $(ms) - t0 )) >> "$dir/ready-$kind.txt"
done
stop_sampler
phase_end upload-to-ready
cat "$dir/ready-jpeg.txt" "$dir/ready-png.txt" > "$dir/ready-all.txt"

# ---- 2. sustained renditions/s against the CLI bound
# VipsCliProcessor's command lines (its constants; MediaBenchScriptTest compares them), run by the shell.
cat > "$dir/pipeline.sh" <<'SH'
#!/usr/bin/env bash
# pipeline.sh ORIGINAL OUTDIR PROCESSES: the renditions VipsCliProcessor makes of ORIGINAL, the same way.
set -euo pipefail
in=$1 out=$2 p=$3
AVIF='[Q=50,compression=av1,bitdepth=8,strip]'
WEBP='[Q=80,strip]'
JPEG='[Q=82,strip,optimize-coding,interlace,background=255]'
mkdir -p "$out"
VIPS_BLOCK_UNTRUSTED=1 vipsheader -a "$in" > "$out/header.txt"
w=$(sed -n 's/^width: //p' "$out/header.txt")
top=$(( w < 2048 ? w : 2048 )) widths=""
for x in 160 320 640 1280 2048; do [ "$x" -lt "$top" ] && widths="$x $widths"; done
widths="$top $widths"
VIPS_BLOCK_UNTRUSTED=1 vips thumbnail "$in" "$out/top.v" "$top" --height 10000000 --size down --export-profile srgb --fail-on error
for fmt in "avif$AVIF" "webp$WEBP" "jpg$JPEG"; do
  for x in $widths; do
    if [ "$x" = "$top" ]; then echo "vips copy $out/top.v $out/$x.$fmt"
    else echo "vips thumbnail $out/top.v $out/$x.$fmt $x --height 10000000 --size down"; fi
  done
done > "$out/commands.txt"
echo "vips thumbnail $out/top.v $out/tiny.png 32 --height 32" >> "$out/commands.txt"
tr '\n' '\0' < "$out/commands.txt" | xargs -0 -P "$p" -I{} sh -c '{}'
rm -f "$out/top.v" "$out/tiny.png"
SH
chmod +x "$dir/pipeline.sh"

declare -A bound_rps service_rps bound_n service_n bound_s service_s bound_cpu service_cpu
# CPU seconds of the JVM itself and of its finished children (the libvips processes): /proc/PID/stat.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f %.2f", ($14 + $15) / hz, ($16 + $17) / hz}' "/proc/$1/stat"; }
sustained() { # workers
  local w=$1 t0 t1 n pending failed
  phase_start "bound, $w at once"
  rm -rf "$dir/bound"; mkdir -p "$dir/bound"
  t0=$(ms)
  for i in "${!inputs[@]}"; do echo "${inputs[$i]} $dir/bound/$i"; done \
    | /usr/bin/time -f '%U %S' -o "$dir/bound-cpu-$w.txt" \
        xargs -P "$w" -L1 sh -c '"$0" "$1" "$2" '"$processes_per_image" "$dir/pipeline.sh"
  t1=$(ms)
  bound_cpu[$w]=$(awk '{printf "%.1f", $1 + $2}' "$dir/bound-cpu-$w.txt")
  n=$(find "$dir/bound" -name '[0-9]*.*' | wc -l)
  bound_n[$w]=$n bound_s[$w]=$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1000}')
  bound_rps[$w]=$(awk -v n="$n" -v d=$((t1 - t0)) 'BEGIN {printf "%.2f", n * 1000 / d}')
  phase_end "bound, $w at once"

  phase_start "service, --media-workers $w"
  start_sampler "workers-$w"
  product=$(new_product)
  read -r jvm0 kids0 <<< "$(cpu_of "$service_pid")"
  t0=$(ms)
  for f in "${inputs[@]}"; do upload "$product" "$f" > /dev/null; done
  while :; do
    read -r pending failed <<< "$(sql "SELECT count(*) FILTER (WHERE status = 'processing'), count(*) FILTER (WHERE status = 'failed') FROM images WHERE product_id = $product")"
    [ "$failed" = 0 ] || { echo "error: $failed images failed: $(sql "SELECT failure_reason FROM images WHERE product_id = $product AND status = 'failed' LIMIT 3")" >&2; exit 1; }
    [ "$pending" = 0 ] && break
    sleep 0.5
  done
  stop_sampler
  read -r jvm1 kids1 <<< "$(cpu_of "$service_pid")"
  service_cpu[$w]=$(awk -v a="$jvm0" -v b="$jvm1" -v c="$kids0" -v d="$kids1" 'BEGIN {printf "%.1f + %.1f", b - a, d - c}')
  t1=$(sql "SELECT (extract(epoch FROM max(updated_at)) * 1000)::bigint FROM images WHERE product_id = $product")
  n=$(sql "SELECT sum(jsonb_array_length(renditions)) FROM images WHERE product_id = $product")
  service_n[$w]=$n service_s[$w]=$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.1f", d / 1000}')
  service_rps[$w]=$(awk -v n="$n" -v d=$((t1 - t0)) 'BEGIN {printf "%.2f", n * 1000 / d}')
  phase_end "service, --media-workers $w"
}
worker_counts=("$default_workers")
sustained "$default_workers"
if [ "$has_workers_flag" = yes ] && [ "$default_workers" != 2 ]; then
  stop_service
  start_service --media-workers 2
  worker_counts+=(2)
  sustained 2
fi

# ---- 3. bytes per rendition (every ready uploaded image of the run)
sql "SELECT CASE WHEN i.original_type = 'image/png' THEN '$png_label' ELSE '$jpeg_label' END, (r->>'width')::int,
            round(avg((r->>'bytes')::bigint) FILTER (WHERE r->>'type' = 'image/jpeg')),
            round(avg((r->>'bytes')::bigint) FILTER (WHERE r->>'type' = 'image/webp')),
            round(avg((r->>'bytes')::bigint) FILTER (WHERE r->>'type' = 'image/avif')),
            round(avg(i.original_bytes))
       FROM images i, jsonb_array_elements(i.renditions) r
      WHERE i.status = 'ready' AND i.original_key IS NOT NULL
      GROUP BY 1, 2 ORDER BY min(i.original_type), 2" > "$dir/bytes.txt"

# ---- 5. /media from the service against nginx, the same file from the same directory
phase_start "/media vs nginx"
read -r key bytes <<< "$(sql "SELECT r->>'key', r->>'bytes' FROM images i, jsonb_array_elements(i.renditions) r
                               WHERE i.status = 'ready' ORDER BY abs((r->>'bytes')::bigint - 51200) LIMIT 1")"
# Blobs are written 0600 (FileBlobStore's temporary files), so nginx's workers must run as the
# service's user to read them; as root they would otherwise be nobody.
nginx_user=""; [ "$(id -u)" = 0 ] && nginx_user="user root;"
cat > "$dir/nginx/nginx.conf" <<CONF
$nginx_user
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx/error.log warn;
events { worker_connections 4096; }
http {
  types { image/jpeg jpg; image/webp webp; image/avif avif; image/png png; }
  access_log $dir/nginx/access.log;
  sendfile on; tcp_nopush on;
  client_body_temp_path $dir/nginx; proxy_temp_path $dir/nginx; fastcgi_temp_path $dir/nginx;
  uwsgi_temp_path $dir/nginx; scgi_temp_path $dir/nginx;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:$nginx_port;
    root $data/media;
    location /media/ {
      rewrite "^/media/([0-9a-f]{2})([0-9a-f]{62}\.[a-z]+)\$" /\$1/\$1\$2 break;
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
  }
}
CONF
/usr/sbin/nginx -c "$dir/nginx/nginx.conf" -p "$dir/nginx"
sleep 0.3
curl -fsS "$base/media/$key" -o "$dir/from-service"
curl -fsS "http://127.0.0.1:$nginx_port/media/$key" -o "$dir/from-nginx"
cmp -s "$dir/from-service" "$dir/from-nginx" || { echo "error: nginx and the service served different bytes for $key" >&2; exit 1; }
warm=$(( duration < 10 ? duration : 10 ))
wrk -t1 -c"$connections" -d"${warm}s" "$base/media/$key" > /dev/null
wrk -t1 -c"$connections" -d"${warm}s" "http://127.0.0.1:$nginx_port/media/$key" > /dev/null
: > "$dir/media-runs.txt"
wrk_run() { # name url
  wrk -t1 -c"$connections" -d"${duration}s" --latency "$2" > "$dir/$1.wrk"
  if grep -qE 'Non-2xx|Socket errors' "$dir/$1.wrk"; then echo "   $1: $(grep -E 'Non-2xx|Socket errors' "$dir/$1.wrk")" >&2; fi
  : > "$dir/nginx/access.log"
  echo "$1 $(awk '/Requests\/sec/ {print $2}' "$dir/$1.wrk") $(awk '$1 == "99%" {print $2}' "$dir/$1.wrk")" >> "$dir/media-runs.txt"
}
for r in $(seq 1 "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then order="nginx service"; else order="service nginx"; fi
  for who in $order; do
    if [ "$who" = nginx ]; then wrk_run "r$r-nginx" "http://127.0.0.1:$nginx_port/media/$key"
    else wrk_run "r$r-service" "$base/media/$key"; fi
  done
done
phase_end "/media vs nginx"
kill "$(cat "$dir/nginx.pid")"; rm -f "$dir/nginx.pid"
stop_service

# ---- the report
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0) printf "%.0f%%", 100 * a / b; else print "-"}'; }
{
  echo "## Media pipeline, $(date -u +%Y-%m-%dT%H:%MZ)${label:+ — $label}"
  echo
  echo "- command: \`$command_line\`"
  echo "- serve options: \`--no-demo-data${serve_options[@]+ ${serve_options[*]}}\`, media workers flag in this jar: $has_workers_flag"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo) RAM," \
       "$(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $(vips --version); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "- jar: target/images.jar ($(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')), embedded PostgreSQL, file store;" \
       "inputs: $images × $jpeg_label ($jpeg_size, Q=90, $(du -cb "${inputs[@]}" | awk '/\.jpg$/ {s += $1; n++} END {printf "%.1f MB avg", s / n / 1e6}'))" \
       "and $images × $png_label ($png_size, $(du -cb "${inputs[@]}" | awk '/\.png$/ {s += $1; n++} END {printf "%.1f MB avg", s / n / 1e6}'))"
  echo "- 1-minute load average per phase (start → end): $(printf '%s; ' "${loads[@]}")"
  echo
  echo "| upload-to-ready, one at a time | n | p50 | p95 | max |"
  echo "|---|---|---|---|---|"
  for kind in jpeg png all; do
    name=$kind; [ "$kind" = jpeg ] && name=$jpeg_label; [ "$kind" = png ] && name=$png_label
    echo "| $name | $(wc -l < "$dir/ready-$kind.txt") | $(percentile 50 "$dir/ready-$kind.txt") ms | $(percentile 95 "$dir/ready-$kind.txt") ms | $(sort -n "$dir/ready-$kind.txt" | tail -1) ms |"
  done
  echo
  echo "| sustained, $((2 * images)) images | renditions | service | bound: vips CLI, same commands and parallelism | ratio (target ≥ 0.8) |"
  echo "|---|---|---|---|---|"
  for w in "${worker_counts[@]}"; do
    echo "| --media-workers $w$([ "$w" = "$default_workers" ] && echo ' (default)') | ${service_n[$w]} (bound ${bound_n[$w]}) |" \
         "${service_rps[$w]}/s (${service_s[$w]} s) | ${bound_rps[$w]}/s (${bound_s[$w]} s) |" \
         "$(awk -v a="${service_rps[$w]}" -v b="${bound_rps[$w]}" 'BEGIN {printf "%.2f", a / b}') |"
  done
  [ "$has_workers_flag" = yes ] || echo "(this jar has no --media-workers: one image at a time, $processes_per_image libvips processes each)"
  echo
  echo "| CPU seconds used | service: JVM + its libvips children | bound: the vips CLI |"
  echo "|---|---|---|"
  for w in "${worker_counts[@]}"; do echo "| --media-workers $w | ${service_cpu[$w]} s | ${bound_cpu[$w]} s |"; done
  echo
  echo "| service RSS, max (target ≤ 512 MB) | JVM VmRSS | its libvips children, summed |"
  echo "|---|---|---|"
  echo "| upload-to-ready | $(rss_max upload 1) MB | $(rss_max upload 2) MB |"
  for w in "${worker_counts[@]}"; do echo "| sustained, --media-workers $w | $(rss_max "workers-$w" 1) MB | $(rss_max "workers-$w" 2) MB |"; done
  echo
  echo "| original | width | JPEG bytes | WebP bytes (of JPEG) | AVIF bytes (of JPEG) | original bytes |"
  echo "|---|---|---|---|---|---|"
  while read -r kind1 kind2 kind3 width jpeg webp avif orig; do
    echo "| $kind1 $kind2 $kind3 | $width | $jpeg | $webp ($(pct "$webp" "$jpeg")) | $avif ($(pct "$avif" "$jpeg")) | $orig |"
  done < "$dir/bytes.txt"
  echo
  nginx_best=$(awk '$1 ~ /-nginx$/ {if ($2 > m) m = $2} END {print m}' "$dir/media-runs.txt")
  service_median=$(awk '$1 ~ /-service$/ {print $2}' "$dir/media-runs.txt" | median)
  echo "| GET /media/$key ($bytes bytes), wrk -t1 -c$connections -d${duration}s, both logging | req/s per round | p99 per round |"
  echo "|---|---|---|"
  echo "| nginx, same file | $(awk '$1 ~ /-nginx$/ {printf "%s ", $2}' "$dir/media-runs.txt")| $(awk '$1 ~ /-nginx$/ {printf "%s ", $3}' "$dir/media-runs.txt")|"
  echo "| service | $(awk '$1 ~ /-service$/ {printf "%s ", $2}' "$dir/media-runs.txt")| $(awk '$1 ~ /-service$/ {printf "%s ", $3}' "$dir/media-runs.txt")|"
  echo
  echo "Service median / nginx's best: $(awk -v a="$service_median" -v b="$nginx_best" 'BEGIN {printf "%.2f", a / b}'). Raw output: ${dir#"$root"/}"
} > "$dir/summary.tmp"
mkdir -p "$(dirname "$out")"
cp "$dir/summary.tmp" "$out"; rm -f "$dir/summary.tmp"
cat "$out"
