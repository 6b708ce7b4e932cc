#!/usr/bin/env bash
# papers/test_papers.sh — the papers' machinery without measuring anything
# (ctest papers/machinery): papers/verdict.py's verdicts, the README and
# index blocks, the raw-data bundle, and papers/lib.sh's --save (refused
# on a dirty tree, and what it writes on a clean one), on a throw-away
# git repository holding a copy of lib.sh and verdict.py and a fake paper
# whose run.sh measures two constants.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
expect() {   # description, then a command that must succeed
    local what=$1; shift
    if "$@"; then ok "$what"; else bad "$what"; fi
}
V=$HERE/verdict.py

# ---- verdict.py compute / check ------------------------------------------------
cat >"$T/claims.json" <<'EOF'
{ "title": "t", "claim": "a test claim",
  "claims": [
    {"id": "a", "what": "A", "published": "1", "source": "s", "quantity": "qa",
     "op": "<=", "threshold": 0.5, "pass": "small", "fail": "big"},
    {"id": "b", "what": "B", "published": "2", "source": "s", "quantity": "qb",
     "op": "between", "threshold": [2, 4], "pass": "in", "fail": "out"},
    {"id": "c", "what": "C", "published": "3", "source": "s", "quantity": "qc",
     "op": ">", "threshold": 1, "pass": "yes", "fail": "no"} ] }
EOF
printf 'qa\t0.25\nqb\t5\n' >"$T/m1.tsv"
python3 "$V" compute "$T/claims.json" "$T/m1.tsv" "$T/v1.tsv" >"$T/s1.md"
expect "one holds, one fails, one unmeasured: partly" \
    grep -qx 'verdict					Partly reproduced (1 of 2 claims)' "$T/v1.tsv"
expect "the unmeasured claim reads 'not measured'" grep -q $'^c\tqc\t—\tx > 1\tnot measured' "$T/v1.tsv"
expect "results.md section states the verdict" grep -q '^\*\*Verdict: Partly reproduced (1 of 2 claims).\*\*$' "$T/s1.md"
expect "check prints the verdict" test "$(python3 "$V" check "$T/v1.tsv")" = "Partly reproduced (1 of 2 claims)"
printf 'qa\t0.5\nqb\t4\nqc\t1.5\n' >"$T/m2.tsv"
python3 "$V" compute "$T/claims.json" "$T/m2.tsv" "$T/v2.tsv" >/dev/null
expect "every claim holds (bounds inclusive): reproduced" test "$(python3 "$V" check "$T/v2.tsv")" = Reproduced
printf 'qa\t0.51\nqb\t1.99\nqc\t1\n' >"$T/m3.tsv"
python3 "$V" compute "$T/claims.json" "$T/m3.tsv" "$T/v3.tsv" >/dev/null
expect "no claim holds: not reproduced" test "$(python3 "$V" check "$T/v3.tsv")" = "Not reproduced"
: >"$T/empty.tsv"
expect "check fails on a missing verdict file" bash -c "! python3 '$V' check '$T/none.tsv' 2>/dev/null"
expect "check fails on a file without a verdict" bash -c "! python3 '$V' check '$T/empty.tsv' 2>/dev/null"

# ---- readme / index blocks ------------------------------------------------------
printf '# x\n\n## Verdict\n\n<!-- verdict -->\nold\n<!-- /verdict -->\n\nprose\n' >"$T/README.md"
python3 "$V" readme "$T/README.md" "$T/v1.tsv" "$T/claims.json" abc1234
expect "README block rewritten with the verdict and commit" \
    grep -q '^\*\*Partly reproduced (1 of 2 claims)\*\* (computed by papers/verdict.py from \[results.md\](results.md), commit abc1234):$' "$T/README.md"
expect "README text outside the block kept" grep -qx prose "$T/README.md"
expect "README block's old text gone" bash -c "! grep -qx old '$T/README.md'"
printf '# y\n' >"$T/nomark.md"
expect "a README without markers is an error" \
    bash -c "! python3 '$V' readme '$T/nomark.md' '$T/v1.tsv' '$T/claims.json' x 2>/dev/null"

