#!/usr/bin/env bash
# Installs the Debian packages the test-suite needs, only those that are missing. Idempotent.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

missing=()
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Prometheus + promtool: the integration suite scrapes the proxy and checks the shipped rule file.
{ [ -x /usr/bin/prometheus ] && [ -x /usr/bin/promtool ]; } || missing+=(prometheus)

if [ ${#missing[@]} -eq 0 ]; then
  say "system packages present"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  die "missing Debian packages: ${missing[*]} — run as root or: sudo apt-get install -y ${missing[*]}"
fi
say "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian starts a cluster on install where it can; the tests run their own PostgreSQL on a temp dir instead.
if command -v pg_ctlcluster >/dev/null 2>&1; then
  for cluster in /etc/postgresql/*/main; do
    [ -d "$cluster" ] || continue
    version="$(basename "$(dirname "$cluster")")"
    pg_ctlcluster "$version" main stop >/dev/null 2>&1 || true
  done
fi
say "system packages installed"
