#!/usr/bin/env bash
# The guardrails' cost on ordinary text (injection scorer on the demo's questions, output guard on
# grounded answers): this tree against a baseline commit, built beside it, in one JVM, taking turns.
# Usage: bench/guard.sh [baseline commit, default a73e9f0 (before the bounded scorer and the CommonMark guard)] [rounds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
baseline="${1:-a73e9f0}"
rounds="${2:-30}"

dir=target/bench-baseline
rm -rf "$dir" && mkdir -p "$dir"
git archive "$baseline" | tar -x -C "$dir"
(cd "$dir" && ./mvnw -B -q compile -Dquarkus.build.skip=true)
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.assistant.GuardCostBenchmark "$dir/target/classes" "$rounds"
