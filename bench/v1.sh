#!/usr/bin/env bash
# What /v1/chat/completions adds over calling the model server directly, and what the Portkey
# gateway adds over the same stub, in one run: latency at one connection (non-streaming, and
# time to first token streaming) and throughput at 32 connections. Loopback only, bounded.
# Usage: bench/v1.sh [--no-portkey]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

portkey=()
if [ "${1:-}" != "--no-portkey" ]; then
  (cd bench/portkey && npm install --no-audit --no-fund --silent)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  node --import ./bench/portkey/loopback.mjs bench/portkey/node_modules/.bin/gateway --port="$port" --headless \
    > target/bench-portkey.log 2>&1 &
  portkey_pid=$!
  trap 'kill $portkey_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 60); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.5
  done
  # Its URL, and its process for the CPU it spends per request.
  portkey=("http://127.0.0.1:$port" "$portkey_pid")
fi

"$JAVA_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.model.ChatCompletionsBenchmark target/quarkus-app/quarkus-run.jar "${portkey[@]}"
