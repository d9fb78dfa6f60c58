#!/usr/bin/env bash
# Makes a headless Chromium and its WebDriver available for the web inspector's browser tests: installs the
# Debian packages (chromium, chromium-driver) when missing. Idempotent; safe to run every time.
#
#   scripts/chromium.sh            ensure both are installed, print the driver's path
#
# The tests find them at /usr/bin/chromium and /usr/bin/chromedriver, or where MEMOS_CHROMIUM and
# MEMOS_CHROMEDRIVER point.
set -euo pipefail

log() { printf '[chromium] %s\n' "$*" >&2; }
# shellcheck source=debian.sh
. "$(dirname "$0")/debian.sh"

browser=${MEMOS_CHROMIUM:-/usr/bin/chromium}
driver=${MEMOS_CHROMEDRIVER:-/usr/bin/chromedriver}

if [ ! -x "$browser" ] || [ ! -x "$driver" ]; then
  apt_install "Chromium or its driver" chromium chromium-driver
fi
"$browser" --version >&2
echo "$driver"
