#!/usr/bin/env bash
# The database comparison of docs/DATABASES.md: relational rows vs a jsonb document per product vs
# Cassandra, on the seed's catalog. Builds the harness (bench/databases, its own Maven project)
# and runs it; every server starts and stops by itself on 127.0.0.1.
#   bench/databases/run.sh --products 100000 [--random-seed 42] [--stores relational,document,cassandra]
#                          [--duration-s 30] [--warmup-s 30] [--writes 1000] [--out FILE.md] [--docs docs]
# CASSANDRA_JAVA: the JDK 17 java for Cassandra (default Debian's openjdk-17).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/bin/lib/java.sh"
pick_java || exit 2
cassandra_java=${CASSANDRA_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
if [ ! -x "$cassandra_java" ]; then
  echo "error: Cassandra 5.0 runs on JDK 17, not found at $cassandra_java (apt-get install openjdk-17-jre-headless, or set CASSANDRA_JAVA)" >&2
  exit 2
fi
"$root/mvnw" -B -ntp -q -f "$here/pom.xml" package -DskipTests >&2
cd "$root"
exec "$JAVA_HOME/bin/java" -Xmx2g -Dcassandra.java="$cassandra_java" \
  -cp "$here/target/classes:$(cat "$here/target/classpath.txt")" com.example.images.dbcmp.Main "$@"
