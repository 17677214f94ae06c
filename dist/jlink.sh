#!/usr/bin/env bash
# Builds dist/target/paritysync-<version>-linux-<arch>.tar.gz: the release archive with a Java
# runtime made by jlink under runtime/, so nothing needs installing (bin/paritysync prefers it).
# Needs a JDK 17 with its jmods/ (Debian: openjdk-17-jdk-headless); JLINK_JDK picks another.
# Builds the plain archive first when dist/target has none (mvn -B -q -DskipTests package).
# Then checks the result: --version, config check and completion on the bundled runtime, with a
# PATH that has no java. See docs/running.md ("From the release archive").
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

jdk="${JLINK_JDK:-${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac || command -v jlink)")")")}}"
[ -x "$jdk/bin/jlink" ] || { echo "jlink.sh: no jlink in $jdk/bin; set JLINK_JDK to a JDK 17" >&2; exit 2; }
[ -d "$jdk/jmods" ] || { echo "jlink.sh: $jdk has no jmods/; install the full JDK (openjdk-17-jdk-headless)" >&2; exit 2; }
feature=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
[ "$feature" = 17 ] || echo "jlink.sh: note: $jdk is Java $feature; the archive is built for 17" >&2

archive=$(ls "$root"/dist/target/paritysync-*.tar.gz 2>/dev/null | grep -v -- '-linux-' | head -n 1 || true)
if [ -z "$archive" ]; then
  echo "jlink.sh: building the release archive first" >&2
  (cd "$root" && mvn -B -q -DskipTests package)
  archive=$(ls "$root"/dist/target/paritysync-*.tar.gz | grep -v -- '-linux-' | head -n 1)
fi
name=$(basename "$archive" .tar.gz)                      # paritysync-<version>
case "$(uname -m)" in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
out="$root/dist/target/$name-linux-$arch.tar.gz"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -xzf "$archive" -C "$work"

# What the application and its libraries use: SQL and JDBC drivers, the HTTP client, XML (OTA),
# JMX and the JVM's metrics (Micrometer, HikariCP), JNDI (logback, Jetty), TLS with EC keys,
# sun.misc.Unsafe (several libraries), java.beans (Jackson), extra charsets and zip file systems.
modules=java.base,java.desktop,java.logging,java.management,java.naming,java.net.http,java.security.jgss,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.management,jdk.unsupported,jdk.zipfs
"$jdk/bin/jlink" --module-path "$jdk/jmods" --add-modules "$modules" \
  --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$work/$name/runtime"

# The check: the bundled runtime alone, with a PATH holding only what the launcher needs.
mkdir "$work/tools"
for tool in sh dirname readlink; do ln -s "$(command -v "$tool")" "$work/tools/$tool"; done
run() { (cd "$work/$name" && env -i PATH="$work/tools" HOME="$work" LANG=C.UTF-8 bin/paritysync "$@"); }
run --version | grep -q "^paritysync " || { echo "jlink.sh: --version failed on the bundled runtime" >&2; exit 1; }
for f in "$work/$name"/examples/*.yaml "$work/$name"/examples/*/*.yaml; do
  run config check "${f#"$work/$name/"}" >/dev/null || { echo "jlink.sh: config check $f failed" >&2; exit 1; }
done
run completion | grep -q _complete_paritysync || { echo "jlink.sh: completion failed" >&2; exit 1; }

tar -czf "$out" -C "$work" "$name"
echo "$out ($(du -h "$out" | cut -f1); runtime $(du -sh "$work/$name/runtime" | cut -f1) unpacked)"
