#!/usr/bin/env bash
# Start-up, directories and large inputs (issue 20), each beside its reference, the
# commands of a row interleaved run by run (A/B/A/B) so that a busy spell hits them alike:
#
#   leads, 1-row export      `chainmap leads` over the first row of the 1,000,000-row export
#                            (chains/nev-battery.yaml): what a run costs before its rows
#   render, laser chain      `chainmap render chains/laser.yaml` (SVG) against `dot -Tsvg`
#                            on the DOT chainmap emits for it; target ≤ 1.2×
#   render, every chain      the same for each other chain of chains/ (system.yaml is
#                            the industrial system, not a chain); nev-battery's render also
#                            places its roster (OpenCC's dictionaries), attaches its
#                            ledger and targets and draws beside two benchmark regions,
#                            and auto-parts attaches a ledger: work that dot does not do
#   report, ten chains       `chainmap report chains/ --leads` over the 1,000,000 rows
#                            against the same for one chain (nev-battery, which matches
#                            few rows: 6 enterprises recommended); target ≤ 2.5×; and
#                            against the screening benchmark's chain (.ci/bench's
#                            chain.yaml: 33,024 recommended), a chain that matches as
#                            many rows as a real one
#   check, 10 MB chain       `chainmap check` of an 11,000-link chain file (9.6 MB) against
#                            PyYAML's C loader parsing it; targets ≤ 0.2× its time and
#                            memory below 10× the file
#
# Prints the median wall time and the largest peak resident memory of each command, and
# the ratio of each row's pair.
#
#   bash .ci/bench/startup.sh          RUNS=20 for the short runs, RUNS_LONG=5 for the rest
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-20}
RUNS_LONG=${RUNS_LONG:-5}
DATA=.bench/leads-1000000
BIN=${BIN:-.build-bench/release/chainmap}
WORK=.bench/startup
mkdir -p "$WORK/out"

if [ ! -f "$DATA/leads.csv" ]; then
    echo "== generating 1000000 rows into $DATA"
    python3 .ci/bench/leads-gen.py "$DATA" 1000000
fi
if [ ! -x "$BIN" ]; then
    bash .ci/build-release --scratch-path .build-bench --product chainmap | tail -1
fi
head -2 "$DATA/leads.csv" > "$WORK/one-row.csv"
python3 .ci/bench/render-gen.py 11000 10 > "$WORK/chain-10mb.yaml"
# The laser chain's DOT, for its row (out/laser.dot: its id is laser). A fresh clone has
# none: this line was missing, and the script failed there.
"$BIN" render chains/laser.yaml --format dot -o "$WORK/out" --quiet
# The other nine chains (laser has its row above), each drawn to DOT in a directory of
# its own: the DOT is named by the chain's id.
CHAINS=$(ls chains/*.yaml | grep -v -e '/system\.yaml$' -e '/laser\.yaml$' | tr '\n' ' ')
for chain in $CHAINS; do
    "$BIN" render "$chain" --format dot -o "$WORK/out/dot-$(basename "$chain" .yaml)" --quiet
done
cat "$DATA/leads.csv" > /dev/null   # page cache, for every run alike

# shellcheck disable=SC2086
python3 - "$BIN" "$WORK" "$DATA" "$RUNS" "$RUNS_LONG" $CHAINS <<'PY'
import glob, os, statistics, subprocess, sys, time

bin, work, data, runs, runs_long = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
chains = sys.argv[6:]
out = f"{work}/out"
env = dict(os.environ, NO_COLOR="1")

leads = f"{data}/leads.csv"

def warm(command):
    """Reads the lead file through before a run that reads it, outside the timing: this
    project's VMs page out file pages left unread for about a minute (DAMON's reclaim, in
    the host's kernel), and the report rows come minutes after the `cat` above: their
    first runs read part of the file from the disk (0.97 s against 0.84 warm, for the
    ten chains after 75 s idle)."""
    if leads in command:
        with open(leads, "rb") as file:
            while file.read(1 << 24):
                pass

def timed(command):
    """One run's wall seconds, the lead file in the page cache."""
    warm(command)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{result.stderr.decode(errors='replace')}")
    return wall

def peak(command):
    """Peak resident memory of one run, measured alone with /usr/bin/time."""
    warm(command)
    result = subprocess.run(["/usr/bin/time", "-f", "%M", *command], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True)
    return int(result.stderr.strip().splitlines()[-1]) / 1024

rows = [
    ("leads, 1-row export", runs, None,
     [bin, "leads", "--leads", f"{work}/one-row.csv", "chains/nev-battery.yaml", "--json", "-o", f"{out}/one.json"], None),
    ("render, laser chain (21 links)", runs, "dot -Tsvg",
     [bin, "render", "chains/laser.yaml", "-o", out, "--quiet"],
     ["dot", "-Tsvg", f"{out}/laser.dot", "-o", f"{out}/laser.dot.svg"]),
] + [
    (f"render, {os.path.basename(chain)[:-5]}", runs, "dot -Tsvg",
     [bin, "render", chain, "-o", out, "--quiet"],
     ["dot", "-Tsvg", dot, "-o", f"{dot}.svg"])
    for chain in chains
    for dot in glob.glob(f"{out}/dot-{os.path.basename(chain)[:-5]}/*.dot")
] + [
    ("report, ten chains (chains/)", runs_long, "one chain",
     [bin, "report", "chains/", "--leads", f"{data}/leads.csv", "-o", f"{out}/ten", "--quiet"],
     [bin, "report", "chains/nev-battery.yaml", "--leads", f"{data}/leads.csv", "-o", f"{out}/one", "--quiet"]),
    ("report, ten chains (chains/)", runs_long, "the benchmark's chain",
     [bin, "report", "chains/", "--leads", f"{data}/leads.csv", "-o", f"{out}/ten", "--quiet"],
     [bin, "report", f"{data}/chain.yaml", "--leads", f"{data}/leads.csv", "-o", f"{out}/bench", "--quiet"]),
    ("check, 9.6 MB chain (11,000 links)", runs_long, "PyYAML CSafeLoader",
     [bin, "check", "--quiet", f"{work}/chain-10mb.yaml"],
     ["python3", "-c", "import sys, yaml; yaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)",
      f"{work}/chain-10mb.yaml"]),
]

print()
print("| measurement | chainmap median | peak MB | reference | reference median | peak MB | ratio (wall) |")
print("|---|---:|---:|---|---:|---:|---:|")
for label, n, peer_label, ours, peer in rows:
    a, b = [], []
    for _ in range(n):
        a.append(timed(ours))
        if peer: b.append(timed(peer))
    ours_mb = peak(ours)
    ma = statistics.median(a)
    if peer:
        mb = statistics.median(b)
        print(f"| {label} | {ma * 1000:.0f} ms | {ours_mb:.0f} | {peer_label} | {mb * 1000:.0f} ms | {peak(peer):.0f} | {ma / mb:.2f}× |")
    else:
        print(f"| {label} | {ma * 1000:.0f} ms | {ours_mb:.0f} | — | — | — | — |")
size = os.path.getsize(f"{work}/chain-10mb.yaml") / 1e6
print(f"\nMedians of {runs} runs ({runs_long} for the report and check rows), interleaved; peak: one run "
      f"measured alone. The 10 MB chain is {size:.1f} MB: memory below 10× the file is {10 * size:.0f} MB.")
PY
