#!/usr/bin/env bash
# Idle widget WebSockets on one replica: resident memory and heap with N open (default 10,000)
# against none, and a chat turn's time with and without them. Loopback only, bounded in count.
# Usage: bench/sockets.sh [sockets]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

exec "$JAVA_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.widget.IdleSocketsBenchmark target/quarkus-app/quarkus-run.jar "$@"
