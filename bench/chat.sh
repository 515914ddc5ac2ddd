#!/usr/bin/env bash
# A customer's chat turn over the widget's REST API and its WebSocket at 1, 50 and 200
# conversations at once, against the model stub answering directly at the same concurrency:
# added latency, turns/s, stored messages/s, CPU per turn, RSS. Then the same turns at a
# customer's pace (each conversation's next message 5-15 s after the answer) at the last count.
# Then customer messages into conversations a person owns (stored, no bot turn) against the same
# rows inserted straight into PostgreSQL. Loopback only, bounded in time.
# Usage: bench/chat.sh [seconds per phase, default 10] [conversation counts, default 1 50 200]
#        [turns|paced|intake, default all three] [warmup=seconds of load before each part is measured,
#        per way of sending, default 180]
exec "$(dirname "$0")/run-on-jar.sh" io.switchboard.widget.ChatTurnBenchmark "$@"
