#!/usr/bin/env python3
"""papers/verdict.py — verdicts computed from the numbers (papers/lib.sh calls it).

Every papers/<slug>/claims.json states the paper's claims as thresholds on
quantities that run.sh measures; run.sh writes those quantities, one
"name<TAB>value" line each, into $OUT/measured.tsv (paper_quantity in
lib.sh). This script compares the two and nothing else decides a verdict.

  verdict.py compute CLAIMS MEASURED OUT_TSV   write OUT_TSV (one line per
        claim: id, quantity, value, test, result, words) and print the
        results.md section "Verdict (computed)" on stdout
  verdict.py readme README VERDICT_TSV CLAIMS COMMIT   rewrite the block
        between <!-- verdict --> and <!-- /verdict --> in README
  verdict.py index PAPERS_README PAPERS_DIR   rewrite the index table between
        <!-- index --> and <!-- /index --> from every papers/<slug>/claims.json
        and the verdict.tsv saved beside it
  verdict.py check VERDICT_TSV   exit 1 unless the file holds a verdict line
  verdict.py bundle OUT DEST COMMIT   the raw data of a run as one JSON file:
        every *.json, *.jsonl, *.tsv and raw*.txt of OUT (DEST, or DEST.gz
        when it is over 200 KB); prints the file written

claims.json:
  { "title": "...", "claim": "one line for the index table",
    "claims": [ { "id": "...", "what": "the claim in words",
                  "published": "the published number", "source": "who, where",
                  "quantity": "name in measured.tsv", "op": "<|<=|>|>=|between",
                  "threshold": x  (or [lo, hi] for between),
                  "pass": "words when it holds", "fail": "words when not" } ] }

A claim whose quantity was not measured (a --smoke run skips some parts)
reads "not measured" and does not count. The paper's overall verdict:
every measured claim holds -> "Reproduced"; none -> "Not reproduced";
some -> "Partly reproduced (k of n claims)".
"""
import gzip
import json
import math
import os
import re
import sys

BLOCK = re.compile(r"(<!-- verdict -->\n).*?(<!-- /verdict -->)", re.S)
INDEX = re.compile(r"(<!-- index -->\n).*?(<!-- /index -->)", re.S)


def load_measured(path):
    vals = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) >= 2 and parts[0] and not parts[0].startswith("#"):
                    try:
                        v = float(parts[1])
                    except ValueError:
                        continue
                    if math.isfinite(v):
                        vals[parts[0]] = v
    return vals


def fmt(x):
    if x == 0:
        return "0"
    a = abs(x)
    if a >= 1000:
        return "{:,.0f}".format(x)
    if a >= 10:
        return "%.1f" % x
    if a >= 0.01:
        return "%.3g" % x
    return "%.2e" % x


def test_text(c):
    if c["op"] == "between":
        lo, hi = c["threshold"]
        return "%s ≤ x ≤ %s" % (fmt(lo), fmt(hi))
    return "x %s %s" % (c["op"], fmt(c["threshold"]))


def holds(c, v):
    op, t = c["op"], c["threshold"]
    if op == "<":
        return v < t
    if op == "<=":
        return v <= t
    if op == ">":
        return v > t
    if op == ">=":
        return v >= t
    if op == "between":
        return t[0] <= v <= t[1]
    raise SystemExit("verdict.py: claim %s: unknown op %r" % (c["id"], op))


def overall(results):
    measured = [r for r in results if r in ("holds", "fails")]
    ok = measured.count("holds")
    if not measured:
        return "Not measured"
    if ok == len(measured):
        return "Reproduced"
    if ok == 0:
        return "Not reproduced"
    return "Partly reproduced (%d of %d claims)" % (ok, len(measured))


def compute(claims_path, measured_path, out_path):
    with open(claims_path) as f:
        spec = json.load(f)
    vals = load_measured(measured_path)
    rows, results = [], []
    for c in spec["claims"]:
        v = vals.get(c["quantity"])
        if v is None:
            res, words, shown = "not measured", "not measured", "—"
        elif holds(c, v):
            res, words, shown = "holds", c["pass"], fmt(v)
        else:
            res, words, shown = "fails", c["fail"], fmt(v)
        results.append(res)
        rows.append((c, shown, res, words))
    verdict = overall(results)
    with open(out_path, "w") as f:
        f.write("# id\tquantity\tvalue\ttest\tresult\twords\n")
        for c, shown, res, words in rows:
            f.write("\t".join([c["id"], c["quantity"], shown, test_text(c), res, words]) + "\n")
        f.write("\t".join(["verdict", "", "", "", "", verdict]) + "\n")
    print("## Verdict (computed)")
    print()
    print("From `claims.json` and this run's `measured.tsv` (papers/verdict.py); "
          "x is the measured quantity.")
    print()
    print("| claim | published (source) | quantity | x | test | result |")
    print("|---|---|---|---:|---|---|")
    for c, shown, res, words in rows:
        print("| %s | %s (%s) | `%s` | %s | %s | **%s** |"
              % (c["what"], c["published"], c["source"], c["quantity"], shown,
                 test_text(c), words))
    print()
    print("**Verdict: %s.**" % verdict)


