#!/usr/bin/env bash
# What durable commits cost the embedded default: chat turns (REST, echo model) with the embedded
# PostgreSQL committing synchronously (the default) and relaxed, taking turns on fresh data folders.
# Usage: bench/embedded-commit.sh [seconds per phase, default 20] [rounds, default 2] [conversation counts, default 1 20]
exec "$(dirname "$0")/run-on-jar.sh" io.switchboard.platform.EmbeddedCommitBenchmark "$@"
