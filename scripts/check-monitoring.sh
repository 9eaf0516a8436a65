#!/usr/bin/env bash
# Checks the Prometheus alerting rules and runs their unit tests with promtool.
# promtool comes from Debian's `prometheus` package; scripts/ensure-packages.sh installs it when missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/ensure-packages.sh" promtool:prometheus
cd "$here/../docs/monitoring"

promtool check rules alerts.yml
promtool test rules alerts.test.yml
