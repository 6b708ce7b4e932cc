#!/usr/bin/env bash
# bench/py/run.sh — the Python benchmark suite: ftpy's flavors against CPython.
#
# Usage: bench/py/run.sh [options] [program ...]
#   --runs N        timed runs per program and interpreter (default 5)
#   --quick         3 runs with small sizes (a smoke test of the suite, ~1 min)
#   --out DIR       where the hyperfine JSON files and report.md go (default build/bench-py)
#   --build DIR     the build tree holding ftpy/ftpy-{gil,nogil,nogil-atomic} (default build/release)
#   --python PATH   the reference CPython (default /usr/bin/python3)
#   -h, --help      this text
#   program ...     a subset of the programs (names without .py), e.g. `run.sh nbody richards`
#
# For each program, every interpreter first runs it once and must print exactly what CPython
# prints (the checksum lines); a difference is reported and the script exits 1. Then hyperfine
# times all interpreters on that program (--warmup 1 --runs N) and exports <program>.json.
# The report (median seconds per program and interpreter, ftpy-X / CPython ratios with their
# geometric means, nogil / gil) is printed and saved as <out>/report.md.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=5
quick=0
out="$root/build/bench-py"
build="$root/build/release"
python=/usr/bin/python3
selected=()

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --runs=*) runs="${1#*=}"; shift ;;
    --quick) quick=1; shift ;;
    --out) out="$2"; shift 2 ;;
    --out=*) out="${1#*=}"; shift ;;
    --build) build="$2"; shift 2 ;;
    --build=*) build="${1#*=}"; shift ;;
    --python) python="$2"; shift 2 ;;
    --python=*) python="${1#*=}"; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
    *) selected+=("$1"); shift ;;
  esac
done
if [[ $quick -eq 1 ]]; then runs=3; fi
if ! [[ "$runs" =~ ^[0-9]+$ ]] || [[ "$runs" -lt 1 ]]; then
  echo "run.sh: --runs needs a positive integer" >&2; exit 2
fi

for tool in hyperfine jq; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool is missing (apt-get install -y $tool)" >&2; exit 2; }
done
[[ -x "$python" ]] || { echo "run.sh: no CPython at $python" >&2; exit 2; }

# Program name -> arguments of the quick run (the normal run uses each program's default size).
declare -A quick_args=(
  [nbody]="20000" [fannkuch]="8 1" [spectral_norm]="120" [float]="20000"
  [richards]="4" [nqueens]="9" [generators]="20000" [unpack_sequence]="200000"
  [chaos]="100000" [deltablue]="500" [go]="15" [raytrace]="80"
)
all_programs=(nbody fannkuch spectral_norm float richards nqueens generators unpack_sequence
              chaos deltablue go raytrace)
