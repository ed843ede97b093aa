#!/usr/bin/env bash
# The national-scale figures of issue 20: a corpus of 50,000 sites x it/en (about 100,000
# pages) built once, with its wall and CPU time, peak memory, largest HTML file and the
# bytes of the first view of the all-sites page, the sizes of its filter data and the
# browser's figures for filtering it (examples/facet-bench.rs); then serve's latency for an edit of a
# site's text and of its facts, with serve's peak memory. Prints the load average beside
# each figure: the machine may be shared.
#
#   bash bench/national.sh
#
# Environment (all optional):
#   BENCH_DIR    work folder for the corpus and the output   (default /tmp/brochure-national)
#   BENCH_SITES  number of sites                              (default 50000)
#   BENCH_EDITS  edits per serve measurement                  (default 20)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/brochure-national}
SITES=${BENCH_SITES:-50000}
EDITS=${BENCH_EDITS:-20}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
load() { cut -d' ' -f1 /proc/loadavg; }
# Wall seconds, CPU seconds (user + sys) and peak RSS in MB from a GNU time -v report.
times() {
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3 ? t[1] * 3600 + t[2] * 60 + t[3] : t[1] * 60 + t[2]) }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Maximum resident set size/ { rss = $2 / 1024 }
    END { printf "wall %.1f s, CPU %.1f s, peak RSS %.0f MB", wall, cpu, rss }' "$1"
}

[[ -x /usr/bin/time ]] || { echo "error: needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK"
log "building brochure, the generator and the serve benchmark (release)"
(cd "$REPO" && cargo build --release --quiet --bin brochure --example gen-corpus --example serve-latency)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}/release

log "generating $SITES sites (load $(load))"
/usr/bin/time -v -o "$WORK/gen.time" "$TARGET/examples/gen-corpus" --sites "$SITES" --languages it,en \
  --out "$WORK/corpus" 2>&1 | tail -1
echo "generator: $(times "$WORK/gen.time")"

log "building (load $(load))"
rm -rf "$WORK/out"
/usr/bin/time -v -o "$WORK/build.time" "$TARGET/brochure" build --root "$WORK/corpus" --output "$WORK/out"
echo "build: $(times "$WORK/build.time"), load after $(load)"
echo "HTML files: $(find "$WORK/out" -name '*.html' | wc -l), output $(du -sh "$WORK/out" | cut -f1)"
echo "largest HTML files:"
find "$WORK/out" -name '*.html' -printf '%s %P\n' | sort -n | tail -3
first=$(stat -c %s "$WORK/out/sedi/index.html")
css=$(stat -c %s "$WORK/out/css/site.css")
js=0
if grep -q 'js/filters.js' "$WORK/out/sedi/index.html"; then js=$(stat -c %s "$WORK/out/js/filters.js"); fi
echo "first view of sedi/: HTML $first + CSS $css + JS $js = $((first + css + js)) bytes (uncompressed)"
echo "filter data of sedi/ (fetched on demand): facet index $(stat -c %s "$WORK/out/sedi/filters.json"), \
search text $(stat -c %s "$WORK/out/sedi/search.json"), card data $(cat "$WORK/out"/sedi/cards-*.json | wc -c) bytes \
in $(ls "$WORK/out"/sedi/cards-*.json | wc -l) files"

# The browser figures of filtering the list (4x CPU throttling, 375 px), over a static server.
if command -v chromium >/dev/null && command -v python3 >/dev/null; then
  log "filtering sedi/ in Chromium (load $(load))"
  (cd "$REPO" && cargo build --quiet --example facet-bench)
  # Served under the path of the corpus's base_url, as a host would: the pages link their
  # script and data there.
  mkdir -p "$WORK/www"
  ln -sfn "$WORK/out" "$WORK/www/servizio-civile"
  python3 -m http.server 8765 --bind 127.0.0.1 --directory "$WORK/www" >/dev/null 2>&1 &
  server=$!
  sleep 1
  "${CARGO_TARGET_DIR:-$REPO/target}/debug/examples/facet-bench" --url http://127.0.0.1:8765/servizio-civile/sedi/ || true
  kill "$server"
  echo "load after $(load)"
fi

for change in body facts; do
  log "serve, $change edits (load $(load))"
  /usr/bin/time -v -o "$WORK/serve-$change.time" "$TARGET/examples/serve-latency" --root "$WORK/corpus" \
    --edits "$EDITS" --change "$change" 2>&1 | tail -3
  echo "serve ($change): $(times "$WORK/serve-$change.time"), load after $(load)"
done
