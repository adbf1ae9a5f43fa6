#!/usr/bin/env bash
# Renders explain's HTML reports in a real headless browser (Chromium from Debian's packages,
# installed when missing) and checks each renders without errors and is not blank: its
# screenshot is several times the size of a blank page's (a white page compresses to a few KB).
#
#   Scripts/check-html-report.sh [RETRACE]
#
# Prints a notice and exits 0 when Chromium cannot be installed (no network, no apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."
retrace=${1:-"$(swift build --show-bin-path)/retrace"}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "check-html-report: installing chromium"
    export DEBIAN_FRONTEND=noninteractive
    (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) || true
  fi
  browser=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$browser" ]; then
  echo "check-html-report: NOTICE: Chromium could not be installed; the HTML reports were not rendered"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shot() {  # shot URL PNG LOG
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 \
    --enable-logging=stderr --v=0 --screenshot="$2" "$1" >"$3" 2>&1 || true
}
printf '<!DOCTYPE html><html><body></body></html>\n' > "$work/blank.html"
shot "file://$work/blank.html" "$work/blank.png" "$work/blank.log"
blank=$(stat -c %s "$work/blank.png")
status=0
check() {  # check NAME ARGS... : the report of `retrace explain ARGS`
  local name=$1; shift
  "$retrace" explain "$@" --format html -o "$work/$name.html" || true
  shot "file://$work/$name.html" "$work/$name.png" "$work/$name.log"
  local size
  size=$(stat -c %s "$work/$name.png" 2>/dev/null || echo 0)
  if grep -Eq 'CONSOLE|Uncaught|ERROR:.*(html|css)' "$work/$name.log"; then
    echo "check-html-report: $name: the browser reports errors:"; grep -E 'CONSOLE|Uncaught|ERROR' "$work/$name.log"
    status=1
  elif [ "$size" -le $((3 * blank)) ]; then
    echo "check-html-report: $name: the screenshot ($size bytes) is blank (a blank page's is $blank)"
    status=1
  else
    echo "check-html-report: $name renders ($size bytes against a blank page's $blank)"
  fi
}
check seed
check sigmoid-missing-derivative Fixtures/audit/sigmoid-missing-derivative.log \
  --code Fixtures/audit/sigmoid-missing-derivative.py
check seed-legacy Fixtures/causes/seed-legacy.log --code Fixtures/causes/seed-legacy.py \
  --seed-search 100
exit $status
