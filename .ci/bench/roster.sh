#!/usr/bin/env bash
# Roster benchmark (issue 16): a prefecture-level city's 摸排 roster, 300,000 registered
# enterprises, placed on all ten chains of chains/ by `chainmap locate` in one pass over
# the file, beside polars doing the same keyword and code scan for the ten chains in one
# query (read_csv, and scan_csv with projection pushdown).
#
#   bash .ci/bench/roster.sh            ROWS=300000 RUNS=5
#
# The roster is generated (.ci/bench/roster-gen.py) into .bench/, never committed. Wall
# time (median of RUNS) and peak resident memory (largest) come from /usr/bin/time; the
# tools run in turns. chainmap's table lists the placements only; its --json holds every
# roster enterprise, those that fit no link included (one short entry each), so its
# memory grows with the file there by design.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-300000}
RUNS=${RUNS:-5}
DATA=.bench/roster-$ROWS
BIN=${CHAINMAP_BIN:-.build-bench/release/chainmap}
if [ ! -x .bench/venv/bin/python ]; then python3 -m venv .bench/venv; fi
.bench/venv/bin/python -c 'import polars, yaml' 2>/dev/null || .bench/venv/bin/pip install --quiet polars pyyaml
PY=.bench/venv/bin/python
if [ ! -f "$DATA/roster.csv" ]; then
    echo "== generating $ROWS rows into $DATA"
    "$PY" .ci/bench/roster-gen.py "$DATA" "$ROWS" chains
fi
if [ ! -x "$BIN" ]; then
    bash .ci/build-release --product chainmap --scratch-path .build-bench >/dev/null
fi
source .ci/bench/timing.sh
OUT=$TIMING_DIR

cat "$DATA/roster.csv" > /dev/null   # page cache, for every tool alike
size=$(du -m "$DATA/roster.csv" | cut -f1)
echo
echo "== $ROWS rows, 11 columns, ${size} MB CSV; $(ls chains/*.yaml | wc -l) chains, $(grep -c '^  - id:' chains/*.yaml | awk -F: '{s+=$2} END {print s}') links (median of $RUNS; $(nproc) cores)"
run "chainmap locate chains/ --local roster.csv (table)" "$BIN" locate chains/ --local "$DATA/roster.csv" -q -o "$OUT/table.txt"
run "chainmap locate chains/ --local roster.csv --csv" "$BIN" locate chains/ --local "$DATA/roster.csv" --csv -q -o "$OUT/placed.csv"
run "chainmap locate chains/ --local roster.csv --json" "$BIN" locate chains/ --local "$DATA/roster.csv" --json -q -o "$OUT/roster.json"
run "polars read_csv, one select of 10 chains' fits" "$PY" .ci/bench/roster-peers.py polars "$DATA/roster.csv" "$DATA/chains.json"
run "polars scan_csv (lazy), the same select" "$PY" .ci/bench/roster-peers.py polars-lazy "$DATA/roster.csv" "$DATA/chains.json"
echo
"$PY" .ci/bench/roster-peers.py polars-lazy "$DATA/roster.csv" "$DATA/chains.json" | tail -1
"$PY" - "$OUT/roster.json" <<'PY'
import json, sys
entries = json.load(open(sys.argv[1], encoding="utf-8"))
placed = sum(1 for e in entries if e["links"])
print(f"chainmap: {placed} of {len(entries)} enterprises placed, "
      f"{sum(len(e['links']) for e in entries)} placements with evidence and confidence")
PY
echo "chainmap also scores each placement, keeps its evidence, reads Traditional spellings"
echo "and proposes roles; the peer only counts the rows that fit each chain."