def read_verdict(path):
    rows, verdict = [], None
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                continue
            p = line.rstrip("\n").split("\t")
            if len(p) < 6:
                continue
            if p[0] == "verdict":
                verdict = p[5]
            else:
                rows.append(p)
    return rows, verdict


def replace_block(path, pattern, name, block):
    """Replaces what stands between the file's <!-- NAME --> markers
    (pattern: the markers as groups 1 and 2) with block."""
    with open(path) as f:
        text = f.read()
    if not pattern.search(text):
        raise SystemExit("verdict.py: %s has no <!-- %s --> block" % (path, name))
    text = pattern.sub(lambda m: m.group(1) + block + m.group(2), text, count=1)
    with open(path, "w") as f:
        f.write(text)


def readme(readme_path, verdict_path, claims_path, commit):
    with open(claims_path) as f:
        spec = json.load(f)
    by_id = {c["id"]: c for c in spec["claims"]}
    rows, verdict = read_verdict(verdict_path)
    lines = ["**%s** (computed by papers/verdict.py from [results.md](results.md), commit %s):"
             % (verdict, commit), ""]
    for p in rows:
        c = by_id.get(p[0], {"what": p[0]})
        lines.append("- %s: %s = %s (%s) → %s" % (c["what"], p[1], p[2], p[3], p[5]))
    replace_block(readme_path, BLOCK, "verdict", "\n".join(lines) + "\n")


def index(papers_readme, papers_dir, order):
    out = ["| # | folder | claim | verdict (computed) |", "|---|---|---|---|"]
    for i, slug in enumerate(order, 1):
        cpath = os.path.join(papers_dir, slug, "claims.json")
        if not os.path.exists(cpath):
            continue
        with open(cpath) as f:
            spec = json.load(f)
        vpath = os.path.join(papers_dir, slug, "verdict.tsv")
        if os.path.exists(vpath):
            rows, verdict = read_verdict(vpath)
            held = ["%s %s" % (r[0], "✓" if r[4] == "holds" else "✗")
                    for r in rows if r[4] in ("holds", "fails")]
            cell = "**%s**: %s" % (verdict, ", ".join(held))
        else:
            cell = "not yet saved (run `papers/run --save`)"
        out.append("| %d | [%s](%s/) | %s | %s |" % (i, slug, slug, spec["claim"], cell))
    replace_block(papers_readme, INDEX, "index", "\n".join(out) + "\n")


def check(path):
    if not os.path.exists(path):
        print("verdict.py: %s is missing" % path, file=sys.stderr)
        sys.exit(1)
    rows, verdict = read_verdict(path)
    if not verdict or not rows:
        print("verdict.py: %s holds no verdict" % path, file=sys.stderr)
        sys.exit(1)
    print(verdict)


def bundle(out_dir, dest, commit):
    files = {}
    for name in sorted(os.listdir(out_dir)):
        path = os.path.join(out_dir, name)
        if not os.path.isfile(path) or name.startswith("raw.json"):
            continue
        if name.endswith(".json"):
            with open(path) as f:
                try:
                    files[name] = json.load(f)
                except ValueError:
                    files[name] = f.read()
        elif name.endswith((".jsonl", ".tsv")) or (name.startswith("raw") and name.endswith(".txt")):
            with open(path, errors="replace") as f:
                files[name] = f.read()
    data = json.dumps({"schema": "ftlab-papers-raw/1", "commit": commit, "files": files},
                      indent=None, separators=(",", ":")).encode()
    for old in (dest, dest + ".gz"):
        if os.path.exists(old):
            os.remove(old)
    if len(data) > 200 * 1024:
        with gzip.open(dest + ".gz", "wb", 9) as f:
            f.write(data)
        print(dest + ".gz")
    else:
        with open(dest, "wb") as f:
            f.write(data)
        print(dest)


def main(argv):
    if len(argv) >= 4 and argv[0] == "compute":
        compute(argv[1], argv[2], argv[3])
    elif len(argv) == 5 and argv[0] == "readme":
        readme(argv[1], argv[2], argv[3], argv[4])
    elif len(argv) >= 3 and argv[0] == "index":
        index(argv[1], argv[2], argv[3:])
    elif len(argv) == 2 and argv[0] == "check":
        check(argv[1])
    elif len(argv) == 4 and argv[0] == "bundle":
        bundle(argv[1], argv[2], argv[3])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


main(sys.argv[1:])
