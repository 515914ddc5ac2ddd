#!/usr/bin/env bash
# The embedded default as a newcomer starts it: time to ready and to the demo's first answer, and
# idle memory, for a first start, a restart, and the same start on the local PostgreSQL.
# Usage: bench/startup.sh
exec "$(dirname "$0")/run-on-jar.sh" io.switchboard.platform.StartupBenchmark "$@"
