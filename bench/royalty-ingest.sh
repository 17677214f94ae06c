#!/usr/bin/env bash
# Builds bench and runs the royalty ingest benchmark (docs/benchmarks.md, "Royalty ingest"):
# a generated distributor CSV (default 10,000,000 rows) through `royalty ingest`'s FileIngest with
# -Xmx256m, against DuckDB's own read_csv of the same file in the same run; then a generated DDEX
# DSR flat file (default 2,000,000 sales lines) against DuckDB reading it as a plain TSV.
# Usage: bench/royalty-ingest.sh [--format=csv|dsr|both] [--rows=<n>] [--dsr-rows=<n>]
#                                [--territories=<n>] [--months=<n>] [--dir=<path>]
#                                [--memory-limit=<size>] [--seed=<long>] [--keep]
# Works from any directory; builds from the repository root without installing anything.
set -euo pipefail
cd "$(dirname "$0")/.."

# package, then write bench's runtime classpath (with the reactor's jars) to a file.
mvn -B -q -pl bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
exec java -Xmx256m -cp "$cp" dev.paritysync.bench.royalty.RoyaltyIngestBench "$@"
