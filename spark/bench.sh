#!/usr/bin/env bash
# Rows per second of ShapeProofTransformer on local[1] and local[2] against a plain Java loop over the same rows
# (bench/README.md, "Spark"). Builds the reactor with the spark module, then runs both cases in one JVM each.
# Settings: CASES ("mnist 20000 64 4 5" and "context 256 8 4 5" by default, one per line), SKIP_BUILD=1.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q -Pspark -DskipTests package
fi
CASES=${CASES:-"mnist 20000 64 4 5
context 256 8 4 5"}
CP="spark/target/test-classes:spark/target/classes:$(cat spark/target/test-classpath.txt)"
# What Spark needs opened on Java 17: the spark module's Surefire argLine (spark.java17.options in spark/pom.xml).
OPENS=$(sed -n 's:.*<spark.java17.options>\(.*\)</spark.java17.options>.*:\1:p' spark/pom.xml)
echo "$CASES" | while read -r args; do
  [ -z "$args" ] && continue
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=1 java $OPENS -Xmx6g -Dlog4j2.configurationFile=spark/src/test/resources/log4j2-test.properties \
    -cp "$CP" dev.shapeproof.spark.bench.Throughput $args 2>&1 | grep '^RESULT'
done
