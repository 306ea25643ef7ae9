#!/usr/bin/env python3
"""The chains and word lists of the screening benchmark (.ci/bench/screening.sh), beside
the export that .ci/bench/leads-gen.py wrote into DATA:

  chain-dense.yaml   the benchmark chain with one more GB/T code on its first link
                     (L7212, the code of about 5 % of the export's rows), so that about
                     one row in ten matches: the dense workload.
  codes-dense.txt    every code of that chain, one per line (for the polars peer).
  keywords-sparse.txt  every keyword and link name of chains/nev-battery.yaml: the
                     sparse workload.

Usage: screening-data.py DATA
"""
import os
import re
import sys

data = sys.argv[1]
root = os.path.join(os.path.dirname(__file__), "..", "..")
with open(os.path.join(data, "chain.yaml"), encoding="utf-8") as f:
    chain = f.read()
dense, count = re.subn(r"(  - id: link000\n(?:    .*\n)*?    codes: \[)([^\]]*)\]", r"\1\2, L7212]", chain, count=1)
assert count == 1, "link000 has no codes line"
with open(os.path.join(data, "chain-dense.yaml"), "w", encoding="utf-8") as f:
    f.write(dense)
codes = sorted({c.strip() for line in re.findall(r"codes: \[([^\]]*)\]", dense) for c in line.split(",")})
with open(os.path.join(data, "codes-dense.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(codes) + "\n")

# The sparse chain's words, read without a YAML library: `name:` of each link and its
# `keywords:` (flow or block lists).
words = set()
with open(os.path.join(root, "chains", "nev-battery.yaml"), encoding="utf-8") as f:
    text = f.read()
links = text.split("\nlinks:", 1)[1].split("\nenterprises:", 1)[0]
for name in re.findall(r"^  - id: .*\n    name: (.+)$", links, flags=re.M):
    words.add(name.strip().strip("'\""))
for flow in re.findall(r"^    keywords: \[(.*)\]", links, flags=re.M):
    words.update(w.strip().strip("'\"") for w in flow.split(",") if w.strip())
for block in re.findall(r"^    keywords:\n((?:      - .*\n)+)", links, flags=re.M):
    words.update(w.strip()[2:].strip().strip("'\"") for w in block.splitlines())
words.discard("")
with open(os.path.join(data, "keywords-sparse.txt"), "w", encoding="utf-8") as f:
    f.write("\n".join(sorted(words)) + "\n")
print(f"{data}: chain-dense.yaml ({len(codes)} codes), keywords-sparse.txt ({len(words)} words)")
