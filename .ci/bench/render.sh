#!/usr/bin/env bash
# Benchmark of `chainmap render`: synthetic chains of 50, 200 and 500 links with 10
# local enterprises per covered link (and one of 500 links with 12, about 5000
# enterprises), each rendered to SVG by chainmap in-process, against `dot -Tsvg` run on
# the DOT that chainmap emits for the same chain (`--format dot`).
#
# Two measures, side by side:
#   - CPU seconds (user + system) of each process, medians of RUNS runs (default 21),
#     the three commands interleaved run by run so that a busy spell hits them alike;
#   - instructions counted by callgrind (valgrind), which do not depend on what else the
#     machine is doing: the same binary and input give the same count within 0.1 %
#     (chainmap runs with SWIFT_DETERMINISTIC_HASHING=1 for that).
#     Skipped when valgrind is missing or CALLGRIND=0.
#
# Rendering is what `render` costs beyond loading the chain, i.e. render − check. Targets:
# rendering within 1.1x of dot -Tsvg, and the 500-link chain rendered in 10 s or less.
#
#   .ci/bench/render.sh            # from the package root or anywhere
#   RUNS=9 CALLGRIND=0 .ci/bench/render.sh
#
# Needs swift, python3 and Graphviz's `dot` (only to compare against; chainmap never
# runs it). Work files go to .bench/ (ignored by git).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
work="$root/.bench"
runs=${RUNS:-21}
callgrind=${CALLGRIND:-1}
command -v valgrind >/dev/null || callgrind=0

echo "building chainmap (release)…" >&2
bash "$root/.ci/build-release" --package-path "$root" --scratch-path "$root/.build-bench" --product chainmap >&2
bin="$root/.build-bench/release/chainmap"

