#!/usr/bin/env bash
# Installs every dependency from Debian packages (deploy/install-deps.sh) and builds siitd into
# build/ with warnings as errors. Run from anywhere; run as root on a fresh machine.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bash "$root/deploy/install-deps.sh"
cd "$root"
[ -f build/build.ninja ] || meson setup build --buildtype=release -Db_lto=true -Dwerror=true
ninja -C build
