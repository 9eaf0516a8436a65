#!/usr/bin/env bash
# Installs Debian packages whose commands are missing: ensure-packages.sh COMMAND:PACKAGE...
# e.g. `ensure-packages.sh fish:fish pg_dump:postgresql-client`. Runs apt-get as root, or through
# `sudo -n`; without either it names the packages to install and exits 1.
set -euo pipefail
missing=()
for pair in "$@"; do
  command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
done
((${#missing[@]})) || exit 0
sudo=''
if [[ $(id -u) -ne 0 ]]; then
  if ! sudo -n true 2>/dev/null; then
    echo "error: missing Debian packages: ${missing[*]} (install them: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  sudo='sudo -n'
fi
echo "installing Debian packages: ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
