#!/usr/bin/env bash
# Builds the same generated content with brochure, with Hugo (a full and a minimal layout)
# and with the floor (examples/floor.rs: read, split, Markdown, write), at 1,000 / 5,000 /
# 10,000 pages, and prints wall time (hyperfine), CPU time, peak memory and the ratios of
# brochure to each of the three, all from the same run. Every timed run starts from an empty
# output folder; brochure and the floor are then timed again "warm", each run replacing the
# output of the run before (deleting the old files too), as a build does day to day.
#
#   bash bench/compare-hugo.sh
#
# Environment (all optional):
#   BENCH_DIR    work folder for corpora and outputs   (default /dev/shm/brochure-bench,
#                a tmpfs, where there is one; else /tmp/brochure-bench)
#   BENCH_SITES  site counts; pages = 2 x sites         (default "500 2500 5000")
#   BENCH_RUNS   timed runs per tool and size           (default 5, after 1 warm-up)
#   BENCH_SEED   corpus seed                            (default 42)
#
# Output goes to tmpfs because on ext4, creating 10,000 files right after deleting 10,000
# spends most of the wall time in the kernel's inode allocator, for every tool alike.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ -z ${BENCH_DIR:-} && -d /dev/shm && -w /dev/shm ]]; then
  WORK=/dev/shm/brochure-bench
else
  WORK=${BENCH_DIR:-/tmp/brochure-bench}
fi
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

files_in() { find "$1" -type f | wc -l; }
mb_in() { du -sm "$1" | cut -f1; }

TOOLS=(brochure hugo-full hugo-minimal floor)

check_tools
mkdir -p "$WORK"
log "building brochure, the corpus generator and the floor (release)"
(cd "$REPO" && cargo build --release --quiet --bin brochure --example gen-corpus --example floor)
TARGET=${CARGO_TARGET_DIR:-$REPO/target}
BROCHURE=$TARGET/release/brochure
GEN=$TARGET/release/examples/gen-corpus
FLOOR=$TARGET/release/examples/floor
[[ -x $BROCHURE && -x $GEN && -x $FLOOR ]] || die "release binaries not found under $TARGET"

RESULTS=$WORK/results.tsv
printf 'pages\ttool\tmean_s\tstddev_s\tmin_s\tcpu_s\tpages_per_s\tpeak_rss_mb\tfiles\tmb_written\n' >"$RESULTS"
fs_type=$(stat -f -c %T "$WORK")
read -r load _ </proc/loadavg
log "work folder $WORK ($fs_type); load average $load on $(nproc) cores"
log "(other processes make wall times longer; CPU time suffers less)"

