#!/usr/bin/env bash
# A customer's chat turn over the widget's REST API and its WebSocket at 1, 50 and 200
# conversations at once, against the model stub answering directly at the same concurrency:
# added latency, turns/s, stored messages/s, RSS. Loopback only, bounded in time.
# Usage: bench/chat.sh [seconds per phase, default 10] [conversation counts, default 1 50 200]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

exec "$JAVA_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.widget.ChatTurnBenchmark target/quarkus-app/quarkus-run.jar "$@"
