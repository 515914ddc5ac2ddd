#!/usr/bin/env bash
# Builds the packaged application and the test classes, then runs the given main class of the
# test tree with the packaged jar as its first argument. Used by the benchmark scripts.
# Usage: bench/run-on-jar.sh <main class> [arguments after the jar...]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
main_class="$1"
shift

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

exec "$JAVA_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  "$main_class" target/quarkus-app/quarkus-run.jar "$@"