for sites in $SITES; do
  corpus=$WORK/corpus-$sites
  log "corpus: $sites sites"
  "$GEN" --sites "$sites" --languages it,en --seed "$SEED" --out "$corpus"
  pages=$(find "$corpus/content" -name '*.md' | wc -l)

  # Hugo reads the same content/ folder; the vocabulary labels come from the corpus's
  # config.yaml, given to the Hugo templates as a data file. The minimal layout is the
  # full one with bench/hugo-minimal/ laid over it.
  for layout in full minimal; do
    site=$WORK/hugo-$layout-$sites
    rm -rf "$site"
    cp -r "$REPO/bench/hugo" "$site"
    [[ $layout == minimal ]] && cp -r "$REPO/bench/hugo-minimal/." "$site"
    mkdir -p "$site/data"
    cp "$corpus/config.yaml" "$site/data/brochure.yaml"
  done
  declare -A cmd out rss files mb
  for tool in "${TOOLS[@]}"; do out[$tool]=$WORK/out-$tool-$sites; done
  cmd[brochure]="$(printf '%q ' "$BROCHURE" build --root "$corpus" --output "${out[brochure]}")"
  for layout in full minimal; do
    cmd[hugo-$layout]="$(printf '%q ' hugo --quiet --source "$WORK/hugo-$layout-$sites" \
      --contentDir "$corpus/content" --destination "${out[hugo-$layout]}")"
  done

  log "checking every build ($pages pages), measuring peak memory"
  for tool in "${TOOLS[@]}"; do
    if [[ $tool == floor ]]; then
      # The floor writes as many files as brochure did.
      cmd[floor]="$(printf '%q ' "$FLOOR" --root "$corpus" --output "${out[floor]}" --files "${files[brochure]}")"
    fi
    rm -rf "${out[$tool]}"
    rss[$tool]=$(checked_run "$WORK/$tool-$sites" bash -c "${cmd[$tool]}")
    files[$tool]=$(files_in "${out[$tool]}")
    mb[$tool]=$(mb_in "${out[$tool]}")
    if grep -qE '^(error|warning)|^[0-9]+ (errors?|warnings?) |ERROR|WARN' "$WORK/$tool-$sites.log"; then
      grep -E '^(error|warning)|^[0-9]+ (errors?|warnings?) |ERROR|WARN' "$WORK/$tool-$sites.log" | head -n 5 >&2
      log "$tool reported problems, see $WORK/$tool-$sites.log"
    fi
  done
  tail -n 1 "$WORK/brochure-$sites.log" >&2

  # The checked runs above were the warm-up: the page cache holds the corpus.
  log "timing ($RUNS runs each)"
  hf=(hyperfine --style basic --runs "$RUNS" --export-csv "$WORK/hyperfine-$sites.csv"
    --export-json "$WORK/hyperfine-$sites.json")
  for tool in "${TOOLS[@]}"; do
    hf+=(--prepare "rm -rf '${out[$tool]}'" -n "$tool" "${cmd[$tool]}")
  done
  "${hf[@]}" >&2

  # Warm: each run replaces the output of the run before, as a build does day to day; both
  # brochure and the floor then also delete the previous files (the timings above start
  # from an empty folder). One warm-up run leaves an output to replace.
  log "timing brochure and the floor again, each run replacing the last one's output"
  hyperfine --style basic --runs "$RUNS" --warmup 1 --export-csv "$WORK/hyperfine-warm-$sites.csv" \
    -n brochure "${cmd[brochure]}" -n floor "${cmd[floor]}" >&2

  row() { # csv, tool as named there, tool as reported
    local mean sd min cpu rate
    mean=$(csv_field "$1" 2 "$2")
    sd=$(csv_field "$1" 3 "$2")
    min=$(csv_field "$1" 7 "$2")
    cpu=$(awk -v u="$(csv_field "$1" 5 "$2")" -v s="$(csv_field "$1" 6 "$2")" 'BEGIN { print u + s }')
    rate=$(awk -v p="$pages" -v m="$mean" 'BEGIN { printf "%.0f", p / m }')
    printf '%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%s\t%s\n' \
      "$pages" "$3" "$mean" "$sd" "$min" "$cpu" "$rate" "${rss[$2]}" "${files[$2]}" "${mb[$2]}" >>"$RESULTS"
  }
  for tool in "${TOOLS[@]}"; do row "$WORK/hyperfine-$sites.csv" "$tool" "$tool"; done
  for tool in brochure floor; do row "$WORK/hyperfine-warm-$sites.csv" "$tool" "$tool-warm"; done
  unset cmd out rss files mb
done

read -r load_end _ </proc/loadavg
echo
echo "output on $WORK ($fs_type); load average $load at the start, $load_end at the end"
echo "pages = Markdown files in content/ (sites, programmes, plain pages, home; 2 languages); pages/s from the mean"
echo "files = files written (brochure: pages, fallbacks, leaflets, booklets, lists, data; the floor as many as brochure)"
echo "-warm = each run replaces the previous run's output (deleting it too); the others start from an empty folder"
echo
awk -F'\t' '
  NR == 1 {
    print "| pages | tool | mean wall (s) | min wall (s) | CPU user+sys (s) | pages/s | peak RSS (MB) | files | MB written |"
    print "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
    next
  }
  {
    printf "| %d | %s | %.2f ± %.2f | %.2f | %.2f | %d | %d | %d | %d |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10
    mean[$1, $2] = $3; cpu[$1, $2] = $6; if (!seen[$1]++) sizes[++n] = $1
  }
  END {
    print ""
    print "Ratios of brochure to each (mean wall time; CPU time in brackets):"
    print ""
    print "| pages | brochure / floor | brochure / floor, warm | brochure / Hugo minimal | brochure / Hugo full |"
    print "|---:|---:|---:|---:|---:|"
    for (i = 1; i <= n; i++) {
      p = sizes[i]
      printf "| %d | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) |\n", p,
        mean[p, "brochure"] / mean[p, "floor"], cpu[p, "brochure"] / cpu[p, "floor"],
        mean[p, "brochure-warm"] / mean[p, "floor-warm"], cpu[p, "brochure-warm"] / cpu[p, "floor-warm"],
        mean[p, "brochure"] / mean[p, "hugo-minimal"], cpu[p, "brochure"] / cpu[p, "hugo-minimal"],
        mean[p, "brochure"] / mean[p, "hugo-full"], cpu[p, "brochure"] / cpu[p, "hugo-full"]
    }
  }' "$RESULTS"
echo
echo "raw results: $RESULTS; hyperfine exports: $WORK/hyperfine-*.json"
