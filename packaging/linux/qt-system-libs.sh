#!/usr/bin/env sh
# Qt needs a few system libraries that a fresh Debian/Ubuntu lacks. Install the missing ones
# when we are root; otherwise print the exact command and fail. Elsewhere, do nothing.
set -eu
PACKAGES="libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 fontconfig-config"
# Colour emoji in reviews; `make dist` also copies this font into the desktop bundle.
PACKAGES="$PACKAGES fonts-noto-color-emoji"
[ "$(uname -s)" = "Linux" ] || exit 0
command -v dpkg-query >/dev/null 2>&1 || exit 0
missing=""
for pkg in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $pkg"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "Installing Qt's system libraries:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
else
  echo "Qt needs system libraries that are missing. Install them with:" >&2
  echo "  sudo apt-get install -y --no-install-recommends$missing" >&2
  exit 1
fi
