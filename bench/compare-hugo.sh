#!/usr/bin/env bash
# Builds the same generated content with brochure and with Hugo, at 1,000 / 5,000 / 10,000
# pages, and prints wall time (hyperfine), pages per second and peak memory for each.
#
#   bash bench/compare-hugo.sh
#
# Environment (all optional):
#   BENCH_DIR    work folder for corpora and outputs   (default /tmp/brochure-bench)
#   BENCH_SITES  site counts; pages = 2 x sites         (default "500 2500 5000")
#   BENCH_RUNS   timed runs per tool and size           (default 5, after 1 warm-up)
#   BENCH_SEED   corpus seed                            (default 42)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${BENCH_DIR:-/tmp/brochure-bench}
SITES=${BENCH_SITES:-"500 2500 5000"}
RUNS=${BENCH_RUNS:-5}
SEED=${BENCH_SEED:-42}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The tools it times: hugo, hyperfine, and GNU time for peak memory (/usr/bin/time -v).
# `.ci/run bench`, the one place that installs system packages, installs them and runs this.
check_tools() {
  local missing=()
  command -v hugo >/dev/null || missing+=(hugo)
  command -v hyperfine >/dev/null || missing+=(hyperfine)
  [[ -x /usr/bin/time ]] || missing+=(time)
  ((${#missing[@]} == 0)) || die "missing ${missing[*]}: run \`sudo bash .ci/run bench\`, which installs them (Debian) and runs this"
}

# Runs `$@` once under GNU time (this run is also the warm-up), logs its output to $1.log and
# prints its peak resident set size in MB; dies, showing the log, if the build fails.
checked_run() {
  local log=$1
  shift
  if ! /usr/bin/time -v -o "$log.time" "$@" >"$log.log" 2>&1; then
    cat "$log.log" >&2
    die "failed: $*"
  fi
  awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$log.time"
}

# Field $2 (1-based CSV column) of hyperfine's row for command name $3 in file $1.
csv_field() { awk -F, -v col="$2" -v name="$3" '$1 == name { print $col }' "$1"; }

html_files() { find "$1" -name '*.html' | wc -l; }

check_tools
mkdir -p "$WORK"
log "building brochure and the corpus generator (release)"
(cd "$REPO" && cargo build --release --quiet --bin brochure --example gen-corpus)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BROCHURE=$TARGET/release/brochure
GEN=$TARGET/release/examples/gen-corpus
[[ -x $BROCHURE && -x $GEN ]] || die "release binaries not found under $TARGET"

RESULTS=$WORK/results.tsv
printf 'pages\ttool\tmean_s\tstddev_s\tmin_s\tcpu_s\tpages_per_s\tpeak_rss_mb\thtml_files\n' >"$RESULTS"
read -r load _ </proc/loadavg
log "load average $load on $(nproc) cores (other processes make wall times longer; CPU time suffers less)"

for sites in $SITES; do
  corpus=$WORK/corpus-$sites
  hugo_site=$WORK/hugo-site-$sites
  out_b=$WORK/out-brochure-$sites
  out_h=$WORK/out-hugo-$sites
  log "corpus: $sites sites"
  "$GEN" --sites "$sites" --languages it,en --seed "$SEED" --out "$corpus"
  pages=$(find "$corpus/content" -name '*.md' | wc -l)

  # Hugo reads the same content/ folder; the vocabulary labels come from the corpus's
  # config.yaml, given to the Hugo templates as a data file.
  rm -rf "$hugo_site"
  cp -r "$REPO/bench/hugo" "$hugo_site"
  mkdir -p "$hugo_site/data"
  cp "$corpus/config.yaml" "$hugo_site/data/brochure.yaml"
  brochure=("$BROCHURE" build --root "$corpus" --output "$out_b")
  hugo=(hugo --quiet --source "$hugo_site" --contentDir "$corpus/content" --destination "$out_h")

  log "checking both builds ($pages pages), measuring peak memory"
  rm -rf "$out_b" "$out_h"
  rss_b=$(checked_run "$WORK/brochure-$sites" "${brochure[@]}")
  tail -n 1 "$WORK/brochure-$sites.log" >&2
  warnings=$(grep -ci 'warning' "$WORK/brochure-$sites.log" || true)
  ((warnings == 0)) || log "brochure: $warnings warning(s), see $WORK/brochure-$sites.log"
  rss_h=$(checked_run "$WORK/hugo-$sites" "${hugo[@]}")
  if grep -qE 'ERROR|WARN' "$WORK/hugo-$sites.log"; then
    grep -E 'ERROR|WARN' "$WORK/hugo-$sites.log" | head -n 5 >&2
    log "hugo reported problems, see $WORK/hugo-$sites.log"
  fi
  html_b=$(html_files "$out_b")
  html_h=$(html_files "$out_h")

  # The checked runs above were the warm-up: the page cache holds the corpus.
  log "timing ($RUNS runs each)"
  hyperfine --style basic --runs "$RUNS" --export-csv "$WORK/hyperfine-$sites.csv" \
    --export-json "$WORK/hyperfine-$sites.json" \
    --prepare "rm -rf '$out_b'" -n brochure "${brochure[*]@Q}" \
    --prepare "rm -rf '$out_h'" -n hugo "${hugo[*]@Q}" >&2

  for tool in brochure hugo; do
    mean=$(csv_field "$WORK/hyperfine-$sites.csv" 2 "$tool")
    sd=$(csv_field "$WORK/hyperfine-$sites.csv" 3 "$tool")
    min=$(csv_field "$WORK/hyperfine-$sites.csv" 7 "$tool")
    cpu=$(awk -v u="$(csv_field "$WORK/hyperfine-$sites.csv" 5 "$tool")" \
      -v s="$(csv_field "$WORK/hyperfine-$sites.csv" 6 "$tool")" 'BEGIN { print u + s }')
    rss=$([[ $tool == brochure ]] && echo "$rss_b" || echo "$rss_h")
    html=$([[ $tool == brochure ]] && echo "$html_b" || echo "$html_h")
    rate=$(awk -v p="$pages" -v m="$mean" 'BEGIN { printf "%.0f", p / m }')
    printf '%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\n' \
      "$pages" "$tool" "$mean" "$sd" "$min" "$cpu" "$rate" "$rss" "$html" >>"$RESULTS"
  done
done

echo
echo "pages = Markdown files in content/ (sites, programmes, plain pages, home; 2 languages); pages/s from the mean"
echo "html = HTML files written (brochure: pages, fallbacks, leaflets, booklets, listings)"
echo
awk -F'\t' '
  NR == 1 {
    print "| pages | tool | mean wall (s) | min wall (s) | CPU user+sys (s) | pages/s | peak RSS (MB) | HTML files | brochure/hugo wall |"
    print "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    next
  }
  { row[NR] = $0; mean[$1, $2] = $3 }
  END {
    for (i = 2; i <= NR; i++) {
      split(row[i], f, "\t")
      ratio = f[2] == "hugo" ? sprintf("%.2f", mean[f[1], "brochure"] / mean[f[1], "hugo"]) : ""
      printf "| %d | %s | %.2f ± %.2f | %.2f | %.2f | %d | %d | %d | %s |\n", f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], ratio
    }
  }' "$RESULTS"
echo
echo "raw results: $RESULTS; hyperfine exports: $WORK/hyperfine-*.json"
