#!/usr/bin/env bash
# `npm run bench`: every benchmark in test/bench, side by side with its peer, JSON in test/bench/results.json.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"
ensure_node_modules
bash scripts/setup-python.sh
# The Python client's send rate (test/bench/clientBench.ts) runs the client as installed, not from the source tree.
"${MLSIGHT_VENV:-$REPO_ROOT/.venv}/bin/python" -m pip install --quiet --disable-pip-version-check ./clients/python
build_all
for bench in test/bench/*Bench.ts; do
  say "bench: $bench"
  npx tsx "$bench"
done
say "results: test/bench/results.json"
