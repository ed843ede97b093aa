#!/usr/bin/env bash
# Quality gates on real builds of the site: valid HTML, no accessibility violation, a valid
# sitemap with reciprocal hreflang alternates, no broken link or anchor, no request to
# another host, and screenshots to look at. Run by .ci/run; developers run it too:
#
#   scripts/quality.sh              self-test of the gates, then the gates on real builds
#   scripts/quality.sh --self-test  only prove that each gate fails on broken input
#   scripts/quality.sh --gates      only the gates on real builds
#
# The builds: the Milano content of this repository and tests/fixtures/quality-rtl/ (three
# languages, one right to left), each with the real theme, built for a subfolder address
# on 127.0.0.1 and served there. Everything lands in target/quality/: sites/, the
# screenshots/ and report.txt. Installs what it needs when missing: Java, xmllint and
# Chromium from Debian, the pinned Node tools of tools/ with `npm ci` (no browser is
# downloaded: the tools drive Debian's /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

mode=all
case "${1:-}" in
  "") ;;
  --self-test) mode=self-test ;;
  --gates) mode=gates ;;
  -h | --help)
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
  *)
    echo "quality.sh: unknown option $1 (try --help)" >&2
    exit 2
    ;;
esac

OUT=target/quality

echo "== quality: system tools"
need=()
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
command -v "${CHROMIUM:-chromium}" >/dev/null 2>&1 || need+=(chromium)
# A font with Arabic letters, for the screenshots of the right-to-left site.
fc-list :lang=ar 2>/dev/null | grep -q . || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== quality: node tools (tools/package-lock.json)"
# Always from the lockfile in CI; locally only when it changed. --ignore-scripts: no
# package may run an install script (vnu-jar's would fetch a Java if none were found).
if [ "${CI:-}" = true ] || [ ! -f tools/node_modules/.package-lock.json ] ||
  [ tools/package-lock.json -nt tools/node_modules/.package-lock.json ]; then
  (cd tools && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
fi

if [ "$mode" != gates ]; then
  echo "== quality: self-test (each gate must fail on tools/fixtures/broken/)"
  node --test --test-reporter=spec tools/test/
fi
[ "$mode" = self-test ] && exit 0

echo "== quality: build the sites"
cargo build --release --locked --quiet
bin=target/release/brochure
port=$(node tools/quality.mjs --free-port)
milano_base="http://127.0.0.1:$port/sub/"
rtl_base="http://127.0.0.1:$port/rtl/site/"
rm -rf "$OUT/sites" "$OUT/rtl-project"
mkdir -p "$OUT/sites" "$OUT/rtl-project/themes"
"$bin" build --output "$OUT/sites/milano" --base-url "$milano_base"
cp -R tests/fixtures/quality-rtl/. "$OUT/rtl-project/"
cp -R themes/default "$OUT/rtl-project/themes/default"
"$bin" --root "$OUT/rtl-project" build --output "$OUT/sites/rtl" --base-url "$rtl_base"

echo "== quality: gates"
node tools/quality.mjs --out "$OUT" \
  --site "milano=$OUT/sites/milano@$milano_base" \
  --site "rtl=$OUT/sites/rtl@$rtl_base"
