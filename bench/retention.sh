#!/usr/bin/env bash
# Builds bench and runs a week of traffic compressed in virtual time with retention
# (docs/benchmarks.md, "Retention: a week in a flat file").
# Usage: bench/retention.sh [--days=7] [--changes-per-hour=600] [--retention=1d] [--seed=1]
# Works from any directory; builds from the repository root without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

# package, then write bench's runtime classpath (with the reactor's jars) to a file.
mvn -B -q -pl bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -Xmx1g -cp "$cp" dev.paritysync.bench.engine.RetentionWorkload "$@"
