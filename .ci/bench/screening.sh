#!/usr/bin/env bash
# Screening benchmark (issue 20): `chainmap leads` against polars on three workloads over
# the same 1,000,000-row export (.ci/bench/leads-gen.py), runs interleaved A/B/A/B:
#
#   base    the benchmark chain (100 links, 499 keywords), every recommendation (--json)
#   dense   the same chain with one more GB/T code that about 5 % of the rows carry, so
#           that one row in ten matches; --top 500
#   sparse  chains/nev-battery.yaml's keywords; --top 300
#
# The headline peer is polars lazy (`scan_csv` + `str.contains_any`, plus the code column
# for the dense workload), which only counts the matching rows; polars eager (`read_csv`)
# is the second row. Prints, per workload, the median wall time and the largest peak
# resident memory of each tool, and chainmap's ratio to each peer.
#
#   bash .ci/bench/screening.sh           RUNS=5, ROWS=1000000
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-5}
DATA=.bench/leads-$ROWS
BIN=${BIN:-.build-bench/release}
PY=.bench/venv/bin/python

if [ ! -f "$DATA/leads.csv" ]; then
    echo "== generating $ROWS rows into $DATA"
    python3 .ci/bench/leads-gen.py "$DATA" "$ROWS"
fi
python3 .ci/bench/screening-data.py "$DATA"
if [ ! -x "$BIN/chainmap" ]; then
    bash .ci/build-release --scratch-path .build-bench --product chainmap | tail -1
fi
if [ ! -x "$PY" ]; then
    python3 -m venv .bench/venv
    .bench/venv/bin/pip install --quiet polars
fi
cat "$DATA/leads.csv" > /dev/null   # page cache, for every tool alike
echo "== $ROWS rows, $(du -m "$DATA/leads.csv" | cut -f1) MB; $(nproc) cores; polars $($PY -c 'import polars; print(polars.__version__)'); load: $(cut -d' ' -f1-3 /proc/loadavg)"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
RESULTS=$OUT/results

# run WORKLOAD TOOL COMMAND...: one timed run, appended to RESULTS as "workload|tool|s|kb|note".
run() {
    local workload=$1 tool=$2; shift 2
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$OUT/log" 2> "$OUT/err" || { echo "$workload $tool failed:"; cat "$OUT/err"; exit 1; }
    local note
    note=$( (grep -h -E '合计|rows with a keyword' "$OUT/log" "$OUT/err" || true) | tail -1 | tr '|' '/')
    read -r s kb < "$OUT/time"
    echo "$workload|$tool|$s|$kb|$note" >> "$RESULTS"
}

LEADS=(env NO_COLOR=1 "$BIN/chainmap" leads --leads "$DATA/leads.csv" --json)
for i in $(seq "$RUNS"); do
    echo "== round $i of $RUNS"
    # Read again before each round, untimed: this project's VMs page out file pages left
    # unread for about a minute (DAMON's reclaim, in the host's kernel), as the first
    # round's could be after polars' install or chainmap's build.
    cat "$DATA/leads.csv" > /dev/null
    run base chainmap "${LEADS[@]}" "$DATA/chain.yaml" -o "$OUT/base.json"
    run base "polars lazy" "$PY" .ci/bench/leads-peers.py polars-lazy "$DATA/leads.csv" "$DATA/keywords.txt"
    run dense chainmap "${LEADS[@]}" "$DATA/chain-dense.yaml" --top 500 -o "$OUT/dense.json"
    run dense "polars lazy" "$PY" .ci/bench/leads-peers.py polars-lazy "$DATA/leads.csv" "$DATA/keywords.txt" "$DATA/codes-dense.txt"
    run sparse chainmap "${LEADS[@]}" chains/nev-battery.yaml --top 300 -o "$OUT/sparse.json"
    run sparse "polars lazy" "$PY" .ci/bench/leads-peers.py polars-lazy "$DATA/leads.csv" "$DATA/keywords-sparse.txt"
    run base "polars eager" "$PY" .ci/bench/leads-peers.py polars "$DATA/leads.csv" "$DATA/keywords.txt"
    run dense "polars eager" "$PY" .ci/bench/leads-peers.py polars "$DATA/leads.csv" "$DATA/keywords.txt" "$DATA/codes-dense.txt"
    run sparse "polars eager" "$PY" .ci/bench/leads-peers.py polars "$DATA/leads.csv" "$DATA/keywords-sparse.txt"
done

python3 - "$RESULTS" "$RUNS" <<'PY'
import statistics, sys
rows = [line.rstrip("\n").split("|") for line in open(sys.argv[1], encoding="utf-8")]
runs = sys.argv[2]
walls, peaks, notes = {}, {}, {}
for workload, tool, s, kb, note in rows:
    key = (workload, tool)
    walls.setdefault(key, []).append(float(s))
    peaks[key] = max(peaks.get(key, 0), int(kb))
    notes[key] = note
print()
print(f"| workload | tool | median s | peak MB | chainmap / tool (wall) | chainmap / tool (memory) | result |")
print(f"|---|---|---:|---:|---:|---:|---|")
for workload in ["base", "dense", "sparse"]:
    ours = (workload, "chainmap")
    for tool in ["chainmap", "polars lazy", "polars eager"]:
        key = (workload, tool)
        wall, peak = statistics.median(walls[key]), peaks[key] / 1024
        if tool == "chainmap":
            ratio = mem = ""
        else:
            ratio = f"{statistics.median(walls[ours]) / wall:.2f}×"
            mem = f"{peaks[ours] / peaks[key]:.2f}×"
        print(f"| {workload} | {tool} | {wall:.2f} | {peak:.0f} | {ratio} | {mem} | {notes[key]} |")
print()
print(f"Medians of {runs} interleaved runs (whole process, start-up and imports included); peak: the")
print("largest resident set of any run. polars only counts the matching rows; chainmap reads, matches")
print("names, codes and Traditional spellings too, scores, merges, ranks and writes its JSON list.")
PY
