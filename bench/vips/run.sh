#!/usr/bin/env bash
# How much of a rendition set is libvips' process start-up? Makes a 12 MP JPEG and a 2 MP PNG,
# then times (median of RUNS): a trivial vips call on a 1x1 image (the per-process overhead),
# the rendition set as VipsCliProcessor makes it (one decode to a .v file, 15 renditions and a
# 32 px swatch from it; sequential, then 2 processes at a time), and the naive set (15 vips
# thumbnail calls, each decoding the original again).
# Variants are interleaved run by run, so load from elsewhere falls on all of them alike.
# Usage: bench/vips/run.sh [RUNS]   (default 5; writes nothing outside a temp dir)
set -euo pipefail
RUNS=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

# Pictures with detail everywhere (Perlin noise per channel plus grain), so encoders work as on photos.
make_picture() { # width height out
  vips perlin r.v "$1" "$2" --cell-size 300 --seed 1
  vips perlin g.v "$1" "$2" --cell-size 200 --seed 2
  vips perlin b.v "$1" "$2" --cell-size 500 --seed 3
  vips bandjoin "r.v g.v b.v" rgbf.v
  vips linear rgbf.v rgb.v 110 128 --uchar
  vips gaussnoise n.v "$1" "$2" --sigma 12
  vips add rgb.v n.v noisy.v
  vips cast noisy.v "$3" uchar
  rm -f r.v g.v b.v rgbf.v rgb.v n.v noisy.v
}
make_picture 4000 3000 p12.v && vips copy p12.v photo-12mp.jpg[Q=90] && rm p12.v
make_picture 1632 1224 p2.v && vips copy p2.v photo-2mp.png && rm p2.v
vips black tiny.v 1 1

widths() { # the widths VipsCliProcessor makes for an image this wide
  local w=$1 top=$(( $1 < 2048 ? $1 : 2048 )) out=""
  for x in 160 320 640 1280 2048; do [ "$x" -lt "$top" ] && out="$out $x"; done
  echo "$out $top"
}

commands() { # original outdir: the command lines VipsCliProcessor runs after its probe, one a line
  local in=$1 out=$2 w top
  w=$(vipsheader -f width "$in"); top=$(( w < 2048 ? w : 2048 ))
  echo "vips thumbnail $in $out/top.v $top --height 10000000 --size down --export-profile srgb --fail-on error"
  for fmt in "avif[Q=50,compression=av1,bitdepth=8,strip]" "webp[Q=80,strip]" "jpg[Q=82,strip,optimize-coding,interlace,background=255]"; do
    for x in $(widths "$w" | tr ' ' '\n' | sort -rn); do
      if [ "$x" = "$top" ]; then echo "vips copy $out/top.v $out/$x.$fmt"
      else echo "vips thumbnail $out/top.v $out/$x.$fmt $x --height 10000000 --size down"; fi
    done
  done
  echo "vips thumbnail $out/top.v $out/tiny.png 32 --height 32"
}

pipeline() { # original parallelism -> ms
  local in=$1 p=$2 out start
  out=$(mktemp -d -p .); start=$(ms)
  VIPS_BLOCK_UNTRUSTED=1 vipsheader -a "$in" >/dev/null
  commands "$in" "$out" > "$out.cmds"
  VIPS_BLOCK_UNTRUSTED=1 bash -c "$(head -1 "$out.cmds")"
  tail -n +2 "$out.cmds" | xargs -P "$p" -I{} bash -c "{}"
  echo $(( $(ms) - start )); rm -rf "$out" "$out.cmds"
}

naive() { # original -> ms: 15 calls, each decoding the original
  local in=$1 out start w
  out=$(mktemp -d -p .); start=$(ms); w=$(vipsheader -f width "$in")
  for fmt in "avif[Q=50,compression=av1,bitdepth=8,strip]" "webp[Q=80,strip]" "jpg[Q=82,strip,optimize-coding,interlace,background=255]"; do
    for x in $(widths "$w"); do
      vips thumbnail "$in" "$out/$x.$fmt" "$x" --height 10000000 --size down --export-profile srgb
    done
  done
  echo $(( $(ms) - start )); rm -rf "$out"
}

trivial() { local start; start=$(ms); vips copy tiny.v tiny2.v; echo $(( $(ms) - start )); }

echo "machine: $(nproc) cores, $(vips --version), load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%FT%TZ)"
for f in photo-12mp.jpg photo-2mp.png; do
  n=$(( $(commands "$f" /x | wc -l) + 1 ))
  : > seq1.txt; : > seq2.txt; : > naive.txt; : > spawn.txt
  # Interleaved, so that other load on the machine falls on every variant alike.
  for _ in $(seq 1 "$RUNS"); do
    pipeline "$f" 1 >> seq1.txt; pipeline "$f" 2 >> seq2.txt; naive "$f" >> naive.txt
    for _ in 1 2 3 4; do trivial >> spawn.txt; done
  done
  seq1=$(median < seq1.txt); seq2=$(median < seq2.txt); nv=$(median < naive.txt); spawn=$(median < spawn.txt)
  echo "$f ($(vipsheader "$f" | cut -d: -f2 | cut -d, -f1 | xargs)), medians of $RUNS: $n processes; set sequential $seq1 ms, 2 at a time $seq2 ms; naive (15 decodes) $nv ms; trivial vips call $spawn ms, x $n = $((n * spawn)) ms = $(awk -v a=$((n * spawn)) -v b="$seq1" 'BEGIN {printf "%.2f", a / b}') of the sequential set"
  echo "  runs: sequential $(tr '\n' ' ' < seq1.txt)| 2 at a time $(tr '\n' ' ' < seq2.txt)| naive $(tr '\n' ' ' < naive.txt)| trivial $(tr '\n' ' ' < spawn.txt)"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
