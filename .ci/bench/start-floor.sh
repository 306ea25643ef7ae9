#!/usr/bin/env bash
# What a process costs before it does anything (issue 20): the floor under `render`'s
# ratio to `dot -Tsvg`. Programs that print one line, each built here, beside
# `chainmap --version`, `dot -V` and `dot -Tsvg` on the laser chain's DOT, interleaved
# run by run; medians of RUNS runs (30 by default). Among them, programs whose `main`
# returns at once, each linked with one group of the libraries chainmap links: what each
# group costs the loader. Then, on Linux, the interrupts a run of `dot`, the C program
# and `chainmap render` sends between processors; and, where `perf` may trace, what a
# process's resident pages cost its exit: the time from its `exit_group` to its parent's
# `wait4` returning, for a C program that maps chainmap's executable and touches part of
# it (or of anonymous memory), `chainmap render` of nev-battery and `dot -Tsvg` on its DOT
# (docs/performance.md, forty-third pass).
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
# Programs whose `main` returns at once, linked with a group of chainmap's libraries (the
# loader's share), and one that maps chainmap's executable and touches part of it, or
# touches anonymous memory, then exits (the exit's share).
printf 'int main(void) { return 0; }\n' > "$WORK/empty.c"
printf '#include <string>\nint main(int argc, char **argv) { std::string s(argv[0]); return s.size() == 12345; }\n' > "$WORK/empty.cpp"
graphviz_libraries=(-lgvc -lcgraph -lcdt -lfontconfig -lz -lfreetype -lm)
cxx_libraries=(-lstdc++ -lopencc -lmarisa -lsimdjson)
cc -O2 "$WORK/empty.c" -o "$WORK/empty"
cc -O2 "$WORK/empty.c" -o "$WORK/empty-stdcxx" -Wl,--no-as-needed -lstdc++
cc -O2 "$WORK/empty.c" -o "$WORK/empty-cxx" -Wl,--no-as-needed "${cxx_libraries[@]}"
cc -O2 "$WORK/empty.c" -o "$WORK/empty-graphviz" -Wl,--no-as-needed "${graphviz_libraries[@]}"
cc -O2 "$WORK/empty.c" -o "$WORK/empty-both" -Wl,--no-as-needed "${graphviz_libraries[@]}" "${cxx_libraries[@]}"
c++ -O2 "$WORK/empty.cpp" -o "$WORK/empty-cpp-shared" -Wl,--no-as-needed "${graphviz_libraries[@]}"
c++ -O2 "$WORK/empty.cpp" -o "$WORK/empty-cpp-static" -static-libstdc++ -Wl,--no-as-needed "${graphviz_libraries[@]}"
c++ -O2 "$WORK/empty.cpp" -o "$WORK/empty-cpp-opencc" -Wl,--no-as-needed "${graphviz_libraries[@]}" -lopencc -lmarisa
cat > "$WORK/touch.c" <<'C'
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
/* touch FILE MB read|write|anonymous: maps FILE privately (or takes anonymous memory) and
   touches MB of it, a byte a page; the result is read, so that nothing is optimised away. */
int main(int argc, char **argv) {
    if (argc != 4) return 2;
    size_t bytes = (size_t)atoi(argv[2]) << 20;
    if (strcmp(argv[3], "anonymous") == 0) {
        char *memory = malloc(bytes + 1);
        if (!memory) return 2;
        memset(memory, 1, bytes + 1);
        return memory[bytes / 2] == 7;
    }
    int file = open(argv[1], O_RDONLY);
    struct stat status;
    if (file < 0 || fstat(file, &status) != 0) return 2;
    if (bytes > (size_t)status.st_size) bytes = (size_t)status.st_size;
    int write = strcmp(argv[3], "write") == 0;
    volatile char *mapped = mmap(0, (size_t)status.st_size, PROT_READ | (write ? PROT_WRITE : 0), MAP_PRIVATE, file, 0);
    if (mapped == MAP_FAILED) return 2;
    long sum = 0;
    for (size_t at = 0; at < bytes; at += 4096) {
        if (write) mapped[at] = 1; else sum += mapped[at];
    }
    return sum == 7;
}
C
cc -O2 "$WORK/touch.c" -o "$WORK/touch"
"$BIN" render chains/laser.yaml --format dot -o "$WORK" --quiet
"$BIN" render chains/nev-battery.yaml --format dot -o "$WORK" --quiet

python3 - "$RUNS" "$BIN" "$WORK" <<'PY'
import os, re, shutil, statistics, subprocess, sys, tempfile, time

