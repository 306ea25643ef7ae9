#!/usr/bin/env bash
# Lead-matching benchmark: `chainmap leads` against polars and pandas (and chainmap's own
# matcher fed by the yaslab/CSV.swift reader) over a generated enterprise export.
#
#   .ci/bench/leads.sh            1,000,000 rows (about 420 MB), best of 3 runs
#   ROWS=200000 RUNS=1 .ci/bench/leads.sh
#
# Generates the data into .bench/ (gitignored) with .ci/bench/leads-gen.py, builds
# chainmap in release mode (--scratch-path .build-bench), installs polars and pandas
# into .bench/venv with pip, warms the page cache, then runs every tool under
# /usr/bin/time and prints wall time (median and best of RUNS) and peak resident memory (largest).
# chainmap and polars run in turns, so that they share whatever else the machine does.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROWS=${ROWS:-1000000}
RUNS=${RUNS:-3}
SLOW=${SLOW:-1}          # 0 skips pandas and CSV.swift (each takes tens of seconds)
DATA=.bench/leads-$ROWS
BIN=.build-bench/release

if [ ! -f "$DATA/leads.csv" ]; then
    echo "== generating $ROWS rows into $DATA"
    python3 .ci/bench/leads-gen.py "$DATA" "$ROWS"
fi

echo "== building chainmap (release)"
build() {
    # Retried: a file edited while the build runs fails it ("modified during the build").
    for attempt in 1 2 3; do
        if bash .ci/build-release --scratch-path .build-bench --product "$1" > "$DATA/build.log" 2>&1; then
            tail -1 "$DATA/build.log"
            return
        fi
        sleep 20
    done
    cat "$DATA/build.log"
    exit 1
}
build chainmap
build leads-bench-csvswift

if [ ! -x .bench/venv/bin/python ]; then
    echo "== installing polars and pandas into .bench/venv"
    python3 -m venv .bench/venv
    .bench/venv/bin/pip install --quiet polars pandas
fi
PY=.bench/venv/bin/python
echo "polars $($PY -c 'import polars; print(polars.__version__)'), pandas $($PY -c 'import pandas; print(pandas.__version__)')"

cat "$DATA/leads.csv" > /dev/null   # page cache, for every tool alike
SIZE=$(du -m "$DATA/leads.csv" | cut -f1)
echo "== $ROWS rows, $SIZE MB, $(grep -c '^  - id:' "$DATA/chain.yaml") links, $(wc -l < "$DATA/keywords.txt") keywords; $(nproc) cores; load: $(cut -d' ' -f1-3 /proc/loadavg)"

RESULTS=$(mktemp)
OUT=$(mktemp -d)
trap 'rm -rf "$RESULTS" "$OUT"' EXIT

# run NAME COMMAND...: one timed run; appends "NAME wall_s peak_kb last_line" to RESULTS.
run() {
    local name=$1; shift
    local log="$OUT/log"
    /usr/bin/time -f "%e %M" -o "$OUT/time" "$@" > "$log" 2> "$OUT/err" || { echo "$name failed:"; cat "$OUT/err"; exit 1; }
    local line
    line=$( (grep -h -E '合计|rows with a keyword|csv.swift:' "$log" "$OUT/err" || true) | tail -1)
    echo "$name $(cat "$OUT/time") $line" >> "$RESULTS"
}

CHAINMAP=(env NO_COLOR=1 "$BIN/chainmap" leads "$DATA/chain.yaml" --leads "$DATA/leads.csv")
for i in $(seq "$RUNS"); do
    echo "== run $i of $RUNS"
    run "chainmap --json (all)" "${CHAINMAP[@]}" --json -o "$OUT/leads.json"
    run "polars read_csv+contains_any" "$PY" .ci/bench/leads-peers.py polars "$DATA/leads.csv" "$DATA/keywords.txt"
    run "chainmap --top 300 --json" "${CHAINMAP[@]}" --json --top 300 -o "$OUT/top.json"
    run "polars scan_csv (lazy)" "$PY" .ci/bench/leads-peers.py polars-lazy "$DATA/leads.csv" "$DATA/keywords.txt"
    run "chainmap --csv (all)" "${CHAINMAP[@]}" --csv -o "$OUT/leads.csv"
done
# The same export in GB18030 (what Excel saves on Chinese Windows); polars cannot read it.
if [ ! -f "$DATA/leads-gbk.csv" ]; then
    tail -c +4 "$DATA/leads.csv" | iconv -f UTF-8 -t GB18030 > "$DATA/leads-gbk.csv"
fi
cat "$DATA/leads-gbk.csv" > /dev/null
for i in $(seq "$RUNS"); do
    run "chainmap --json (all), GBK file" env NO_COLOR=1 "$BIN/chainmap" leads "$DATA/chain.yaml" --leads "$DATA/leads-gbk.csv" --json -o "$OUT/gbk.json"
done
if [ "$SLOW" = 1 ]; then
    echo "== pandas and CSV.swift (one run each)"
    run "pandas read_csv+str.contains" "$PY" .ci/bench/leads-peers.py pandas "$DATA/leads.csv" "$DATA/keywords.txt"
    run "CSV.swift reader + chainmap matcher" "$BIN/leads-bench-csvswift" "$DATA/chain.yaml" "$DATA/leads.csv"
fi

echo
printf '%-38s %10s %10s %12s   %s\n' "tool" "median s" "best s" "peak MB" "result (last run)"
printf '%-38s %10s %10s %12s   %s\n' "----" "--------" "------" "-------" "-----------------"
python3 - "$RESULTS" <<'PY'
import statistics, sys
walls, peak, note, order = {}, {}, {}, []
for line in open(sys.argv[1], encoding="utf-8"):
    parts = line.rstrip("\n").split(" ")
    # the name has spaces: the two numbers are the first two fields that parse
    for i in range(len(parts) - 1):
        try:
            wall, kb = float(parts[i]), int(parts[i + 1])
            break
        except ValueError:
            continue
    name, rest = " ".join(parts[:i]), " ".join(parts[i + 2:])
    if name not in walls:
        order.append(name)
    walls.setdefault(name, []).append(wall)
    peak[name] = max(peak.get(name, 0), kb)
    note[name] = rest
for name in order:
    print(f"{name:<38} {statistics.median(walls[name]):>10.2f} {min(walls[name]):>10.2f} {peak[name] / 1024:>12.0f}   {note[name]}")
PY
echo
echo "wall: median and best of $RUNS runs for chainmap and polars (one run for pandas and CSV.swift),"
echo "whole process (start-up and imports included); peak: the largest resident set of any run."
echo "chainmap matches scope and name, codes and Traditional spellings, and scores and writes"
echo "its list; the peers only count scope rows that contain a keyword."
