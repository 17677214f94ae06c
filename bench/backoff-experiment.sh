#!/usr/bin/env bash
# Builds bench and runs the backoff-and-jitter experiment (docs/benchmarks.md).
# Usage: bench/backoff-experiment.sh [--quick] [--seed=<long>] [--closed-runs=<n>] [--closed-only]
# The closed system's reference means are the original's own output (docs/benchmarks.md says how).
# Works from any directory; builds from the repository root without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

# package, then write bench's runtime classpath (with the reactor's core jar) to a file.
mvn -B -q -pl bench -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -cp "$cp" dev.paritysync.bench.backoff.BackoffExperiment "$@"
