#!/usr/bin/env bash
# Builds bench and runs the end-to-end delivery workloads (docs/benchmarks.md, "End-to-end: delivery").
# Usage: bench/engine-delivery.sh [--quick] [--concurrency=N] [all|ratio|outage|latency|latency-quota ...]
# Works from any directory; builds from the repository root without installing anything. The full
# run takes 15-20 minutes of real time (a 60 s outage, quota-bound drains, a 5 min wait when the
# quota scenario does not settle); --quick about 8.
set -euo pipefail
cd "$(dirname "$0")/.."

# package, then write bench's runtime classpath (with the reactor's jars) to a file.
mvn -B -q -pl bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -cp "$cp" dev.paritysync.bench.engine.DeliveryWorkload "$@"
