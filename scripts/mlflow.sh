#!/usr/bin/env bash
# Start, stop or query the local MLflow tracking server (loopback only) that the demo and the tests read.
#
# Usage: scripts/mlflow.sh start|stop|status
#   start   starts `mlflow server` in the background (its own process group), waits until GET /health answers;
#           says so and exits 0 if it is already running
#   stop    TERM to the whole process group, KILL after a bounded wait; exits 0 if it was not running
#   status  prints running (exit 0) or not running (exit 3, the LSB status code)
#
# Environment:
#   MLSIGHT_MLFLOW_PORT           port on 127.0.0.1 (default 5000)
#   MLSIGHT_DATA_DIR              data root (default <repo>/.data); MLflow keeps everything under $MLSIGHT_DATA_DIR/mlflow:
#                                 mlflow.db (sqlite backend + registry), artifacts/, mlflow.pid, mlflow.port, mlflow.log
#   MLSIGHT_VENV                  venv holding mlflow (default <repo>/.venv; scripts/setup-python.sh makes it)
#   MLSIGHT_MLFLOW_START_TIMEOUT  seconds to wait for /health (default 90)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${MLSIGHT_MLFLOW_PORT:-5000}"
DATA_DIR="${MLSIGHT_DATA_DIR:-$ROOT/.data}"
VENV="${MLSIGHT_VENV:-$ROOT/.venv}"
START_TIMEOUT="${MLSIGHT_MLFLOW_START_TIMEOUT:-90}"
STOP_TIMEOUT=20
HOST=127.0.0.1

MLFLOW_DIR="$DATA_DIR/mlflow"
PID_FILE="$MLFLOW_DIR/mlflow.pid"
PORT_FILE="$MLFLOW_DIR/mlflow.port"
LOG_FILE="$MLFLOW_DIR/mlflow.log"

say() { echo "[mlflow] $*"; }
fail() {
  echo "[mlflow] ERROR: $*" >&2
  exit 1
}

# The pid in the pid file, if that process is alive and still an mlflow server (pids get reused after a reboot).
running_pid() {
  local pid
  pid="$(cat "$PID_FILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'mlflow server' || return 1
  echo "$pid"
}

recorded_port() { cat "$PORT_FILE" 2>/dev/null || echo "$PORT"; }

healthy() { curl -fsS --max-time 2 "http://$HOST:$1/health" >/dev/null 2>&1; }

port_in_use() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

# Any live (non-zombie) process left in the group? The uvicorn worker can outlive the `mlflow server` parent.
group_alive() { ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }

log_tail() {
  echo "---- last lines of $LOG_FILE ----" >&2
  tail -n 40 "$LOG_FILE" >&2 2>/dev/null || true
}

cmd_start() {
  local pid
  if pid="$(running_pid)"; then
    say "already running at http://$HOST:$(recorded_port) (pid $pid)"
    return 0
  fi
  [[ -x "$VENV/bin/mlflow" ]] || fail "$VENV/bin/mlflow not found; run scripts/setup-python.sh first"
  command -v curl >/dev/null 2>&1 || fail "curl is required"
  port_in_use "$PORT" && fail "port $PORT on $HOST is already in use by another process (set MLSIGHT_MLFLOW_PORT)"
  mkdir -p "$MLFLOW_DIR/artifacts"
  echo "==== $(date -u +%FT%TZ) start on port $PORT ====" >>"$LOG_FILE"

  local started=$SECONDS
  rm -f "$PID_FILE"
  echo "$PORT" >"$PORT_FILE"
  # setsid: its own session and process group, so stop can signal the server and its uvicorn worker together.
  # The inner shell writes its own pid (= the group id) and execs mlflow, whether or not setsid had to fork.
  # Job execution (GenAI scorers) is off unless asked for: it forks seven extra Python processes (~600 MB).
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION="${MLFLOW_SERVER_ENABLE_JOB_EXECUTION:-false}" \
    MLFLOW_DISABLE_TELEMETRY="${MLFLOW_DISABLE_TELEMETRY:-true}" \
    setsid bash -c 'echo $$ >"$0" && exec "$@"' "$PID_FILE" \
    "$VENV/bin/mlflow" server \
    --host "$HOST" \
    --port "$PORT" \
    --workers 1 \
    --backend-store-uri "sqlite:///$MLFLOW_DIR/mlflow.db" \
    --artifacts-destination "$MLFLOW_DIR/artifacts" \
    </dev/null >>"$LOG_FILE" 2>&1 &

  while ! healthy "$PORT"; do
    pid="$(running_pid)" || pid=""
    if [[ -z "$pid" ]] && ((SECONDS - started >= 5)); then
      log_tail
      rm -f "$PID_FILE" "$PORT_FILE"
      fail "mlflow server exited during startup (log: $LOG_FILE)"
    fi
    if ((SECONDS - started >= START_TIMEOUT)); then
      log_tail
      cmd_stop >/dev/null
      fail "mlflow server did not answer http://$HOST:$PORT/health within ${START_TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.5
  done
  pid="$(running_pid)" || fail "mlflow answers on port $PORT but its pid file is missing"
  say "running at http://$HOST:$PORT (pid $pid, ready in $((SECONDS - started)) s, data $MLFLOW_DIR, log $LOG_FILE)"
}

cmd_stop() {
  local pid
  if ! pid="$(running_pid)"; then
    say "not running"
    rm -f "$PID_FILE" "$PORT_FILE"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while group_alive "$pid" && ((SECONDS < deadline)); do
    sleep 0.25
  done
  if group_alive "$pid"; then
    say "still running after ${STOP_TIMEOUT}s; sending KILL"
    kill -KILL -- "-$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PID_FILE" "$PORT_FILE"
  say "stopped (pid $pid)"
}

cmd_status() {
  local pid port
  if pid="$(running_pid)"; then
    port="$(recorded_port)"
    if healthy "$port"; then
      say "running at http://$HOST:$port (pid $pid, healthy)"
    else
      say "running at http://$HOST:$port (pid $pid, /health not answering yet)"
    fi
    return 0
  fi
  say "not running"
  return 3
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 64
    ;;
esac
