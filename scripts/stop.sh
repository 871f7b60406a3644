#!/usr/bin/env bash
# `npm run stop`: stops a local MLflow left running by an interrupted `npm start` (the proxy runs in the
# foreground of `npm start` and stops with it).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
export MLSIGHT_DATA_DIR="${MLSIGHT_DATA_DIR:-$REPO_ROOT/.data}"
bash "$REPO_ROOT/scripts/mlflow.sh" stop
