#!/usr/bin/env bash
# `npm run bench`: every benchmark in test/bench, side by side with its peer, JSON in test/bench/results.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
ensure_node_modules
bash scripts/setup-python.sh
build_all
for bench in test/bench/*Bench.ts; do
  say "bench: $bench"
  npx tsx "$bench"
done
say "results: test/bench/results.json"
