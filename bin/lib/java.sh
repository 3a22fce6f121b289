# Sourced by the scripts in bin/ and bench/: picks a JDK >= 21 and exports JAVA_HOME.
# JAVA_HOME wins when it is new enough; otherwise Temurin 25 where it is installed.

java_major() {
  # A JDK's release file names its version; asking the JVM itself costs a JVM start (0.1-0.3 s
  # of every service start).
  local version=""
  [ -f "$1/release" ] && version=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  if [ -z "$version" ]; then
    version=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)
  fi
  echo "$version"
}

pick_java() {
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/java" ]; then
      local major
      major=$(java_major "$candidate")
      if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$candidate"
        return 0
      fi
    fi
  done
  echo "error: a JDK 21 or newer is needed: set JAVA_HOME to one (JAVA_HOME=${JAVA_HOME:-unset}; /usr/lib/jvm/temurin-25-jdk-amd64 not found)" >&2
  return 1
}
