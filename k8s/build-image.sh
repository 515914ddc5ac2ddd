#!/usr/bin/env bash
# Builds the container image as a tarball, with no Docker daemon and no registry:
#   target/switchboard-image.tar  (load with `podman load -i` / `docker load -i`,
#   or push with `skopeo copy docker-archive:target/switchboard-image.tar docker://<registry>/switchboard:<tag>`)
# Usage: k8s/build-image.sh [image name, default switchboard:latest]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

./mvnw -B -q package -DskipTests
./mvnw -B -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath > /dev/null
"$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.switchboard.platform.ContainerImage target/quarkus-app target/image-build target/switchboard-image.tar "${1:-switchboard:latest}"
ls -l target/switchboard-image.tar
