#!/usr/bin/env bash
# Builds the Go backend (pkg/) into dist/ under the names Grafana looks for: <executable>_<GOOS>_<GOARCH>, with
# "executable" from src/plugin.json (create-plugin's Mage targets name them the same way). Static binaries
# (CGO_ENABLED=0), so they run in Grafana's Alpine and Ubuntu images alike.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v go >/dev/null 2>&1; then
  echo "build-backend: Go is not installed; the data source's backend needs Go >= 1.26 (https://go.dev/dl/)" >&2
  exit 1
fi
executable=$(node -p "require('./src/plugin.json').executable")
mkdir -p dist
for arch in amd64 arm64; do
  CGO_ENABLED=0 GOOS=linux GOARCH="$arch" go build -trimpath -ldflags '-s -w' -o "dist/${executable}_linux_${arch}" ./pkg
done
