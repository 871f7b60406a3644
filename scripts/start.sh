#!/usr/bin/env bash
# `npm start`: installs what is missing, starts MLflow (SQLite backend, local artifacts) and the MLSight proxy
# on the embedded SQLite drift store, seeds the demo once, and prints the URLs. Ctrl-C stops everything.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

export MLSIGHT_DATA_DIR="${MLSIGHT_DATA_DIR:-$REPO_ROOT/.data}"
export MLSIGHT_MLFLOW_PORT="${MLSIGHT_MLFLOW_PORT:-5000}"
export MLSIGHT_HOST="${MLSIGHT_HOST:-127.0.0.1}"
export MLSIGHT_PORT="${MLSIGHT_PORT:-8450}"
export MLSIGHT_MLFLOW_URL="${MLSIGHT_MLFLOW_URL:-http://127.0.0.1:$MLSIGHT_MLFLOW_PORT}"
export MLSIGHT_SQLITE_PATH="${MLSIGHT_SQLITE_PATH:-$MLSIGHT_DATA_DIR/mlsight.db}"
# Local look-around only: auth off is refused by the proxy unless it listens on loopback.
export MLSIGHT_AUTH="${MLSIGHT_AUTH:-off}"
mkdir -p "$MLSIGHT_DATA_DIR"

ensure_node_modules
bash scripts/setup-python.sh
build_all

bash scripts/mlflow.sh start
if [ ! -f "$MLSIGHT_DATA_DIR/demo-seeded.json" ]; then
  say "seeding the demo into MLflow (once)…"
  "$REPO_ROOT/.venv/bin/python" scripts/seed_demo.py --tracking-uri "$MLSIGHT_MLFLOW_URL" \
    --summary-out "$MLSIGHT_DATA_DIR/demo-seeded.json.tmp"
  mv "$MLSIGHT_DATA_DIR/demo-seeded.json.tmp" "$MLSIGHT_DATA_DIR/demo-seeded.json"
fi

cleanup() {
  say "stopping…"
  [ -n "${host_pid:-}" ] && kill "$host_pid" 2>/dev/null || true
  [ -n "${proxy_pid:-}" ] && kill "$proxy_pid" 2>/dev/null || true
  bash scripts/mlflow.sh stop || true
}
trap cleanup EXIT INT TERM

node backend-proxy/dist/server.js &
proxy_pid=$!
for _ in $(seq 1 100); do
  curl -fsS "http://$MLSIGHT_HOST:$MLSIGHT_PORT/healthz" >/dev/null 2>&1 && break
  kill -0 "$proxy_pid" 2>/dev/null || die "the proxy exited during start-up (see its log above)"
  sleep 0.2
done

# The demo story (30 days of predictions, drift, delayed labels) goes through the proxy's ingest API, once.
if [ ! -f "$MLSIGHT_DATA_DIR/demo-story.json" ]; then
  say "telling the demo story through the proxy (once)…"
  # With MLSIGHT_AUTH=on, export MLSIGHT_INGEST_TOKEN (a token with the ingest scope) first.
  "$REPO_ROOT/.venv/bin/python" scripts/seed_story.py --proxy-url "http://$MLSIGHT_HOST:$MLSIGHT_PORT" \
    --summary-out "$MLSIGHT_DATA_DIR/demo-story.json.tmp" || die "the demo story failed (see its output above)"
  mv "$MLSIGHT_DATA_DIR/demo-story.json.tmp" "$MLSIGHT_DATA_DIR/demo-story.json"
fi

# The plugins to look at: the plugin host (a stand-in for Grafana's frontend, see test/host/README.md) with the
# persona dashboards, and Prometheus when it is installed. It prints the dashboards' URLs.
export MLSIGHT_PROXY_URL="http://$MLSIGHT_HOST:$MLSIGHT_PORT"
export MLSIGHT_HOST_PORT="${MLSIGHT_HOST_PORT:-3300}"
npx tsx scripts/plugin-host.ts &
host_pid=$!
for _ in $(seq 1 300); do
  curl -fsS "http://127.0.0.1:$MLSIGHT_HOST_PORT/api/search" >/dev/null 2>&1 && break
  kill -0 "$host_pid" 2>/dev/null || die "the plugin host exited during start-up (see its output above)"
  sleep 0.2
done

cat <<MSG

  MLSight is running
    MLSight app      http://127.0.0.1:$MLSIGHT_HOST_PORT/a/mlsight-app/fleet   (fleet overview → model pages)
    Dashboards       http://127.0.0.1:$MLSIGHT_HOST_PORT/d/mlsight-business   (all persona dashboards: listed above)
    MLflow UI        $MLSIGHT_MLFLOW_URL
    Proxy            http://$MLSIGHT_HOST:$MLSIGHT_PORT   (readiness: /readyz, API: /api/v1/openapi.json)
    Try              curl -s http://$MLSIGHT_HOST:$MLSIGHT_PORT/readyz
                     curl -s -XPOST http://$MLSIGHT_HOST:$MLSIGHT_PORT/api/v1/query -H 'content-type: application/json' \\
                       -d '{"from":"0","to":"now","queries":[{"refId":"A","queryType":"provenance","model":"credit-risk"}]}'
  Ctrl-C stops the plugin host, the proxy and MLflow.

MSG
wait "$proxy_pid"
