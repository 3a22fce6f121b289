# Sourced by bin/images, bin/cluster and the container's entrypoint: class data sharing for
# `serve`. A start maps an archive of the classes that an earlier start loaded, and is ready
# sooner for it (docs/bench-log/2026-11-25-rounds-1-3.md). No serving JVM writes the archive: one
# that dumped it as it stopped (-XX:ArchiveClassesAtExit) grew past the service's 300 MB RSS
# budget doing so (docs/bench-log/2026-12-01-round-4.md). So the first start after a build only
# records the names of the classes it loads (-XX:DumpLoadedClassList), and once that JVM is gone
# a JVM of its own turns the list into an archive (-Xshare:dump): bin/cluster's supervisor as soon
# as its instance has exited, or else the next start, in the background once it has started, at
# the lowest priority; the start after that maps the archive.
# Each JVM records into a file of its own, named after a process that lives at least as long as
# the JVM; whoever archives a list first claims it with a rename, and an archive that the JVM
# accepts for this jar (-Xshare:on fails otherwise) is adopted with an atomic rename, so instances
# that start or stop together never write the same file.
# IMAGES_CDS=off turns it off; IMAGES_CDS_DIR puts the files elsewhere than beside the jar;
# IMAGES_CDS_DUMP_DELAY is how long a start waits before it archives in the background (15 s);
# IMAGES_CDS_DUMP=before-start archives before the start instead, for a container whose memory
# limit would have to hold the service and the dumping JVM, nearly as large, at once
# (docs/bench-log/2026-12-01-round-5.md).
#   cds_options JAR OWNER_PID   sets the array `cds` to the JVM options for one start
#   cds_adopt JAR OWNER_PID     archives the classes that OWNER_PID's JVM recorded (it is gone)

cds_script=${BASH_SOURCE[0]}
cds_archive() { echo "${IMAGES_CDS_DIR:-$(dirname "$1")}/images-serve.jsa"; }
cds_quiet=(-Xlog:cds=off -Xlog:cds+dynamic=off)

cds_adopt() {
  local jar=$1 owner=$2 archive claimed dumped
  archive=$(cds_archive "$jar")
  claimed="$archive.dumping.$BASHPID" dumped="$archive.$BASHPID"
  mv "$archive.classes.$owner" "$claimed" 2>/dev/null || return 0
  if [ ! -f "$archive" ] && [ ! "$jar" -nt "$claimed" ]; then
    # JDK 24 and later also load and link the archived classes ahead of time (JEP 483): a sooner
    # start and a smaller RSS at start (docs/bench-log/2026-12-02-round-6.md).
    local linking=()
    if "$JAVA_HOME/bin/java" -XX:+AOTClassLinking -version >/dev/null 2>&1; then linking=(-XX:+AOTClassLinking); fi
    # The dump runs with the service's collector, so that the archive's heap objects map as they are.
    if "$JAVA_HOME/bin/java" -Xshare:dump -XX:+UseSerialGC "${linking[@]}" -XX:SharedClassListFile="$claimed" \
        -XX:SharedArchiveFile="$dumped" "${cds_quiet[@]}" -cp "$jar" >/dev/null 2>&1 \
      && "$JAVA_HOME/bin/java" -XX:SharedArchiveFile="$dumped" -Xshare:on "${cds_quiet[@]}" -cp "$jar" -version >/dev/null 2>&1; then
      mv -f "$dumped" "$archive"
    fi
  fi
  rm -f "$claimed" "$dumped"
}

cds_options() {
  local jar=$1 owner=$2 archive stale list dumping="" finished=""
  cds=()
  [ "${IMAGES_CDS:-on}" = on ] || return 0
  archive=$(cds_archive "$jar")
  for stale in "$archive" "$archive".*; do
    if [ -f "$stale" ] && [ "$jar" -nt "$stale" ]; then rm -f "$stale"; fi
  done
  if [ ! -f "$archive" ]; then
    # A list whose owner is this very process (a container's PID 1 after a restart) is finished too.
    for list in "$archive".classes.*; do
      if [ -f "$list" ] && { [ "${list##*.}" = "$owner" ] || ! kill -0 "${list##*.}" 2>/dev/null; }; then
        finished=${list##*.}
        break
      fi
    done
    for stale in "$archive".dumping.*; do
      if [ -f "$stale" ] && kill -0 "${stale##*.}" 2>/dev/null; then dumping=yes; else rm -f "$stale"; fi
    done
    if [ -n "$dumping" ]; then
      : # another process is archiving: this start goes without
    elif [ -n "$finished" ] && [ "${IMAGES_CDS_DUMP:-background}" = before-start ]; then
      cds_adopt "$jar" "$finished"
    elif [ -n "$finished" ]; then
      # After the start it would slow down (2.7 -> 4.5 s to ready, measured), on idle CPU time only;
      # setsid: a Ctrl-C meant for the service does not stop the dump half way.
      JAVA_HOME=$JAVA_HOME setsid chrt --idle 0 bash -c 'sleep "$4"; . "$1"; cds_adopt "$2" "$3"' cds \
        "$cds_script" "$jar" "$finished" "${IMAGES_CDS_DUMP_DELAY:-15}" </dev/null >/dev/null 2>&1 &
    else
      cds=(-XX:DumpLoadedClassList="$archive.classes.$owner")
    fi
  fi
  [ ! -f "$archive" ] || cds=(-XX:SharedArchiveFile="$archive" "${cds_quiet[@]}")
}
