#!/usr/bin/env bash
# Installs Debian's Chromium for the widget's browser tests when it is missing (needs root or sudo).
# Browsers come only from Debian: playwright-core drives /usr/bin/chromium and never downloads one.
set -euo pipefail
"$(dirname "$0")/ensure-packages.sh" chromium:chromium
echo "Chromium: $(chromium --version)"
