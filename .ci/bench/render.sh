#!/usr/bin/env bash
# Benchmark of `chainmap render`: synthetic chains of 50, 200 and 500 links with 10
# local enterprises per covered link (and one of 500 links with 12, about 5000
# enterprises), each rendered to SVG by chainmap in-process, against `dot -Tsvg` run on
# the DOT that chainmap emits for the same chain (`--format dot`). Prints medians of
# RUNS runs (default 5) of CPU time, the ratios, and the wall-clock time of the full
# 500-link render in each format. Targets: rendering (what `render` costs beyond
# loading the chain, i.e. `check`) within 1.1x of dot -Tsvg, and the 500-link chain
# rendered in 10 s or less.
#
#   .ci/bench/render.sh            # from the package root or anywhere
#   RUNS=9 .ci/bench/render.sh
#
# Needs swift, python3 and Graphviz's `dot` (only to compare against; chainmap never
# runs it). Work files go to .bench/ (ignored by git).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/.bench"
runs=${RUNS:-5}

echo "building chainmap (release)…" >&2
swift build -c release --package-path "$root" --scratch-path "$root/.build-bench" --product chainmap >&2
bin="$root/.build-bench/release/chainmap"

mkdir -p "$work/chains" "$work/out"
rm -f "$work/chains"/*.yaml
for spec in "50 10" "200 10" "500 10" "500 12"; do
    set -- $spec
    python3 "$root/.ci/bench/render-gen.py" "$1" "$2" > "$work/chains/bench-$1-$2.yaml"
done

python3 - "$bin" "$work" "$runs" <<'PY'
import os, statistics, subprocess, sys, time

bin, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])

def measure(command):
    """(median CPU seconds, median wall seconds, least CPU seconds) of one command over
    the runs. CPU time (user + system, from wait4) is what the comparison uses: it
    depends less on what else the machine is doing; the least is the run least
    disturbed by it."""
    cpu, wall = [], []
    for _ in range(runs):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        wall.append(time.perf_counter() - start)
        if status != 0:
            sys.exit(f"failed: {' '.join(command)}")
        cpu.append(usage.ru_utime + usage.ru_stime)
    return statistics.median(cpu), statistics.median(wall), min(cpu)

def count(path, prefix):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.startswith(prefix))

rows = []
for spec in ["50-10", "200-10", "500-10", "500-12"]:
    chain = f"{work}/chains/bench-{spec}.yaml"
    links, enterprises = count(chain, "  - id: "), count(chain, "  - name: ")
    subprocess.run([bin, "render", chain, "-o", f"{work}/out", "--format", "dot", "--quiet"], check=True)
    render, _, render_best = measure([bin, "render", chain, "-o", f"{work}/out", "--quiet"])
    load, _, load_best = measure([bin, "check", "--quiet", chain])
    # Like chainmap, dot writes its SVG to a file.
    dot, _, dot_best = measure(["dot", "-Tsvg", f"{work}/out/bench-{spec}.dot", "-o", f"{work}/out/bench-{spec}.dot.svg"])
    rows.append((links, enterprises, render, load, dot, (render_best - load_best) / dot_best))

print(f"chainmap render (SVG) vs dot -Tsvg on the DOT chainmap emits for the same chain:")
print(f"CPU seconds (user + system), medians of {runs} runs")
print()
print("| links | enterprises | chainmap render | loading the chain (check) | rendering (render − load) | dot -Tsvg | rendering / dot | same, best runs | render / dot |")
print("|------:|------------:|----------------:|--------------------------:|--------------------------:|----------:|----------------:|----------------:|-------------:|")
for links, enterprises, render, load, dot, best in rows:
    print(f"| {links} | {enterprises} | {render:.3f} | {load:.3f} | {render - load:.3f} | {dot:.3f} | {(render - load) / dot:.2f} | {best:.2f} | {render / dot:.2f} |")
print()

biggest = f"{work}/chains/bench-500-12.yaml"
enterprises = rows[-1][1]
walls = {f: measure([bin, "render", biggest, "-o", f"{work}/out", "--format", f, "--quiet"])[1] for f in ["svg", "png", "pdf"]}
print(f"500 links and {enterprises} enterprises, full render, wall-clock median: "
      + ", ".join(f"{f} {t:.2f} s" for f, t in walls.items())
      + f" (target ≤ 10 s: {'met' if max(walls.values()) <= 10 else 'MISSED'})")
ratio = (rows[-1][2] - rows[-1][3]) / rows[-1][4]
print(f"rendering / dot -Tsvg at 500 links and {enterprises} enterprises: {ratio:.2f} (target ≤ 1.1: {'met' if ratio <= 1.1 else 'MISSED'})")
PY
