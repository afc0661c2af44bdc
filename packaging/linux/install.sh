#!/usr/bin/env sh
# Installs the desktop integration (menu entry, AppStream metainfo, the .annot package type
# and the icons) under a prefix, ~/.local by default, and refreshes the desktop's caches.
#   sh packaging/linux/install.sh [--prefix DIR] [--uninstall]
# The `annotator` command itself comes from pipx, pip or the bundle; this only tells the
# desktop about it.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ID=io.github.annotator.Annotator
MIME_ICON=application-x-annotator-package
prefix="$HOME/.local"
action=install
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    --uninstall) action=uninstall; shift ;;
    -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option: $1 (try --help)" >&2; exit 2 ;;
  esac
done
share="$prefix/share"

# Each installed file: its source under packaging/linux, then its place under $share.
files() {
  echo "$ID.desktop applications/$ID.desktop"
  echo "$ID.metainfo.xml metainfo/$ID.metainfo.xml"
  echo "$ID.mime.xml mime/packages/$ID.xml"
  (cd "$HERE" && find icons/hicolor -type f \( -name "$ID.*" -o -name "$MIME_ICON.*" \)) |
    sort | while read -r icon; do echo "$icon ${icon}"; done
}

files | while read -r source target; do
  if [ "$action" = install ]; then
    mkdir -p "$(dirname "$share/$target")"
    cp "$HERE/$source" "$share/$target"
  else
    rm -f "$share/$target"
  fi
done

# Refresh what is there to refresh; a desktop without these tools reads the files directly.
if command -v update-mime-database >/dev/null 2>&1 && [ -d "$share/mime/packages" ]; then
  update-mime-database "$share/mime"
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$share/applications" ]; then
  update-desktop-database -q "$share/applications"
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$share/icons/hicolor/index.theme" ]; then
  gtk-update-icon-cache -q -t -f "$share/icons/hicolor"
fi
if [ "$action" = install ]; then
  echo "Installed the Annotator desktop integration under $share"
  command -v annotator >/dev/null 2>&1 ||
    echo "Note: no 'annotator' command on PATH yet; the menu entry runs 'annotator %f'." >&2
else
  echo "Removed the Annotator desktop integration from $share"
fi
