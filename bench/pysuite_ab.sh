#!/usr/bin/env bash
# bench/pysuite_ab.sh — the Python suite's nogil ÷ gil ratio, one thread,
# with a 95% confidence interval: every (program, build, flavor) run
# interleaved round by round, the order rotated from round to round, and
# the interval bootstrapped over whole rounds.
#
# Usage: bench/pysuite_ab.sh [options] DIR [DIR2]
#   DIR, DIR2         build trees with bench/ftbench-gil and ftpy/ftpy-gil,
#                     ftpy/ftpy-nogil (build/release, or a baseline tree's);
#                     with two, the first is "old" and the second "new"
#   --rounds N        rounds (default 10)
#   --programs P,...  bench/py programs (default: the 12 of the suite)
#   --size quick|full the programs' --quick sizes (default; 0.1-0.5 s a run
#                     under ftpy) or their full sizes (seconds each)
#   --python PATH     CPython to run beside them, one more column (default
#                     python3; "none" to skip)
#   --keep DIR        keep every run's ftbench JSON in DIR
#
# One run = one process: `ftbench-gil run --workload py:P --ftpy FTPY
# --threads 1 --warmup 0 --repeats 1`, so ftbench times the child from spawn
# to exit and reads its CPU time (user + system) and peak RSS from wait4's
# rusage (bench/workloads/py.c). CPU time is the headline: on a shared
# machine it does not count time spent waiting for a core; wall time is
# shown beside it.
#
# Statistics. Per program and interpreter, the median over the rounds;
# nogil ÷ gil per program is the ratio of the medians, and the suite's
# figure is their geometric mean. Its interval is a percentile bootstrap
# over rounds: 2,000 times, draw N rounds with replacement (the same draw
# for every program and interpreter, since a round's runs of one program
# ran back to back and share the machine's state), recompute the
# geometric mean of the ratios of medians, and take the 2.5th and 97.5th
# percentiles. The seed is fixed, so the same runs give the same report.
# With ten rounds, an interval a few points wide is typical here; a
# target is met only if the interval's upper end is below it.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rounds=10
programs="chaos,deltablue,fannkuch,float,generators,go,nbody,nqueens,raytrace,richards,spectral_norm,unpack_sequence"
size=quick
python=python3
keep=
dirs=()
usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case $1 in
        --rounds) rounds=$2; shift 2 ;;
        --programs) programs=$2; shift 2 ;;
        --size) size=$2; shift 2 ;;
        --python) python=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "$0: unknown option $1" >&2; usage >&2; exit 2 ;;
        *) dirs+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
case ${#dirs[@]} in
    1) labels=(build) ;;
    2) labels=(old new) ;;
    *) echo "$0: one or two build trees" >&2; usage >&2; exit 2 ;;
esac
case $size in
    quick) size_args=(--quick) ;;
    full) size_args=() ;;
    *) echo "$0: --size quick|full" >&2; exit 2 ;;
esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "$0: --rounds N, N >= 1" >&2; exit 2; }

# The interpreters, as "label|ftpy-or-python|path": every flavor of every
# build, then CPython.
ftbench=${dirs[0]}/bench/ftbench-gil
[ -x "$ftbench" ] || { echo "$0: no $ftbench" >&2; exit 2; }
interps=()
for i in "${!dirs[@]}"; do
    for fl in gil nogil; do
        exe=${dirs[$i]}/ftpy/ftpy-$fl
        [ -x "$exe" ] || { echo "$0: no $exe" >&2; exit 2; }
        interps+=("${labels[$i]}:$fl|ftpy|$exe")
    done
done
if [ "$python" != none ]; then
    command -v "$python" >/dev/null || { echo "$0: no $python (--python none skips it)" >&2; exit 2; }
    interps+=("cpython|python|$(command -v "$python")")
fi

