# Sourced by bin/images and bin/cluster: class data sharing for `serve`. A start maps the classes
# that an earlier start archived when it stopped (ready in 1.8 s instead of 3.2 s on a busy
# machine, docs/BENCHMARKS.md). Each JVM archives into a file of its own, named after a process
# that lives at least as long as the JVM may write it; a finished one that the JVM accepts for
# this jar (-Xshare:on fails otherwise) is adopted with an atomic rename, so instances that stop
# together never write the same file. IMAGES_CDS=off turns it off.
#   cds_options JAR OWNER_PID   sets the array `cds` to the JVM options for one start
#   cds_adopt JAR DUMP          adopts DUMP now (its writer is known to be gone)

cds_archive() { echo "$(dirname "$1")/images-serve.jsa"; }
cds_quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)

cds_adopt() {
  local jar=$1 dumped=$2 archive
  archive=$(cds_archive "$jar")
  [ -f "$dumped" ] || return 0
  if [ ! -f "$archive" ] && [ ! "$jar" -nt "$dumped" ] \
    && "$JAVA_HOME/bin/java" -XX:SharedArchiveFile="$dumped" -Xshare:on "${cds_quiet[@]}" -cp "$jar" -version >/dev/null 2>&1; then
    mv -f "$dumped" "$archive"
  else
    rm -f "$dumped"
  fi
}

cds_options() {
  local jar=$1 owner=$2 archive stale dumped
  cds=()
  [ "${IMAGES_CDS:-on}" = on ] || return 0
  archive=$(cds_archive "$jar")
  for stale in "$archive" "$archive".*; do
    if [ -f "$stale" ] && [ "$jar" -nt "$stale" ]; then rm -f "$stale"; fi
  done
  for dumped in "$archive".*; do
    [ -f "$archive" ] && break
    if [ -f "$dumped" ] && ! kill -0 "${dumped##*.}" 2>/dev/null; then cds_adopt "$jar" "$dumped"; fi
  done
  if [ -f "$archive" ]; then
    cds=(-XX:SharedArchiveFile="$archive" "${cds_quiet[@]}")
  else
    cds=(-XX:ArchiveClassesAtExit="$archive.$owner" "${cds_quiet[@]}")
  fi
}
