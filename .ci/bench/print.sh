#!/usr/bin/env bash
# Benchmark of what issues 17–19 added, each beside a peer where one exists:
#   - render --page A3 --landscape (two layouts in-process: one to measure the drawing,
#     one scaled to the page; the page box set by chainmap) against `dot -Tpdf:cairo`
#     on the DOT chainmap emits for the same chain (one layout, no page);
#   - render --targets-map (a pinned drawing, no layout) against dot -Kneato -n2 -Tsvg
#     on the same graph;
#   - compare (three regions, the side-by-side map) and diff --since (git archive of the
#     chains directory), with no peer: their cost beside `chainmap check` of the same files;
#   - report chains/ with the ledger, the 对标 and the target maps, with and without --docx.
# Medians of RUNS runs (default 5), wall time and peak memory.
#   bash .ci/bench/print.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
RUNS=${RUNS:-5}
source .ci/bench/timing.sh
echo "building chainmap (release)…" >&2
bash .ci/build-release --scratch-path .build-bench --product chainmap >&2
bin=.build-bench/release/chainmap
work=$(mktemp -d)
trap 'rm -rf "$work" "$TIMING_DIR"' EXIT
"$bin" render chains/nev-battery.yaml --format dot -o "$work" -q
"$bin" render chains/nev-battery.yaml --targets-map --format dot -o "$work" -q 2>/dev/null || true
echo "### one chain (新能源汽车动力电池, 21 links, 178 local firms)"
run "chainmap render --page A3 --landscape (PDF, 2 layouts)" "$bin" render chains/nev-battery.yaml --page A3 --landscape -o "$work" -q
run "dot -Tpdf:cairo on the same DOT (1 layout)" dot -Tpdf:cairo "$work/nev-battery.dot" -o "$work/peer.pdf"
run "chainmap render (PDF, unbounded page)" "$bin" render chains/nev-battery.yaml --format pdf -o "$work" -q
run "chainmap render --targets-map (SVG)" "$bin" render chains/nev-battery.yaml --targets-map -o "$work" -q
run "chainmap check (loading alone)" "$bin" check -q chains/nev-battery.yaml
run "chainmap compare, 3 regions, with the map (SVG)" "$bin" compare chains/nev-battery.yaml chains/compare/hefei-battery.yaml chains/compare/yibin-battery.yaml --map "$work/c.svg" -o "$work/c.txt"
run "chainmap diff --since HEAD~20" "$bin" diff chains/nev-battery.yaml --since HEAD~20 -o "$work/d.txt"
echo "### all ten chains"
run "chainmap render chains/ --page A3 --landscape" "$bin" render chains/ --page A3 --landscape -o "$work" -q
run "chainmap report chains/ (ledger, 对标, target maps)" "$bin" report chains/ -o "$work/r" -q --as-of 2026-09-30
run "chainmap report chains/ --docx" "$bin" report chains/ -o "$work/rd" -q --docx --as-of 2026-09-30
