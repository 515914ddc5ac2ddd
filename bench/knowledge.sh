#!/usr/bin/env bash
# Knowledge retrieval latency (1k and 10k passages per tenant) and ingestion throughput in process,
# each against a baseline measured in the same run; then an import end to end through the packaged
# application's API, on real PostgreSQL, against embedding the same passages alone. Loopback only.
# Usage: bench/knowledge.sh [passages imported end to end, default 6000]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -B -q test-compile
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null
"$JAVA_HOME/bin/java" -Xmx2g --add-modules jdk.incubator.vector -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.knowledge.KnowledgeBenchmark tenants-config/demo/knowledge
exec bench/run-on-jar.sh io.switchboard.knowledge.KnowledgeImportBenchmark "${1:-6000}"
