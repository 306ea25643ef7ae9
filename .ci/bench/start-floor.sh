#!/usr/bin/env bash
# What a process costs before it does anything (issue 20): the floor under `render`'s
# ratio to `dot -Tsvg`. Programs that print one line, each built here, beside
# `chainmap --version`, `dot -V` and `dot -Tsvg` on the laser chain's DOT, interleaved
# run by run; medians of RUNS runs (30 by default). Then, on Linux, the interrupts a run
# of `dot`, the C program and `chainmap render` sends between processors.
#
#   bash .ci/bench/start-floor.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

RUNS=${RUNS:-30}
BIN=${BIN:-.build-bench/release/chainmap}
WORK=.bench/start-floor
mkdir -p "$WORK"

if [ ! -x "$BIN" ]; then
    bash .ci/build-release --scratch-path .build-bench --product chainmap | tail -1
fi
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' > "$WORK/hello.c"
printf 'print("hi")\n' > "$WORK/hello.swift"
printf 'import Foundation\nprint(ProcessInfo.processInfo.processIdentifier > 0 ? "hi" : "")\n' > "$WORK/foundation.swift"
cc -O2 "$WORK/hello.c" -o "$WORK/hello-c"
swiftc -O "$WORK/hello.swift" -o "$WORK/hello-swift" 2>/dev/null
swiftc -O "$WORK/foundation.swift" -o "$WORK/hello-foundation" 2>/dev/null
# chainmap's release build links the Swift runtime and Foundation statically (.ci/main).
swiftc -O -static-stdlib "$WORK/hello.swift" -o "$WORK/hello-swift-static" 2>/dev/null
swiftc -O -static-stdlib "$WORK/foundation.swift" -o "$WORK/hello-foundation-static" 2>/dev/null
# Graphviz alone, from C: the laser chain's DOT drawn as chainmap draws it (one context,
# agread, gvLayout, gvRender, then everything freed), linked with Graphviz only; also
# with OpenCC and libstdc++, which chainmap links; and also with libxml2, libxlsxwriter
# and libsimdjson, which it linked until it loaded them on first use (eighteenth pass):
# what linking them costs a render.
cat > "$WORK/graphviz.c" <<'C'
#include <gvc.h>
#include <stdio.h>
int main(int argc, char **argv) {
    GVC_t *gvc = gvContext();
    FILE *in = fopen(argv[1], "r");
    Agraph_t *g = agread(in, NULL);
    fclose(in);
    gvLayout(gvc, g, "dot");
    FILE *out = fopen(argv[2], "w");
    gvRender(gvc, g, "svg", out);
    fclose(out);
    gvFreeLayout(gvc, g);
    agclose(g);
    return gvFreeContext(gvc);
}
C
cc -O2 "$WORK/graphviz.c" -o "$WORK/graphviz-c" $(pkg-config --cflags --libs libgvc)
cc -O2 "$WORK/graphviz.c" -o "$WORK/graphviz-c-opencc" -Wl,--no-as-needed \
    $(pkg-config --libs opencc) -lstdc++ $(pkg-config --cflags --libs libgvc)
cc -O2 "$WORK/graphviz.c" -o "$WORK/graphviz-c-linked" -Wl,--no-as-needed \
    $(pkg-config --libs xlsxwriter libxml-2.0 opencc) -lsimdjson -lstdc++ $(pkg-config --cflags --libs libgvc)
"$BIN" render chains/laser.yaml --format dot -o "$WORK" --quiet

python3 - "$RUNS" "$BIN" "$WORK" <<'PY'
import os, statistics, subprocess, sys, time

runs, bin, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
env = dict(os.environ, NO_COLOR="1")
commands = [
    ("C, puts", [f"{work}/hello-c"]),
    ("Swift, print", [f"{work}/hello-swift"]),
    ("Swift, import Foundation", [f"{work}/hello-foundation"]),
    ("Swift, print, static runtime", [f"{work}/hello-swift-static"]),
    ("Swift, import Foundation, static runtime", [f"{work}/hello-foundation-static"]),
    ("dot -V", ["dot", "-V"]),
    ("chainmap --version", [bin, "--version"]),
    ("dot -Tsvg, laser chain", ["dot", "-Tsvg", f"{work}/laser.dot", "-o", f"{work}/laser.dot.svg"]),
    ("C, Graphviz only, laser chain", [f"{work}/graphviz-c", f"{work}/laser.dot", f"{work}/laser.c.svg"]),
    ("the same C, also linking OpenCC (as chainmap does)", [f"{work}/graphviz-c-opencc", f"{work}/laser.dot", f"{work}/laser.c.svg"]),
    ("the same C, also linking libxml2, libxlsxwriter, simdjson (as chainmap did)", [f"{work}/graphviz-c-linked", f"{work}/laser.dot", f"{work}/laser.c.svg"]),
    ("chainmap render, laser chain", [bin, "render", "chains/laser.yaml", "-o", work, "--quiet"]),
]
times = {name: [] for name, _ in commands}
for _ in range(runs):
    for name, command in commands:
        start = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times[name].append(time.perf_counter() - start)
print()
print("| program | median ms | min ms |")
print("|---|---:|---:|")
for name, _ in commands:
    print(f"| {name} | {statistics.median(times[name]) * 1000:.1f} | {min(times[name]) * 1000:.1f} |")
print(f"\nMedians of {runs} interleaved runs, whole processes. `render` / `dot -Tsvg`: "
      f"{statistics.median(times['chainmap render, laser chain']) / statistics.median(times['dot -Tsvg, laser chain']):.2f}×.")

# The interrupts a run sends between processors (Linux): a TLB shootdown is a page-table
# change flushed from the other processor while another thread of the process runs there,
# and the writer waits for it (docs/performance.md, nineteenth pass). Counted from
# /proc/interrupts over `runs` runs of each program, one program at a time.
def interrupts():
    counts = {}
    with open("/proc/interrupts") as table:
        for line in table:
            parts = line.split()
            if parts and parts[0] in ("TLB:", "CAL:", "RES:"):
                counts[parts[0][:-1]] = sum(int(p) for p in parts[1:] if p.isdigit())
    return counts

if os.path.exists("/proc/interrupts"):
    print()
    print("| program | TLB shootdowns a run | function-call interrupts a run | rescheduling interrupts a run |")
    print("|---|---:|---:|---:|")
    for name, command in commands:
        if name not in ("dot -Tsvg, laser chain", "C, Graphviz only, laser chain", "chainmap render, laser chain"):
            continue
        before = interrupts()
        for _ in range(runs):
            subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        after = interrupts()
        each = {key: (after[key] - before[key]) / runs for key in after}
        print(f"| {name} | {each.get('TLB', 0):.0f} | {each.get('CAL', 0):.0f} | {each.get('RES', 0):.0f} |")
    print("\nWhole-machine counts: other work on the machine adds to them.")
PY
