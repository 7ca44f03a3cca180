#!/usr/bin/env python3
"""mkpeers.py: write the peers of the benchmark from the default category
rules, so that they do the same work as cplclassify:
  OUT/peer.py   Python csv + re: every rule, weights summed, best category
  OUT/peer.mlr  Miller put: the same patterns, first match wins
Patterns Miller's regex engine (Go RE2) cannot compile are left out of the
Miller script and counted on stderr.  Usage: mkpeers.py RULES.csv OUTDIR"""
import csv, re, sys, os

rules_path, out = sys.argv[1], sys.argv[2]
rows = [r for r in csv.DictReader(l for l in open(rules_path, encoding="utf-8") if not l.startswith("#"))]
rules = [(r["id"], r["category"], int(r["weight"] or 0), r["pattern"]) for r in rows if r.get("pattern")]

with open(os.path.join(out, "peer.py"), "w", encoding="utf-8") as f:
    f.write("import csv, re, sys\n")
    f.write("RULES = [\n")
    for rid, cat, w, pat in rules:
        f.write("    (%r, %d, re.compile(%r, re.I)),\n" % (cat, w, pat))
    f.write("]\n")
    f.write('''
def fold(s):
    s = "".join(chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else c for c in s)
    return " ".join(s.split())

r = csv.reader(sys.stdin)
w = csv.writer(sys.stdout, lineterminator="\\n")
head = next(r)
ti = head.index("投诉内容") if "投诉内容" in head else head.index("text")
w.writerow(head + ["category"])
for row in r:
    t = fold(row[ti]) if ti < len(row) else ""
    score, best = {}, "other"
    for cat, wt, rx in RULES:
        if rx.search(t):
            score[cat] = score.get(cat, 0) + wt
    if score:
        c, s = max(score.items(), key=lambda kv: kv[1])
        if s > 0:
            best = c
    w.writerow(row + [best])
''')

def re2_ok(p):
    # RE2 has no lookaround and no backreferences
    return not re.search(r"\(\?[=!<]|\\[1-9]", p)

kept = [(c, p) for _, c, _, p in rules if re2_ok(p)]
with open(os.path.join(out, "peer.mlr"), "w", encoding="utf-8") as f:
    f.write('$category = "other";\n')
    for i, (cat, pat) in enumerate(kept):
        pat = pat.replace("\\", "\\\\").replace('"', '\\"')
        f.write('%sif ($投诉内容 =~ "%s"i) { $category = "%s" }\n' % ("" if i == 0 else "el", pat, cat))
print("mkpeers: %d rules; %d in the Miller script (%d need lookaround RE2 lacks)"
      % (len(rules), len(kept), len(rules) - len(kept)), file=sys.stderr)
