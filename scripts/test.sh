#!/usr/bin/env bash
# `npm test`: installs what is missing, builds, then runs lint, typecheck and every suite
# (unit, the Python client's pytest, integration against real MLflow/PostgreSQL, fidelity against scipy/Evidently).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

started=$(date +%s)
bash scripts/setup-system.sh
ensure_node_modules
bash scripts/setup-python.sh
build_all

say "lint"
npm run --silent lint
say "typecheck"
npm run --silent typecheck

say "unit tests (contract, proxy) and plugin tests (jsdom)"
npx jest --selectProjects unit plugins --ci
say "Python client (clients/python): installed into the venv as a user would, pytest against the built proxy"
venv="${MLSIGHT_VENV:-$REPO_ROOT/.venv}"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check './clients/python[pandas,pyarrow]'
"$venv/bin/python" -m pytest clients/python -q -p no:cacheprovider
say "demo seeder (scripts/seed): pytest"
"$venv/bin/python" -m pytest scripts/seed -q -p no:cacheprovider
say "Go backend of the data source (go vet, go test with an httptest stand-in of the proxy)"
(cd datasource && go vet ./... && go test ./...)
say "integration tests (real MLflow, PostgreSQL)"
npx jest --selectProjects integration --ci --runInBand
say "fidelity tests (scipy, scikit-learn, Evidently)"
npx jest --selectProjects fidelity --ci --runInBand

say "E2E: the built plugins in headless Chromium inside the plugin host (Grafana 12.0 and 13.2 shared modules)"
if [ ! -d test/host/grafana13/node_modules/@grafana/ui ]; then
  say "installing the Grafana 13.2 shared modules for the host's second line…"
  npm install --prefix test/host/grafana13 --no-audit --no-fund --ignore-scripts --no-package-lock --loglevel=error
fi
npx playwright test

say "all suites passed in $(( $(date +%s) - started )) s"
