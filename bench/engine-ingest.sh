#!/usr/bin/env bash
# Builds bench and runs the end-to-end ingest workload (docs/benchmarks.md, "End-to-end: ingest").
# Usage: bench/engine-ingest.sh [--cells=<n>] [--call-cells=<n>] [--seed=<long>] [--sync=FULL,NORMAL]
# Works from any directory; builds from the repository root without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

# package, then write bench's runtime classpath (with the reactor's jars) to a file.
mvn -B -q -pl bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -Xmx1g -cp "$cp" dev.paritysync.bench.engine.IngestWorkload "$@"
