#!/usr/bin/env bash
# bench/scan.sh — the dossier digitiser against OCRmyPDF, one command:
#   builds build-bench/bench/scan_gen and build-bench/chidoan (Release), typesets --pages A4
#   pages of a known Vietnamese text with scan_gen (300 dpi) and writes for each a degraded
#   flatbed scan (scan-N.jpg) and a phone photo (phone-N.jpg); then, one after the other on the
#   same pages:
#     img2pdf scan-*.jpg                                  the size floor (no OCR, no processing)
#     ocrmypdf --deskew -l vie+eng --jobs J in.pdf        OCRmyPDF's default optimisation (-O1)
#     ocrmypdf --deskew -l vie+eng --jobs J -O3 in.pdf    its smallest output
#     chidoan scan scan-*.jpg  --lang vie+eng --jobs J    the engine on the scans
#     chidoan scan phone-*.jpg --lang vie+eng --jobs J    and on the phone photos
#   (in.pdf is the img2pdf output: OCRmyPDF takes one PDF or one image). For each: wall seconds
#   per page, bytes per page of the PDF, peak memory and the character accuracy of
#   `pdftotext -f N -l N` against the text of page N (scan_gen accuracy: Levenshtein over code
#   points after NFC, whitespace runs collapsed, diacritics count), weighted by length.
#   Peak memory is given twice: "largest process" is GNU time's %M (the largest single process
#   of the command; OCRmyPDF runs tesseract in child processes) and "process tree" is the sum
#   of the RSS of all the command's processes, sampled every 0.2 s.
# Targets (the dossier digitiser issue): chidoan on the scans ≥ 3 × the pages per second of
# ocrmypdf --deskew (default), ≤ the bytes per page of its -O3, character accuracy ≥ the
# default's − 0.5 points. Prints the markdown rows for docs/benchmarks.md, the ratios and
# PASS/FAIL per target; exits 1 when a target is missed or a run failed.
#
#   bench/scan.sh [--pages 5] [--seed 2022] [--jobs 2] [--runs 1] [--keep DIR] [--build DIR]
#                 [--text FILE] [--no-build] [--no-chidoan]
# --runs N runs each command N times and reports the fastest (the machine is shared: the other
# runs show the spread); CPU s/page is user + system time of all the command's processes.
# --keep DIR keeps the pages, the PDFs, the extracted texts and the logs there; --no-chidoan
# measures the references alone (the targets are then reported as missed).
# Environment: BENCH_BUILD_DIR (build-bench), BENCH_NO_BUILD=1, BENCH_TIMEOUT (seconds per run, 1800).
set -euo pipefail
caller=$PWD
cd "$(dirname "$0")/.."
BENCH_TIMEOUT=${BENCH_TIMEOUT:-1800}
source scripts/lib/deps.sh
source scripts/lib/bench.sh

