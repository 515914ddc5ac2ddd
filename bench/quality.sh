#!/usr/bin/env bash
# Answer quality per language and per topic (cited article, top-1 and top-3 of the search, answer
# in the customer's language, false escalations, escalation recall) on one split of the Brightcart
# set, for this tree's jar beside a baseline commit's jar in the same run (each once: the figures do not
# depend on the machine's speed). The baseline has no knowledge search: its top-1, top-3 and language
# columns are empty, its "answered" column (the article the reply cited) compares. Loopback only.
# Usage: bench/quality.sh [tune|heldout, default tune] [baseline commit, default 1d5d028]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=2 exec bench/against.sh "${2:-1d5d028}" io.switchboard.knowledge.QualityBenchmark "${1:-tune}"
