#!/usr/bin/env bash
# Builds the application and bench, then runs the chaos soak (docs/benchmarks.md, "Chaos soak"):
# `paritysync serve` under SIGKILLs, a locked database, a full disk (a tmpfs it mounts: root only;
# skipped with a message elsewhere), hostile clients and a flaky channel; exits 1 when a check fails.
# Usage: bench/chaos-soak.sh [--minutes=3] [--clients=8] [--slow=200] [--properties=10]
#                            [--kill-every=S] [--lock-every=S] [--fill-every=S] [--seed=N]
# Loopback only. Takes the minutes asked plus up to about 7 (settling, building).
set -euo pipefail
cd "$(dirname "$0")/.."

# BENCH_MAVEN_FLAGS: extra flags for this build (.ci/run, right after a full build, passes
# -Dmaven.compiler.useIncrementalCompilation=false so that only stale sources recompile).
# shellcheck disable=SC2086
mvn -B -q -pl app,bench -am -DskipTests -Dspotless.check.skip=true ${BENCH_MAVEN_FLAGS:-} package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); java $(java -version 2>&1 | head -n 1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -cp "$cp" dev.paritysync.bench.chaos.ChaosSoak --jar=app/target/paritysync.jar "$@"