pages=5 seed=2022 jobs=2 runs=1 keep="" skip_chidoan=0 text=../shared/source/article-2022-02-lam-dong.txt
abs() { if [[ $1 == /* ]]; then echo "$1"; else echo "$caller/$1"; fi; }  # paths given are from the caller's folder
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while (($#)); do
  case $1 in
    --pages) pages=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --keep) keep=$(abs "$2"); shift 2 ;;
    --build) BUILD=$(abs "$2"); shift 2 ;;
    --text) text=$(abs "$2"); shift 2 ;;
    --no-build) BENCH_NO_BUILD=1; shift ;;
    --no-chidoan) skip_chidoan=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "bench/scan.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $pages =~ ^[1-9][0-9]*$ && $jobs =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ && $seed =~ ^[0-9]+$ ]] ||
  { echo "bench/scan.sh: --pages, --jobs, --runs and --seed take whole numbers" >&2; exit 2; }
[[ -f $text ]] || die "no text at $text (--text FILE)"

step "Checking dependencies"
install_bench_deps
apt_install pngquant poppler-utils  # ocrmypdf -O2/-O3 refuses to run without pngquant; pdftotext

bench_build scan_gen
GEN=$BIN
CHIDOAN=$BUILD/chidoan
have_chidoan=$((!skip_chidoan))
if ((have_chidoan)) && [[ ${BENCH_NO_BUILD:-0} != 1 || ! -x $CHIDOAN ]]; then
  step "Building $CHIDOAN (Release)"
  cmake --build "$BUILD" -j2 --target chidoan || have_chidoan=0
fi
if ((have_chidoan)) && ! "$CHIDOAN" scan --help >/dev/null 2>&1; then
  have_chidoan=0
fi
((have_chidoan || skip_chidoan)) || warn "$CHIDOAN scan is not available: its rows are left out and its targets are missed"

if [[ -n $keep ]]; then
  mkdir -p "$keep"
  work=$(cd "$keep" && pwd)
else
  work=$(mktemp -d "${TMPDIR:-/tmp}/chidoan-scan.XXXXXX")
  trap 'rm -rf "$work"' EXIT
fi

step "Generating $pages pages (seed $seed) in $work"
"$GEN" pages --text "$text" --out "$work" --pages "$pages" --seed "$seed"
scans=() phones=()
for ((n = 1; n <= pages; n++)); do
  scans+=("$work/scan-$n.jpg")
  phones+=("$work/phone-$n.jpg")
done

# tree_rss PID: the RSS in KiB of PID's descendants, summed.
tree_rss() {
  ps -eo pid=,ppid=,rss= | awk -v root="$1" '
    { parent[$1] = $2; rss[$1] = $3 }
    END {
      for (p in parent) {
        q = p
        while (q in parent && q != root && q > 1) q = parent[q]
        if (q == root && p != root) sum += rss[p]
      }
      print sum + 0
    }'
}

# measure NAME PDF COMMAND...: runs COMMAND under GNU time with a memory sampler; sets
# m_secs (wall), m_cpu (user + system, children included), m_bytes, m_largest (KiB) and m_tree
# (KiB). Fails when the command does or leaves no PDF.
measure() {
  local name=$1 pdf=$2 pid sampler rc=0
  shift 2
  rm -f "$pdf" "$work/$name.tree"
  /usr/bin/time -f '%e %M %U %S' -o "$work/$name.time" timeout "$TIMEOUT" "$@" >"$work/$name.log" 2>&1 &
  pid=$!
  (
    peak=0
    while kill -0 "$pid" 2>/dev/null; do
      v=$(tree_rss "$pid")
      ((v > peak)) && peak=$v && echo "$peak" >"$work/$name.tree"
      sleep 0.2
    done
  ) &
  sampler=$!
  wait "$pid" || rc=$?
  wait "$sampler" || true
  if ((rc != 0)) || [[ ! -s $pdf ]]; then
    warn "$name failed (exit $rc); the end of $work/$name.log:"
    tail -n 15 "$work/$name.log" >&2 || true
    return 1
  fi
  local user sys
  read -r m_secs m_largest user sys < <(grep -E '^[0-9.]+ [0-9]+ [0-9.]+ [0-9.]+$' "$work/$name.time" | tail -n 1)
  m_cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
  m_tree=$(cat "$work/$name.tree" 2>/dev/null || echo 0)
  ((m_tree >= m_largest)) || m_tree=$m_largest  # a short run can end between two samples
  m_bytes=$(stat -c %s "$pdf")
}

# score NAME PDF: per-page accuracy; sets s_pages ("99.64 99.20 …") and s_total (weighted).
score() {
  local name=$1 pdf=$2 n out dist=0 len=0 a d l
  s_pages=""
  for ((n = 1; n <= pages; n++)); do
    out=$work/$name-$n.txt
    pdftotext -q -enc UTF-8 -f "$n" -l "$n" "$pdf" "$out" || : >"$out"
    read -r a d l < <("$GEN" accuracy --counts "$work/page-$n.txt" "$out")
    s_pages+="${s_pages:+ }$a"
    dist=$((dist + d)) len=$((len + l))
  done
  s_total=$(awk -v d="$dist" -v l="$len" 'BEGIN { printf "%.2f", 100 * (1 - d / l) }')
}

mib() { awk -v k="$1" 'BEGIN { if (k > 0) printf "%.0f MiB", k / 1024; else printf "—" }'; }
thousands() { sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$1"; }

declare -A spp bpp acc
rows="" status=0
# run NAME LABEL INPUT PDF OCR COMMAND...: measures --runs times (the fastest wall time, with
# its CPU time; the largest memory), scores the last output (OCR=1) and adds a row.
run() {
  local name=$1 label=$2 input=$3 pdf=$4 ocr=$5 r best="" best_cpu=0 largest=0 tree=0
  shift 5
  step "$label ($input)"
  for ((r = 1; r <= runs; r++)); do
    if ! measure "$name" "$pdf" "$@"; then
      status=1
      rows+="| $label | $input | $pages | failed | | | | | | | |"$'\n'
      return 0
    fi
    if [[ -z $best ]] || (($(awk -v a="$m_secs" -v b="$best" 'BEGIN { print (a < b) ? 1 : 0 }'))); then
      best=$m_secs best_cpu=$m_cpu
    fi
    ((m_largest > largest)) && largest=$m_largest
    ((m_tree > tree)) && tree=$m_tree
    ((runs > 1)) && info "run $r: $m_secs s"
  done
  local secs_pp cpu_pp bytes_pp pps
  secs_pp=$(awk -v s="$best" -v p="$pages" 'BEGIN { printf "%.2f", s / p }')
  cpu_pp=$(awk -v s="$best_cpu" -v p="$pages" 'BEGIN { printf "%.2f", s / p }')
  pps=$(awk -v s="$best" -v p="$pages" 'BEGIN { printf "%.3f", (s > 0 ? p / s : 0) }')
  bytes_pp=$((m_bytes / pages))
  spp[$name]=$best bpp[$name]=$bytes_pp
  local accuracy="—" per_page="no text layer"
  if ((ocr)); then
    score "$name" "$pdf"
    acc[$name]=$s_total accuracy="$s_total %" per_page=${s_pages// / · }
  fi
  info "$secs_pp s/page ($cpu_pp s CPU), $(thousands "$bytes_pp") bytes/page, accuracy $accuracy ($per_page)"
  rows+="| $label | $input | $pages | $secs_pp | $pps | $cpu_pp | $(thousands "$bytes_pp") | $(mib "$largest") | $(mib "$tree") | $accuracy | $per_page |"$'\n'
}

read -r load _ </proc/loadavg
(($(awk -v l="$load" -v n="$(nproc)" 'BEGIN { print (l > n / 2) ? 1 : 0 }'))) &&
  warn "load average $load on $(nproc) cores: the times will be pessimistic"
ocr=(ocrmypdf --deskew -l vie+eng --jobs "$jobs")
run img2pdf "img2pdf (size floor, no OCR)" scans "$work/img2pdf.pdf" 0 img2pdf "${scans[@]}" -o "$work/img2pdf.pdf"
cp "$work/img2pdf.pdf" "$work/in.pdf"
run ocrmypdf "ocrmypdf --deskew" scans "$work/ocrmypdf.pdf" 1 "${ocr[@]}" "$work/in.pdf" "$work/ocrmypdf.pdf"
run ocrmypdf_o3 "ocrmypdf --deskew -O3" scans "$work/ocrmypdf-O3.pdf" 1 "${ocr[@]}" -O3 "$work/in.pdf" "$work/ocrmypdf-O3.pdf"
if ((have_chidoan)); then
  run chidoan "chidoan scan" scans "$work/chidoan.pdf" 1 \
    "$CHIDOAN" scan "${scans[@]}" -o "$work/chidoan.pdf" --lang vie+eng --jobs "$jobs"
  run chidoan_phone "chidoan scan" phones "$work/chidoan-phone.pdf" 1 \
    "$CHIDOAN" scan "${phones[@]}" -o "$work/chidoan-phone.pdf" --lang vie+eng --jobs "$jobs"
fi

# shellcheck disable=SC2034  # read by bench_table
rows=${rows%$'\n'}
bench_table "| date | commit | run | input | pages | s/page | pages/s | CPU s/page | bytes/page | peak RSS, largest process | peak RSS, process tree | accuracy | per page |" \
  "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
echo "Pages: scan_gen pages --pages $pages --seed $seed ($text); --jobs $jobs for ocrmypdf and chidoan;" \
  "times: the fastest of $runs run(s);" \
  "load average before the runs: $load."
if grep -q "program 'jbig2' could not be executed" "$work"/ocrmypdf_o3.log 2>/dev/null; then
  echo "ocrmypdf -O3 ran without jbig2enc (not in Debian): it would only recode bi-level images, and these scans are gray."
fi
# Targets.
verdict() { if (($1)); then echo PASS; else echo FAIL; fi; }
echo
if [[ -n ${spp[chidoan]:-} && -n ${spp[ocrmypdf]:-} && -n ${bpp[ocrmypdf_o3]:-} && -n ${acc[ocrmypdf]:-} ]]; then
  speed=$(awk -v o="${spp[ocrmypdf]}" -v c="${spp[chidoan]}" 'BEGIN { printf "%.2f", (c > 0 ? o / c : 0) }')
  size=$(awk -v c="${bpp[chidoan]}" -v o="${bpp[ocrmypdf_o3]}" 'BEGIN { printf "%.2f", c / o }')
  diff=$(awk -v c="${acc[chidoan]}" -v o="${acc[ocrmypdf]}" 'BEGIN { printf "%+.2f", c - o }')
  ok_speed=$(awk -v r="$speed" 'BEGIN { print (r >= 3) ? 1 : 0 }')
  ok_size=$((bpp[chidoan] <= bpp[ocrmypdf_o3] ? 1 : 0))
  ok_acc=$(awk -v d="$diff" 'BEGIN { print (d >= -0.5) ? 1 : 0 }')
  ((ok_speed && ok_size && ok_acc)) || status=1
  echo "Targets (dossier digitiser, on the scans):"
  echo "- pages per second: ${speed}× ocrmypdf --deskew's (target ≥ 3×): $(verdict "$ok_speed")"
  echo "- bytes per page: $(thousands "${bpp[chidoan]}"), ${size}× ocrmypdf -O3's $(thousands "${bpp[ocrmypdf_o3]}") (target ≤ 1×): $(verdict "$ok_size")"
  echo "- character accuracy: ${acc[chidoan]} % against ocrmypdf's ${acc[ocrmypdf]} %, ${diff} points (target ≥ −0.50): $(verdict "$ok_acc")"
else
  status=1
  echo "Targets (dossier digitiser): MISSED (no result for chidoan scan or ocrmypdf)"
fi
[[ -n $keep ]] && echo "Kept in $work"
exit "$status"
