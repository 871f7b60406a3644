# Shared helpers for the repo's shell scripts. Source it; it sets REPO_ROOT.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export REPO_ROOT

say() { printf '\033[1m[mlsight]\033[0m %s\n' "$*"; }
die() { printf '\033[31m[mlsight] %s\033[0m\n' "$*" >&2; exit 1; }

# npm ci when node_modules is missing or older than the lockfile.
ensure_node_modules() {
  local stamp="$REPO_ROOT/node_modules/.package-lock.json"
  if [ ! -f "$stamp" ] || [ "$REPO_ROOT/package-lock.json" -nt "$stamp" ]; then
    say "installing npm dependencies (npm ci)…"
    (cd "$REPO_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Builds the TypeScript projects (incremental) and the Grafana plugins.
build_all() {
  say "building (tsc -b, plugins)…"
  (cd "$REPO_ROOT" && npm run --silent build)
}
