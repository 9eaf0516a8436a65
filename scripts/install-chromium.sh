#!/usr/bin/env bash
# Installs Debian's Chromium for the widget's browser tests when it is missing (needs root or sudo).
# Browsers come only from Debian: playwright-core drives /usr/bin/chromium and never downloads one.
set -euo pipefail
CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}
if [[ -x $CHROMIUM ]]; then
  echo "Chromium present: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
  exit 0
fi
SUDO=''
if [[ $(id -u) -ne 0 ]]; then SUDO=sudo; fi
echo "Installing Chromium from Debian (apt-get; about a minute)..."
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "Chromium installed: $("$CHROMIUM" --version)"
