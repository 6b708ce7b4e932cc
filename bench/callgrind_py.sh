#!/usr/bin/env bash
# bench/callgrind_py.sh — nogil ÷ gil on the Python suite in INSTRUCTIONS
# (valgrind --tool=callgrind), for a busy machine where wall times mean
# nothing, and the functions the nogil build spends its extra
# instructions in.
#
# Usage: bench/callgrind_py.sh [--top N] [--keep DIR] FTPY_DIR [FTPY_DIR ...]
#   FTPY_DIR   a directory with ftpy-gil and ftpy-nogil (build/release/ftpy,
#              or a baseline tree's) — several: one column group each
#   --top N    per program, the N functions with the most extra nogil
#              instructions (default 0: the table only); with it, the sum
#              over the programs too
#   --keep DIR keep the callgrind files in DIR (default: a temp dir)
#
# Each bench/py program runs once per interpreter at a small size (a few
# hundred million instructions: seconds under callgrind), on the main
# thread (harness.py: no --threads, so no second thread exists — the
# single-thread figure), and an empty program measures start-up. The
# runtime seeds str hashes from getrandom; a preloaded stub makes it fail,
# so the fixed key is used and the counts repeat exactly from run to run
# (with random keys dict probe lengths move them by about 1%).
# Ratios are instructions, not time: an atomic read-modify-write counts as
# one instruction but costs tens of cycles, so nogil's time ratio is
# higher than its instruction ratio where it still takes locks.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=0
keep=""
dirs=()
while [ $# -gt 0 ]; do
    case $1 in
        --top) top=$2; shift 2 ;;
        --keep) keep=$2; shift 2 ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dirs+=("$(cd "$1" && pwd)"); shift ;;
    esac
done
[ ${#dirs[@]} -gt 0 ] || { echo "usage: $0 [--top N] [--keep DIR] FTPY_DIR ..." >&2; exit 2; }
command -v valgrind >/dev/null || { echo "$0: valgrind not found" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=${keep:-$work/cg}
mkdir -p "$out"

cat > "$work/fixhash.c" <<'EOF'
#include <errno.h>
#include <stddef.h>
#include <sys/types.h>
ssize_t getrandom(void *buf, size_t n, unsigned flags)
{
    (void)buf; (void)n; (void)flags;
    errno = EAGAIN;
    return -1;
}
EOF
cc -O2 -shared -fPIC "$work/fixhash.c" -o "$work/fixhash.so"
echo pass > "$work/empty.py"

# program and size: a few hundred million instructions under ftpy-gil
specs=("nbody 1000" "richards 1" "float 3000" "go 1" "generators 3000" "raytrace 60"
       "spectral_norm 30" "unpack_sequence 10000" "chaos 5000" "deltablue 50"
       "fannkuch 6 1" "nqueens 6" "empty")

n=0
for d in "${dirs[@]}"; do
    n=$((n + 1))
    for spec in "${specs[@]}"; do
        set -- $spec
        p=$1; shift
        prog="$here/py/$p.py"
        [ "$p" = empty ] && prog="$work/empty.py"
        for fl in gil nogil; do
            (cd "$here/py" && LD_PRELOAD="$work/fixhash.so" nice valgrind --tool=callgrind \
                --dump-instr=no --callgrind-out-file="$out/$n.$p.$fl.cg" \
                "$d/ftpy-$fl" "$prog" "$@" > "$out/$n.$p.$fl.out" 2> "$out/$n.$p.$fl.err") ||
                { echo "$0: $d/ftpy-$fl $p failed (see $out/$n.$p.$fl.err)" >&2; exit 1; }
        done
    done
done

python3 - "$out" "$top" "${dirs[@]}" <<'EOF'
import math, re, subprocess, sys
out, top, dirs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
progs = ["nbody", "richards", "float", "go", "generators", "raytrace", "spectral_norm",
         "unpack_sequence", "chaos", "deltablue", "fannkuch", "nqueens", "empty"]

def total(f):
    for line in open(f.replace(".cg", ".err")):
        m = re.search(r"refs:\s+([\d,]+)", line)
        if m:
            return int(m.group(1).replace(",", ""))
    raise SystemExit("no total in " + f)

def functions(f):
    """Self instructions per function; gcc's clones (.cold, .constprop...)
    folded into their function, as the flavors clone differently."""
    text = subprocess.run(["callgrind_annotate", "--threshold=100", f],
                          capture_output=True, text=True, check=True).stdout
    d = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([\s\d.]+%\)\s+(.*)", line)
        if not m or "PROGRAM TOTALS" in m.group(2):
            continue
        name = re.sub(r"\s*\[.*\]$", "", m.group(2)).split(":", 1)[-1]
        name = re.sub(r"\.(cold|constprop\.\d+|isra\.\d+|part\.\d+)", "", name)
        d[name] = d.get(name, 0) + int(m.group(1).replace(",", ""))
    return d

print("| program |" + "".join(" gil (%d) | nogil (%d) | ratio |" % (i, i)
                               for i in range(1, len(dirs) + 1)))
print("|---|" + "---:|" * 3 * len(dirs))
logs = [[] for _ in dirs]
for p in progs:
    row = "| %s |" % p
    for i in range(len(dirs)):
        g = total("%s/%d.%s.gil.cg" % (out, i + 1, p))
        n = total("%s/%d.%s.nogil.cg" % (out, i + 1, p))
        row += " %.1fM | %.1fM | %.3f |" % (g / 1e6, n / 1e6, n / g)
        if p != "empty":
            logs[i].append(math.log(n / g))
    print(row)
print("| geomean (12) |" + "".join(" | | %.3f |" % math.exp(sum(l) / len(l)) for l in logs))
for i, d in enumerate(dirs):
    print("(%d) %s" % (i + 1, d))
if top <= 0:
    sys.exit(0)
for i in range(len(dirs)):
    print("\n(%d) extra nogil instructions by function (self; share of the extra)" % (i + 1))
    agg, extra = {}, 0
    for p in progs[:-1]:
        a = functions("%s/%d.%s.gil.cg" % (out, i + 1, p))
        b = functions("%s/%d.%s.nogil.cg" % (out, i + 1, p))
        e = sum(b.values()) - sum(a.values())
        extra += e
        diff = {k: b.get(k, 0) - a.get(k, 0) for k in set(a) | set(b)}
        for k, v in diff.items():
            agg[k] = agg.get(k, 0) + v
        best = sorted(diff.items(), key=lambda kv: -kv[1])[:top]
        print("  %s (+%.1fM): %s" % (p, e / 1e6, ", ".join("%s %.0f%%" % (k, 100 * v / e)
                                                          for k, v in best)))
    print("  all 12 (+%.1fM):" % (extra / 1e6))
    for k, v in sorted(agg.items(), key=lambda kv: -kv[1])[:top]:
        print("    %8.1fM %5.1f%%  %s" % (v / 1e6, 100 * v / extra, k))
EOF