mkdir -p "$work/chains" "$work/out"
rm -f "$work/chains"/*.yaml
for spec in "50 10" "200 10" "500 10" "500 12"; do
    set -- $spec
    python3 "$root/.ci/bench/render-gen.py" "$1" "$2" > "$work/chains/bench-$1-$2.yaml"
done
if [ "$callgrind" = 1 ]; then
    # valgrind 3.19 cannot read the DWARF 5 debug information Swift writes; the
    # instructions counted do not depend on it, so count them on a copy without it.
    strip --strip-debug -o "$work/chainmap-nodebug" "$bin"
fi

python3 - "$bin" "$work" "$runs" "$callgrind" <<'PY'
import os, re, statistics, subprocess, sys, time

bin, work, runs, callgrind = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4] == "1"
specs = ["50-10", "200-10", "500-10", "500-12"]

def commands(spec):
    chain = f"{work}/chains/bench-{spec}.yaml"
    return {
        "render": [bin, "render", chain, "-o", f"{work}/out", "--quiet"],
        "check": [bin, "check", "--quiet", chain],
        # Like chainmap, dot writes its SVG to a file.
        "dot": ["dot", "-Tsvg", f"{work}/out/bench-{spec}.dot", "-o", f"{work}/out/bench-{spec}.dot.svg"],
    }

def cpu(command):
    """CPU seconds (user + system, from wait4) and wall seconds of one run."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"failed: {' '.join(command)}")
    return usage.ru_utime + usage.ru_stime, wall

def instructions(command, profile=None):
    """Instructions executed, counted by callgrind; with `profile`, the call-graph file
    is kept there for callgrind_annotate."""
    if command[0] == bin:
        command = [f"{work}/chainmap-nodebug"] + command[1:]
    out = profile or f"{work}/callgrind.out"
    # Swift seeds its hashing afresh in every process, which moves the count of a run
    # by up to 2 %; a fixed seed makes repeat runs agree within 0.1 %.
    environment = dict(os.environ, SWIFT_DETERMINISTIC_HASHING="1")
    result = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + command,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)
    if result.returncode != 0:
        sys.exit(f"failed under valgrind: {' '.join(command)}\n{result.stderr[-2000:]}")
    match = re.search(r"Collected : (\d+)", result.stderr)
    if not match:
        sys.exit(f"no instruction count from valgrind for {' '.join(command)}")
    return int(match.group(1))

def inclusive(profile, functions):
    """Inclusive instruction counts of some functions in a callgrind profile."""
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                          capture_output=True, text=True).stdout
    found = {}
    for line in text.splitlines():
        match = re.match(r"\s*([\d,]+) \(\s*[\d.]+%\)\s+\?\?\?:(\w+) \[", line)
        if match and match.group(2) in functions and match.group(2) not in found:
            found[match.group(2)] = int(match.group(1).replace(",", ""))
    return found

def count(path, prefix):
    with open(path, encoding="utf-8") as f:
        return sum(1 for line in f if line.startswith(prefix))

rows = []
for spec in specs:
    chain = f"{work}/chains/bench-{spec}.yaml"
    links, enterprises = count(chain, "  - id: "), count(chain, "  - name: ")
    subprocess.run([bin, "render", chain, "-o", f"{work}/out", "--format", "dot", "--quiet"], check=True)
    runs_of = {name: [] for name in ["render", "check", "dot"]}
    for _ in range(runs):
        for name, command in commands(spec).items():
            runs_of[name].append(cpu(command)[0])
    median = {name: statistics.median(times) for name, times in runs_of.items()}
    rows.append((spec, links, enterprises, median))

print(f"chainmap render (SVG) vs dot -Tsvg on the DOT chainmap emits for the same chain")
print()
print(f"CPU seconds (user + system), medians of {runs} interleaved runs:")
print()
print("| links | enterprises | chainmap render | loading the chain (check) | rendering (render − check) | dot -Tsvg | rendering / dot | render / dot |")
print("|------:|------------:|----------------:|--------------------------:|---------------------------:|----------:|----------------:|-------------:|")
for spec, links, enterprises, m in rows:
    rendering = m["render"] - m["check"]
    print(f"| {links} | {enterprises} | {m['render']:.3f} | {m['check']:.3f} | {rendering:.3f} | {m['dot']:.3f} "
          f"| {rendering / m['dot']:.2f} | {m['render'] / m['dot']:.2f} |")
print()

counted = []
if callgrind:
    print("Instructions (millions), counted by callgrind; they differ by less than 0.1 % from run to run:")
    print()
    print("| links | enterprises | chainmap render | loading the chain (check) | rendering (render − check) | dot -Tsvg | rendering / dot | render / dot |")
    print("|------:|------------:|----------------:|--------------------------:|---------------------------:|----------:|----------------:|-------------:|")
    for spec, links, enterprises, _ in rows:
        c = commands(spec)
        profile = f"{work}/callgrind.render-{spec}"
        n = {"render": instructions(c["render"], profile), "check": instructions(c["check"]), "dot": instructions(c["dot"])}
        counted.append((spec, n, profile))
        rendering = n["render"] - n["check"]
        print(f"| {links} | {enterprises} | {n['render'] / 1e6:.0f} | {n['check'] / 1e6:.0f} | {rendering / 1e6:.0f} "
              f"| {n['dot'] / 1e6:.0f} | {rendering / n['dot']:.3f} | {n['render'] / n['dot']:.2f} |")
    print()
    spec, n, profile = counted[-1]
    parts = inclusive(profile, {"gvLayout", "gvRenderData", "gvFreeLayout"})
    graphviz = parts.get("gvLayout", 0) + parts.get("gvRenderData", 0)
    rendering = n["render"] - n["check"]
    print(f"Where rendering's instructions go at 500 links and {rows[-1][2]} enterprises: Graphviz's layout and "
          f"SVG output (gvLayout + gvRenderData) {graphviz / 1e6:.0f} M; freeing the layout (gvFreeLayout, which "
          f"dot skips at exit) {parts.get('gvFreeLayout', 0) / 1e6:.0f} M; everything else chainmap does (Graphviz and fontconfig "
          f"start-up, gap analysis, building the graph through cgraph, writing the file) "
          f"{(rendering - graphviz - parts.get('gvFreeLayout', 0)) / 1e6:.0f} M. dot -Tsvg in all: {n['dot'] / 1e6:.0f} M.")
    print()

biggest = f"{work}/chains/bench-500-12.yaml"
enterprises = rows[-1][2]
walls = {}
for f in ["svg", "png", "pdf"]:
    walls[f] = statistics.median(cpu([bin, "render", biggest, "-o", f"{work}/out", "--format", f, "--quiet"])[1] for _ in range(5))
print(f"500 links and {enterprises} enterprises, full render, wall-clock median of 5: "
      + ", ".join(f"{f} {t:.2f} s" for f, t in walls.items())
      + f" (target ≤ 10 s: {'met' if max(walls.values()) <= 10 else 'MISSED'})")
m = rows[-1][3]
ratio = (m["render"] - m["check"]) / m["dot"]
line = f"rendering / dot -Tsvg at 500 links and {enterprises} enterprises: CPU {ratio:.2f}"
met = ratio <= 1.1
if counted:
    n = counted[-1][1]
    counted_ratio = (n["render"] - n["check"]) / n["dot"]
    line += f", instructions {counted_ratio:.3f}"
    met = met and counted_ratio <= 1.1
print(line + f" (target ≤ 1.1: {'met' if met else 'MISSED'})")
PY
