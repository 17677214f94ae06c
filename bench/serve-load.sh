#!/usr/bin/env bash
# Builds the application and bench, then runs the ingest API load and SIGKILL run (docs/benchmarks.md,
# "Ingest API under load").
# Usage: bench/serve-load.sh [--clients=N] [--seconds=S] [--kill-after=S]
# Works from any directory; builds from the repository root without installing anything. Takes about
# 2 × seconds + kill-after + 30 s.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl app,bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -cp "$cp" dev.paritysync.bench.server.ServeLoad --jar=app/target/paritysync.jar "$@"
