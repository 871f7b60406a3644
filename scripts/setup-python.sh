#!/usr/bin/env bash
# Create (if missing) the project's Python venv and install scripts/requirements.txt into it, only when needed.
#
# Idempotent: the sha256 of the requirements file is stamped inside the venv after a successful install; when the
# stamp matches, nothing is installed. Running it again after editing requirements.txt reinstalls.
#
# Environment:
#   MLSIGHT_VENV          venv directory (default: <repo>/.venv)
#   MLSIGHT_REQUIREMENTS  requirements file (default: <repo>/scripts/requirements.txt)
#   MLSIGHT_PYTHON        interpreter that creates the venv (default: python3; needs >= 3.10)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${MLSIGHT_VENV:-$ROOT/.venv}"
REQUIREMENTS="${MLSIGHT_REQUIREMENTS:-$ROOT/scripts/requirements.txt}"
PYTHON="${MLSIGHT_PYTHON:-python3}"
STAMP="$VENV/.mlsight-requirements.sha256"

say() { echo "[setup-python] $*"; }
fail() {
  echo "[setup-python] ERROR: $*" >&2
  exit 1
}

[[ -r "$REQUIREMENTS" ]] || fail "requirements file not found: $REQUIREMENTS"

if [[ ! -x "$VENV/bin/python" ]]; then
  command -v "$PYTHON" >/dev/null 2>&1 || fail "$PYTHON not found; install Python >= 3.10 or set MLSIGHT_PYTHON"
  "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' ||
    fail "$("$PYTHON" --version 2>&1) is too old; MLflow 3 needs Python >= 3.10 (set MLSIGHT_PYTHON)"
  say "creating venv $VENV with $("$PYTHON" --version 2>&1)"
  "$PYTHON" -m venv "$VENV" || fail "could not create the venv (on Debian: apt-get install python3-venv)"
fi

wanted="$(sha256sum "$REQUIREMENTS" | cut -d ' ' -f 1)"
installed="$(cat "$STAMP" 2>/dev/null || true)"
if [[ "$wanted" == "$installed" ]]; then
  say "venv $VENV is up to date with $(basename "$REQUIREMENTS") (sha256 ${wanted:0:12})"
  exit 0
fi

if [[ -z "$installed" ]]; then
  say "installing $REQUIREMENTS into $VENV (no install stamp yet)"
else
  say "installing $REQUIREMENTS into $VENV (requirements changed: ${installed:0:12} -> ${wanted:0:12})"
fi
# A failed install must not leave a stamp behind, or the next run would believe the venv is complete.
rm -f "$STAMP"
"$VENV/bin/python" -m pip install --disable-pip-version-check --requirement "$REQUIREMENTS" ||
  fail "pip install failed (see above); fix the cause and run this script again"
"$VENV/bin/python" -m pip check >/dev/null 2>&1 || say "warning: pip check reports conflicts: run $VENV/bin/python -m pip check"

echo "$wanted" >"$STAMP.tmp"
mv "$STAMP.tmp" "$STAMP"
say "done; stamped sha256 ${wanted:0:12}"