if [[ ${#selected[@]} -eq 0 ]]; then selected=("${all_programs[@]}"); fi
for p in "${selected[@]}"; do
  [[ -f "$here/$p.py" ]] || { echo "run.sh: no program $here/$p.py" >&2; exit 2; }
done

# Interpreters: CPython first (the reference), then whichever ftpy flavors are built.
names=(cpython)
paths=("$python")
for flavor in gil nogil nogil-atomic; do
  exe="$build/ftpy/ftpy-$flavor"
  if [[ -x "$exe" ]]; then names+=("ftpy-$flavor"); paths+=("$exe"); fi
done
if [[ ${#names[@]} -eq 1 ]]; then
  echo "run.sh: no ftpy interpreter under $build/ftpy: timing CPython alone" >&2
fi

mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args_of() {
  if [[ $quick -eq 1 ]]; then echo "${quick_args[$1]:-}"; else echo ""; fi
}

echo "interpreters: ${names[*]}"
echo "runs: $runs$([[ $quick -eq 1 ]] && echo ' (quick sizes)')   output: $out"

for p in "${selected[@]}"; do
  args=$(args_of "$p")
  script="$here/$p.py"
  # 1. The checksum check: every interpreter prints what CPython prints.
  # shellcheck disable=SC2086  # args is a list of words
  if ! (cd "$tmp" && "$python" "$script" $args >"$tmp/expected" 2>"$tmp/expected.err"); then
    echo "run.sh: $p fails under CPython:" >&2; tail -5 "$tmp/expected.err" >&2; exit 1
  fi
  for i in "${!names[@]}"; do
    [[ $i -eq 0 ]] && continue
    status=0
    # shellcheck disable=SC2086
    (cd "$tmp" && "${paths[$i]}" "$script" $args >"$tmp/got" 2>"$tmp/got.err") || status=$?
    if [[ $status -ne 0 ]] || ! cmp -s "$tmp/expected" "$tmp/got"; then
      echo "run.sh: $p: ${names[$i]} disagrees with CPython (exit status $status)" >&2
      diff "$tmp/expected" "$tmp/got" | head -10 >&2 || true
      tail -3 "$tmp/got.err" >&2 || true
      exit 1
    fi
  done
  echo "== $p $args: $(head -1 "$tmp/expected")"
  # 2. Timing: all interpreters on this program, one hyperfine invocation.
  cmds=()
  for i in "${!names[@]}"; do
    cmds+=(-n "${names[$i]}" "${paths[$i]} $script${args:+ $args}")
  done
  hyperfine -N --warmup 1 --runs "$runs" --style basic \
    --export-json "$out/$p.json" "${cmds[@]}" >"$out/$p.log"
  jq -r '.results[] | "   \(.command): median \(.median * 1000 | floor / 1000) s"' "$out/$p.json"
done

# 3. The report: one JSON document {program: {interpreter: median}}, rendered by jq.
for p in "${selected[@]}"; do
  jq --arg p "$p" '{($p): ([.results[] | {(.command): .median}] | add)}' "$out/$p.json"
done | jq -s 'add' >"$out/medians.json"

names_json=$(printf '%s\n' "${names[@]}" | jq -R . | jq -s .)
programs_json=$(printf '%s\n' "${selected[@]}" | jq -R . | jq -s .)
jq -r --argjson names "$names_json" --argjson programs "$programs_json" \
   --arg runs "$runs" --arg quick "$quick" '
  def fmt3: (. * 1000 | round) / 1000 | tostring;
  def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
  def geomean: map(select(. != null)) | if length == 0 then null
                                        else (map(log) | add / length | exp) end;
  def cell: if . == null then "-" else fmt3 end;
  . as $m
  | ($names[1:]) as $ftpys
  | (($ftpys | index("ftpy-gil")) != null and ($ftpys | index("ftpy-nogil")) != null) as $both
  | [ $programs[] as $p
      | { p: $p,
          t: [ $names[] as $n | $m[$p][$n] ],
          r: [ $ftpys[] as $n | ratio($m[$p][$n]; $m[$p]["cpython"]) ],
          ng: (if $both then ratio($m[$p]["ftpy-nogil"]; $m[$p]["ftpy-gil"]) else null end) } ] as $rows
  | ( "# ftpy vs CPython — Python benchmarks",
      "",
      "Median wall-clock seconds of \($runs) runs (hyperfine, 1 warm-up)\(if $quick == "1" then ", quick sizes" else "" end); ratios are ftpy ÷ CPython (lower is faster).",
      "",
      ( "| program | " + ($names | join(" | "))
        + ([$ftpys[] | " | \(.) ÷ CPython"] | join(""))
        + (if $both then " | nogil ÷ gil" else "" end) + " |" ),
      ( "|---" + ([$names[], $ftpys[]] | map("|---:") | join(""))
        + (if $both then "|---:" else "" end) + "|" ),
      ( $rows[]
        | "| \(.p) | " + (.t | map(cell) | join(" | "))
          + ([.r[] | " | " + cell] | join(""))
          + (if $both then " | " + (.ng | cell) else "" end) + " |" ),
      ( "| **geometric mean** | " + ([$names[] | ""] | join(" | "))
        + ([range(0; $ftpys | length) as $i | " | **" + ([$rows[].r[$i]] | geomean | cell) + "**"] | join(""))
        + (if $both then " | **" + ([$rows[].ng] | geomean | cell) + "**" else "" end) + " |" ) )
' "$out/medians.json" >"$out/report.md"
echo
cat "$out/report.md"
echo
echo "saved $out/report.md"