runs, bin, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
env = dict(os.environ, NO_COLOR="1")
commands = [
    ("C, puts", [f"{work}/hello-c"]),
    ("Swift, print", [f"{work}/hello-swift"]),
    ("Swift, import Foundation", [f"{work}/hello-foundation"]),
    ("Swift, print, static runtime", [f"{work}/hello-swift-static"]),
    ("Swift, import Foundation, static runtime", [f"{work}/hello-foundation-static"]),
    ("C, `main` returns at once", [f"{work}/empty"]),
    ("… linking libstdc++", [f"{work}/empty-stdcxx"]),
    ("… linking libstdc++, OpenCC, marisa, simdjson", [f"{work}/empty-cxx"]),
    ("… linking Graphviz's (gvc, cgraph, cdt, fontconfig, freetype, zlib)", [f"{work}/empty-graphviz"]),
    ("… linking both groups", [f"{work}/empty-both"]),
    ("C++, Graphviz's, libstdc++ shared", [f"{work}/empty-cpp-shared"]),
    ("C++, Graphviz's, libstdc++ linked in", [f"{work}/empty-cpp-static"]),
    ("C++, Graphviz's, libstdc++ shared, OpenCC, marisa", [f"{work}/empty-cpp-opencc"]),
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

# The exit: from a child's exit_group to its parent's wait4 returning (when a shell goes
# on), from the kernel's tracepoints. Needs perf and the right to trace (root, or
# perf_event_paranoid at 1 or below); without them, said and skipped.
perf = shutil.which("perf")
exits = [
    ("map chainmap's executable, touch nothing", [f"{work}/touch", bin, "0", "read"]),
    ("… read 15 MB of it", [f"{work}/touch", bin, "15", "read"]),
    ("… read 60 MB of it", [f"{work}/touch", bin, "60", "read"]),
    ("… write 15 MB of it", [f"{work}/touch", bin, "15", "write"]),
    ("touch 40 MB of malloc's memory", [f"{work}/touch", bin, "40", "anonymous"]),
    ("chainmap --version", [bin, "--version"]),
    ("chainmap render, nev-battery", [bin, "render", "chains/nev-battery.yaml", "-o", work, "--quiet"]),
    ("dot -V", ["dot", "-V"]),
    ("dot -Tsvg, nev-battery's DOT", ["dot", "-Tsvg", f"{work}/nev-battery.dot", "-o", f"{work}/nev-battery.dot.svg"]),
]
rounds = 20
latencies, traced = [], None
if not perf:
    traced = "perf is not installed"
else:
    with tempfile.TemporaryDirectory() as scratch:
        runner = os.path.join(scratch, "runner.py")
        with open(runner, "w") as script:
            script.write("import subprocess\n")
            script.write(f"commands = {[command for _, command in exits]!r}\n")
            script.write(f"for _ in range({rounds}):\n    for command in commands:\n")
            script.write("        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n")
        data = os.path.join(scratch, "perf.data")
        recorded = subprocess.run(
            [perf, "record", "-q", "-o", data, "-e", "raw_syscalls:sys_enter", "--filter", "id == 231",
             "-e", "syscalls:sys_exit_wait4", "-e", "sched:sched_process_exec", "--", sys.executable, runner],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if recorded.returncode != 0:
            traced = f"perf could not trace ({recorded.stderr.strip()[:160]})"
        else:
            text = subprocess.run([perf, "script", "-i", data, "-F", "comm,pid,tid,time,event"],
                                  capture_output=True, text=True).stdout
            child, exited = None, None
            for line in text.splitlines():
                match = re.match(r"\s*(.*?)\s+(\d+)/(\d+)\s+([\d.]+):\s+(\S+):", line)
                if not match:
                    continue
                comm, pid, _, at, event = match.groups()
                at = float(at) * 1000
                if "sched_process_exec" in event and not comm.startswith("python"):
                    child, exited = pid, None
                elif "sys_enter" in event and pid == child and exited is None:
                    exited = at
                elif "sys_exit_wait4" in event and comm.startswith("python") and exited is not None:
                    latencies.append(at - exited)
                    child, exited = None, None
            if len(latencies) != rounds * len(exits):
                traced = f"{len(latencies)} exits traced where {rounds * len(exits)} were run"
print()
if traced:
    print(f"The exit's share is not measured: {traced}.")
else:
    print("| program | from `exit_group` to the parent's `wait4`, median ms |")
    print("|---|---:|")
    for index, (name, _) in enumerate(exits):
        print(f"| {name} | {statistics.median(latencies[index::len(exits)]):.2f} |")
    print(f"\nMedians of {rounds} interleaved runs: the address space's teardown grows with its resident pages.")
PY
