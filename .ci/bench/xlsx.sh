#!/usr/bin/env bash
# Workbook benchmark (issue 15): a 200,000-row .xlsx export as 企查查 writes it (one sheet,
# shared strings, 17 columns) screened against a 100-link chain by `chainmap leads`,
# beside polars `read_excel` with the calamine engine (fastexcel) plus `str.contains_any`
# on the same keywords. Also the sheet's XML through libxml2's SAX push parser (chainmap's
# choice) and Foundation's XMLParser, parsing only.
#
#   bash .ci/bench/xlsx.sh            ROWS=200000 RUNS=3
#
# The workbook is generated (.ci/bench/leads-gen.py, then .ci/bench/xlsx-gen.c with
# libxlsxwriter) into .bench/, never committed. Wall time (median of RUNS) and peak
# resident memory (largest) come from /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROWS=${ROWS:-200000}
RUNS=${RUNS:-3}
DATA=.bench/xlsx-$ROWS
BIN=${CHAINMAP_BIN:-.build-bench/release/chainmap}
PARSERS=${PARSERS_BIN:-.build-bench/release/xlsx-bench-parsers}
mkdir -p "$DATA"
if [ ! -f "$DATA/leads.xlsx" ]; then
    echo "== generating $ROWS rows into $DATA"
    python3 .ci/bench/leads-gen.py "$DATA" "$ROWS" >/dev/null
    gcc -O2 .ci/bench/xlsx-gen.c -o "$DATA/xlsx-gen" $(pkg-config --cflags --libs xlsxwriter)
    "$DATA/xlsx-gen" "$DATA/leads.csv" "$DATA/leads.xlsx"
fi
if [ ! -x "$BIN" ] || [ ! -x "$PARSERS" ]; then
    bash .ci/build-release --product chainmap --scratch-path .build-bench >/dev/null
    bash .ci/build-release --product xlsx-bench-parsers --scratch-path .build-bench >/dev/null
fi
if [ ! -x .bench/venv/bin/python ]; then python3 -m venv .bench/venv; fi
.bench/venv/bin/python -c 'import polars, fastexcel' 2>/dev/null || .bench/venv/bin/pip install --quiet polars fastexcel
PY=.bench/venv/bin/python
cat > "$DATA/peer.py" <<'PEER'
import sys, polars as pl
keywords = [line.strip() for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
frame = pl.read_excel(sys.argv[1], engine="calamine")
hit = frame.filter(pl.col("经营范围").str.contains_any(keywords, ascii_case_insensitive=True))
print(hit.height)
PEER

source .ci/bench/timing.sh

size=$(du -m "$DATA/leads.xlsx" | cut -f1)
echo
echo "== $ROWS rows, 17 columns, ${size} MB .xlsx; 100-link chain (median of $RUNS)"
run "chainmap leads export.xlsx --json" "$BIN" leads "$DATA/chain.yaml" --leads "$DATA/leads.xlsx" --json -q
run "chainmap leads export.xlsx --top 50 --json" "$BIN" leads "$DATA/chain.yaml" --leads "$DATA/leads.xlsx" --top 50 --json -q
run "polars read_excel (calamine) + str.contains_any" "$PY" "$DATA/peer.py" "$DATA/leads.xlsx" "$DATA/keywords.txt"
echo
echo "== the sheet's XML, parsing only"
"$PARSERS" "$DATA/leads.xlsx"
