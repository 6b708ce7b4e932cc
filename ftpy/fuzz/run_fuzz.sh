#!/usr/bin/env bash
# run_fuzz.sh FUZZER SECONDS OUTDIR SEEDDIR... — runs the libFuzzer target
# for SECONDS from the seed corpora, in a scratch working directory; new
# inputs go to OUTDIR/corpus, crashes to OUTDIR/artifacts. Prints the run
# time and the corpus size; fails on any crash, leak or timeout.
set -euo pipefail
fuzzer=$1 seconds=$2 out=$3; shift 3
mkdir -p "$out/corpus" "$out/artifacts"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
start=$(date +%s)
(cd "$work" && "$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20 \
   -max_len=4096 -close_fd_mask=3 -print_final_stats=1 \
   -artifact_prefix="$out/artifacts/" "$out/corpus" "$@") 2> "$out/fuzz.log" || {
  tail -n 60 "$out/fuzz.log"
  echo "fuzz: FAILED (inputs in $out/artifacts)"
  exit 1
}
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$out/fuzz.log" || true
echo "fuzz: $(( $(date +%s) - start )) s, seed corpus $(find "$@" -type f | wc -l) files," \
     "$(ls "$out/corpus" | wc -l) inputs kept, no crash"
