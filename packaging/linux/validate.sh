#!/usr/bin/env sh
# Validates the Linux desktop integration: the desktop file, the AppStream metainfo and the
# shared-mime-info package type, with the freedesktop tools themselves. Missing tools are
# installed from Debian's packages when we are root; otherwise the exact command is printed
# and the check fails. Any warning fails it too (hints and pedantic notes do not).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ID=io.github.annotator.Annotator

need=""
command -v desktop-file-validate >/dev/null 2>&1 || need="$need desktop-file-utils"
command -v appstreamcli >/dev/null 2>&1 || need="$need appstream"
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
command -v update-mime-database >/dev/null 2>&1 || need="$need shared-mime-info"
if [ -n "$need" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing the validators:$need"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need >/dev/null
  else
    echo "The validators are missing. Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends$need" >&2
    exit 1
  fi
fi

# desktop-file-validate exits 0 on warnings; only its hints are acceptable.
echo "desktop-file-validate $ID.desktop"
out=$(desktop-file-validate "$HERE/$ID.desktop" 2>&1) || { echo "$out"; exit 1; }
[ -n "$out" ] && echo "$out"
if echo "$out" | grep -qE ': (error|warning): '; then exit 1; fi

# Without --pedantic, appstreamcli fails on errors and warnings and lists info notes;
# --explain says why each matters.
echo "appstreamcli validate --no-net --explain $ID.metainfo.xml"
appstreamcli validate --no-net --explain "$HERE/$ID.metainfo.xml"

echo "xmllint --noout $ID.mime.xml"
xmllint --noout "$HERE/$ID.mime.xml"

# Load the package type into a throwaway MIME database, as installing it would.
echo "update-mime-database (a temporary database)"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/mime/packages"
cp "$HERE/$ID.mime.xml" "$tmp/mime/packages/$ID.xml"
out=$(update-mime-database -V "$tmp/mime" 2>&1) || { echo "$out"; exit 1; }
if echo "$out" | grep -qiE 'warning|error|invalid|unknown'; then echo "$out"; exit 1; fi
test -f "$tmp/mime/application/x-annotator-package.xml" || {
  echo "update-mime-database did not register application/x-annotator-package" >&2; exit 1; }
grep -q '\*\.annot' "$tmp/mime/globs2" || { echo "the *.annot glob did not load" >&2; exit 1; }

echo "Linux desktop integration: valid"
