#!/usr/bin/env bash
# Knowledge retrieval latency (1k and 10k passages per tenant) and ingestion throughput,
# each against a baseline measured in the same run. In-process only: no network traffic.
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null
exec "$JAVA_HOME/bin/java" -Xmx2g --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.knowledge.KnowledgeBenchmark tenants-config/demo/knowledge
