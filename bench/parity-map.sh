#!/usr/bin/env bash
# Builds the application and bench, then times the web UI's parity heat map over the demo's portfolio
# (docs/benchmarks.md, "Parity heat map").
# Usage: bench/parity-map.sh [--runs=N]
# Works from any directory; builds from the repository root without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl app,bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
java -version 2>&1 | head -1
cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -cp "$cp" dev.paritysync.bench.ui.ParityMapBench --jar=app/target/paritysync.jar "$@"