raw=${keep:-$(mktemp -d)}
mkdir -p "$raw"
[ -n "$keep" ] || trap 'rm -rf "$raw"' EXIT
IFS=, read -r -a progs <<< "$programs"
n=${#interps[@]}
start=$SECONDS
for r in $(seq "$rounds"); do
    for p in "${progs[@]}"; do
        # Rotate the order: round r starts at interpreter r mod n, so no
        # interpreter always runs first (a warmer or colder cache, a
        # neighbour's burst) after another one's program.
        for k in $(seq 0 $((n - 1))); do
            IFS='|' read -r label kind exe <<< "${interps[$(((k + r) % n))]}"
            out="$raw/r$r.$p.${label//:/.}.json"
            "$ftbench" run --workload "py:$p" "--$kind" "$exe" --threads 1 \
                --warmup 0 --repeats 1 "${size_args[@]}" --json "$out" >/dev/null 2>"$raw/err" ||
                { echo "$0: $label $p failed:" >&2; tail -5 "$raw/err" >&2; exit 1; }
        done
    done
    echo "round $r of $rounds done ($((SECONDS - start)) s)" >&2
done

python3 - "$raw" "$rounds" "$size" "${dirs[@]}" <<'PY'
import glob, json, math, os, random, statistics, sys

raw, rounds, size, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
# runs[(label, program)][round] = (cpu_s, wall_s, rss_kb)
runs = {}
for path in glob.glob(os.path.join(raw, "r*.json")):
    r, prog, *label = os.path.basename(path)[1:-len(".json")].split(".")
    s = json.load(open(path))["results"][0]["runs"][0]
    runs.setdefault((":".join(label), prog), {})[int(r)] = (
        s["cpu_ns"] / 1e9, s["wall_ns"] / 1e9, s["max_rss_kb"])
progs = sorted({k[1] for k in runs})
builds = sorted({k[0].split(":")[0] for k in runs if ":" in k[0]}, key=lambda b: b != "old")
labels = [f"{b}:{f}" for b in builds for f in ("gil", "nogil")]
labels += ["cpython"] if any(k[0] == "cpython" for k in runs) else []

geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
def median_of(label, prog, idx, which):
    return statistics.median(runs[(label, prog)][r][which] for r in idx)
def ratio(num, den, idx, which=0):
    return geo([median_of(num, p, idx, which) / median_of(den, p, idx, which) for p in progs])
everything = list(range(1, rounds + 1))
rng = random.Random(20261206)
draws = [[rng.choice(everything) for _ in everything] for _ in range(2000)]
def with_ci(num, den, which=0):
    boot = sorted(ratio(num, den, d, which) for d in draws)
    return ratio(num, den, everything, which), boot[49], boot[1949]
fmt = lambda t: f"**{t[0]:.3f}** [{t[1]:.3f}, {t[2]:.3f}]"

print(f"Python suite, one thread, {size} sizes, {rounds} rounds, medians; "
      f"95% intervals bootstrapped over rounds")
for b, d in zip(builds, dirs):
    print(f"- {b}: {d}")
print()
cols = labels
print("| program | " + " | ".join(f"{l} CPU s" for l in cols) +
      " | " + " | ".join(f"{b} nogil ÷ gil" for b in builds) + " |")
print("|---|" + "---:|" * (len(cols) + len(builds)))
for p in progs:
    row = [p] + [f"{median_of(l, p, everything, 0):.3f}" for l in cols]
    row += [f"{median_of(b + ':nogil', p, everything, 0) / median_of(b + ':gil', p, everything, 0):.3f}"
            for b in builds]
    print("| " + " | ".join(row) + " |")
print()
print("| geometric mean | CPU time | wall time | peak RSS |")
print("|---|---|---|---|")
for b in builds:
    print(f"| {b}: nogil ÷ gil | {fmt(with_ci(b + ':nogil', b + ':gil'))} | "
          f"{fmt(with_ci(b + ':nogil', b + ':gil', 1))} | "
          f"{ratio(b + ':nogil', b + ':gil', everything, 2):.3f} |")
if len(builds) == 2:
    for f in ("gil", "nogil"):
        print(f"| {f}: new ÷ old | {fmt(with_ci('new:' + f, 'old:' + f))} | "
              f"{fmt(with_ci('new:' + f, 'old:' + f, 1))} | "
              f"{ratio('new:' + f, 'old:' + f, everything, 2):.3f} |")
if "cpython" in labels:
    for b in builds:
        print(f"| {b}: ftpy-gil ÷ CPython | {fmt(with_ci(b + ':gil', 'cpython'))} | "
              f"{fmt(with_ci(b + ':gil', 'cpython', 1))} | "
              f"{ratio(b + ':gil', 'cpython', everything, 2):.3f} |")
PY
