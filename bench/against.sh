#!/usr/bin/env bash
# Runs a benchmark of the test tree against this tree's jar and a baseline commit's jar, built
# beside it, taking turns (baseline, this tree, this tree, baseline): each run prints its own
# figures against its own baseline (the model stub, PostgreSQL), so the two jars compare within
# one invocation on the same machine state. Loopback only, bounded by the benchmark's arguments.
# Usage: bench/against.sh <baseline commit> <benchmark main class> [benchmark arguments after the jar...]
# Example: bench/against.sh 4650590 io.switchboard.widget.ChatTurnBenchmark 10 1 50 turns warmup=30
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
baseline="$1"
main_class="$2"
shift 2

dir=target/bench-baseline
rm -rf "$dir" && mkdir -p "$dir"
git archive "$baseline" | tar -x -C "$dir"
(cd "$dir" && ./mvnw -B -q package -DskipTests -Dspotless.check.skip=true)
./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null

run() {
  local label="$1" jar="$2"
  shift 2
  echo "=== $label: $jar"
  "$JAVA_HOME/bin/java" -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
    "$main_class" "$jar" "$@"
}
# Baseline, this tree, this tree, baseline: a drift of the machine over the runs weighs on both alike.
# RUNS=2 runs each jar once, for figures that do not depend on the machine's speed (answer quality).
run "baseline $baseline, run 1" "$dir/target/quarkus-app/quarkus-run.jar" "$@"
run "this tree, run 1" target/quarkus-app/quarkus-run.jar "$@"
if [[ "${RUNS:-4}" -gt 2 ]]; then
  run "this tree, run 2" target/quarkus-app/quarkus-run.jar "$@"
  run "baseline $baseline, run 2" "$dir/target/quarkus-app/quarkus-run.jar" "$@"
fi