# ---- --save on a throw-away repository ------------------------------------------
R=$T/repo
mkdir -p "$R/papers/fake" "$T/build/bench"
cp "$HERE/lib.sh" "$HERE/verdict.py" "$HERE/pymetric.py" "$R/papers/"
printf '#!/bin/sh\nexit 0\n' >"$T/build/bench/ftbench-gil"
chmod +x "$T/build/bench/ftbench-gil"
cp "$T/claims.json" "$R/papers/fake/claims.json"
printf '# fake\n\n## Verdict\n\n<!-- verdict -->\nnone yet\n<!-- /verdict -->\n' >"$R/papers/fake/README.md"
printf '# papers\n\n<!-- index -->\nold index\n<!-- /index -->\n' >"$R/papers/README.md"
cat >"$R/papers/fake/run.sh" <<'EOF'
#!/usr/bin/env bash
source "$(dirname "$0")/../lib.sh"
paper_init "$@"
echo '{"results": [{"workload": "w", "threads": 1, "runs": [{"wall_ns": 1}]}]}' >"$OUT/raw-w.json"
paper_results_header "fake"
echo "body" | paper_append
paper_quantity qa 0.1
paper_quantity qb 3
paper_quantity qc "$(paper_div 1 0)"
paper_finish
EOF
chmod +x "$R/papers/fake/run.sh"
(cd "$R" && git init -q && git -c user.name=t -c user.email=t@t add -A &&
 git -c user.name=t -c user.email=t@t commit -qm init)
export PAPERS_BUILD=$T/build PAPERS_OUT=$T/out
echo dirt >"$R/dirt.txt"
set +e
"$R/papers/fake/run.sh" --save >"$T/dirty.log" 2>&1
rc=$?
set -e
expect "--save on a dirty tree exits 2" test "$rc" = 2
expect "--save on a dirty tree names the dirty file" grep -q 'dirt.txt' "$T/dirty.log"
expect "--save on a dirty tree wrote nothing" test ! -e "$R/papers/fake/results.md"
set +e
"$R/papers/fake/run.sh" --smoke --save >"$T/smoke.log" 2>&1
rc=$?
set -e
expect "--save with --smoke exits 2" test "$rc" = 2
rm "$R/dirt.txt"
"$R/papers/fake/run.sh" --save >"$T/save.log" 2>&1 || { cat "$T/save.log" >&2; bad "--save on a clean tree"; }
commit=$(git -C "$R" rev-parse --short HEAD)
expect "saved results.md names the clean commit" grep -qx -- "- commit: $commit" "$R/papers/fake/results.md"
expect "saved results.md carries the computed verdict" \
    grep -q '^\*\*Verdict: Reproduced.\*\*$' "$R/papers/fake/results.md"
expect "verdict.tsv saved" test -s "$R/papers/fake/verdict.tsv"
expect "raw.json saved with the run's JSON" \
    python3 -c "import json, sys; d = json.load(open('$R/papers/fake/raw.json')); sys.exit(0 if 'raw-w.json' in d['files'] and d['commit'] == '$commit' else 1)"
expect "README verdict block written" grep -q "^\*\*Reproduced\*\* (computed .*commit $commit):" "$R/papers/fake/README.md"
expect "a division by zero is not measured" grep -q $'^c\tqc\t—' "$R/papers/fake/verdict.tsv"
# the index: only the papers lib.sh knows are listed, so point it at "fake"
python3 "$V" index "$R/papers/README.md" "$R/papers" fake
expect "index row from claims.json and the saved verdict" \
    grep -q '^| 1 | \[fake\](fake/) | a test claim | \*\*Reproduced\*\*: a ✓, b ✓ |$' "$R/papers/README.md"
# a second paper's --save in the same papers/run: only saved files differ
(cd "$R" && git -c user.name=t -c user.email=t@t add -A &&
 git -c user.name=t -c user.email=t@t commit -qm saved)
echo changed >>"$R/papers/fake/results.md"
set +e
PAPERS_SAVE_BASE=$(git -C "$R" rev-parse HEAD) "$R/papers/fake/run.sh" --save >"$T/again.log" 2>&1
rc=$?
set -e
expect "--save after an earlier paper's save (papers/run) is allowed" test "$rc" = 0
echo dirt >"$R/dirt.txt"
set +e
PAPERS_SAVE_BASE=$(git -C "$R" rev-parse HEAD) "$R/papers/fake/run.sh" --save >"$T/again2.log" 2>&1
rc=$?
set -e
expect "... but not with any other change" test "$rc" = 2

[ "$fails" = 0 ] || { echo "$fails check(s) failed" >&2; exit 1; }
echo "all papers machinery checks passed"
