#!/usr/bin/env bash
# Builds the application and bench, then runs the cluster scale bench (docs/benchmarks.md, "Cluster
# scale"): 1, 2, 3 and 4 `paritysync serve` workers on one PostgreSQL against a simulated channel
# with 200 ms latency, without and with a shared quota.
# Usage: bench/cluster-scale.sh [--workers=1,2,3,4] [--properties=N] [--days=N] [--quota=N/period]
#                               [--quota-seconds=S] [--concurrency=N]
# PostgreSQL: PARITYSYNC_PG_URL when set; otherwise a throwaway server on 127.0.0.1:55433 for this
# run only, as .ci/run starts one (needs Debian's postgresql package). Loopback only. Takes about
# 4 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."

mvn -B -q -pl app,bench -am -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/runtime-classpath.txt -DincludeScope=runtime -Dstyle.color=never >&2

if [ -z "${PARITYSYNC_PG_URL:-}" ]; then
  pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$pgbin" ] || { echo "cluster-scale: set PARITYSYNC_PG_URL or install postgresql" >&2; exit 2; }
  pgdir=$(mktemp -d)
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$pgdir"
    as_pg() { su postgres -s /bin/sh -c "$1"; }
  else
    as_pg() { sh -c "$1"; }
  fi
  as_pg "'$pgbin/initdb' -D '$pgdir/data' -A trust -U postgres >/dev/null"
  as_pg "'$pgbin/pg_ctl' -D '$pgdir/data' -l '$pgdir/log' -w \
    -o \"-p 55433 -k '$pgdir' -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null"
  trap "as_pg \"'$pgbin/pg_ctl' -D '$pgdir/data' -m fast stop\" >/dev/null 2>&1 || true; rm -rf '$pgdir'" EXIT
  export PARITYSYNC_PG_URL="jdbc:postgresql://127.0.0.1:55433/postgres?user=postgres"
fi

echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); java $(java -version 2>&1 | head -n 1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cp="bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
java ${CLUSTER_SCALE_JAVA_OPTS:-} -cp "$cp" dev.paritysync.bench.cluster.ClusterScale --jar=app/target/paritysync.jar --pg="$PARITYSYNC_PG_URL" "$@"
