#!/usr/bin/env bash
# Summarises a results.csv of load/run.sh: requests, failures (statuses outside $2, or no
# response), status histogram, achieved rate, latency percentiles and maximum.
#   load/summary.sh results.csv [ok-statuses]
set -euo pipefail
file=$1 ok=${2:-200,201,204,304}
awk -F, -v ok="$ok" '
  BEGIN { n = split(ok, list, ","); for (i = 1; i <= n; i++) good[list[i]] = 1 }
  NR == 1 || $3 == "warmup" { next }
  {
    count++; status[$5]++; kind[$3]++
    if (!($5 in good)) failed++
    if (first == "" || $1 < first) first = $1; if ($2 > last) last = $2
  }
  END {
    if (count == 0) { print "no requests recorded"; exit 1 }
    printf "requests %d (", count; sep = ""
    for (k in kind) { printf "%s%s %d", sep, k, kind[k]; sep = ", " } ; printf ")"
    printf " in %.1f s = %.0f req/s\n", (last - first) / 1000, count * 1000 / (last - first)
    printf "failed %d\n", failed + 0
    printf "statuses"; for (s in status) printf " %s:%d", (s == 0 ? "none" : s), status[s]; printf "\n"
  }' "$file"
awk -F, 'NR > 1 && $3 != "warmup" { print $2 - $1 }' "$file" | sort -n | awk '
  { lat[NR] = $1 }
  function p(q,  i) { i = int(NR * q) + 1; if (i > NR) i = NR; return lat[i] }
  END { if (NR) printf "latency ms p50 %d, p90 %d, p99 %d, p99.9 %d, max %d\n", p(0.5), p(0.9), p(0.99), p(0.999), lat[NR] }'
