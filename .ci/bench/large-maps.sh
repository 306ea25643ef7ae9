#!/usr/bin/env bash
# Large maps (issue 20): `chainmap render` of 2,000-link chains to PNG and SVG, and the
# random chains behind the layout limit (MapRendering.swift: at most 2,000 links, and at
# most 1,000 supplies edges more than the links, 3,000 in all), beside `dot -Tsvg` on the
# DOT chainmap emits for the same chain. Median wall time and the largest peak resident
# memory of RUNS runs (default 1: the largest take seconds each).
#
#   bash .ci/bench/large-maps.sh          RUNS=1
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1}
BIN=${BIN:-.build-bench/release/chainmap}
source .ci/bench/timing.sh
if [ ! -x "$BIN" ]; then
    bash .ci/build-release --scratch-path .build-bench --product chainmap | tail -1
fi
WORK=.bench/large-maps
mkdir -p "$WORK"

# The render benchmark's shape (layers of 25, one or two edges a link), and random ones:
# LINKS links, EDGES edges between random pairs (from the lower index to the higher).
python3 .ci/bench/render-gen.py 2000 > "$WORK/layered-2000.yaml"
python3 - "$WORK" <<'PY'
import random, sys
work = sys.argv[1]
for links, edges in [(2000, 3000), (1000, 2000), (100, 1100)]:
    rng = random.Random(5)
    pairs = set()
    while len(pairs) < edges:
        a, b = rng.randrange(links), rng.randrange(links)
        if a < b:
            pairs.add((a, b))
    supplies = {i: [] for i in range(links)}
    for a, b in pairs:
        supplies[a].append(b)
    stages = ["上游", "中游", "下游"]
    out = [f"chain: 随机链{links}", f"id: random-{links}-{edges}", "region: 基准市",
           "stages: [上游, 中游, 下游]", "links:"]
    for i in range(links):
        out += [f"  - id: l{i}", f"    name: 环节{i:04d}", f"    stage: {stages[i * 3 // links]}"]
        if supplies[i]:
            out.append(f"    supplies: [{', '.join(f'l{s}' for s in sorted(supplies[i]))}]")
    out.append("enterprises:")
    for i in range(0, links, 3):
        out += [f"  - name: 企业{i}有限公司", f"    links: [l{i}]"]
    open(f"{work}/random-{links}-{edges}.yaml", "w").write("\n".join(out) + "\n")
PY

echo "== $(nproc) cores; Graphviz $(dot -V 2>&1 | awk '{print $5}')"
for chain in layered-2000 random-2000-3000 random-1000-2000 random-100-1100; do
    file="$WORK/$chain.yaml"
    "$BIN" render "$file" --format dot -o "$WORK/out" --quiet
    dotfile=$(ls -t "$WORK/out"/*.dot | head -1)
    run "$chain: chainmap render --format png" "$BIN" render "$file" --format png -o "$WORK/out" --quiet
    run "$chain: chainmap render (svg)" "$BIN" render "$file" -o "$WORK/out" --quiet
    run "$chain: dot -Tsvg on its DOT" dot -Tsvg "$dotfile" -o "$WORK/out/dot.svg"
done
echo "  largest PNG: $(python3 -c "import struct,sys; d=open(sys.argv[1],'rb').read(24); print('%d x %d px' % struct.unpack('>II', d[16:24]))" "$(ls -S "$WORK/out"/*.png | head -1)")"
