#!/usr/bin/env bash
# Idle widget WebSockets on one replica: resident memory and heap with N open (default 10,000)
# against none, and a chat turn's time with and without them. Loopback only, bounded in count.
# Usage: bench/sockets.sh [sockets]
exec "$(dirname "$0")/run-on-jar.sh" io.switchboard.widget.IdleSocketsBenchmark "$@"
