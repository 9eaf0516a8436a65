#!/usr/bin/env bash
# Checks the Prometheus alerting rules and runs their unit tests with promtool.
# promtool comes from Debian's `prometheus` package; it is installed when missing.
set -euo pipefail
cd "$(dirname "$0")/../docs/monitoring"

if ! command -v promtool >/dev/null; then
  echo "promtool not found: installing Debian's prometheus package" >&2
  sudo=''
  [[ $(id -u) -ne 0 ]] && sudo='sudo -n'
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends prometheus >/dev/null
fi

promtool check rules alerts.yml
promtool test rules alerts.test.yml
