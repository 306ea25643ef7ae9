#!/usr/bin/env bash
# Benchmark: `chainmap check` on a 1 MB chain file (target < 1 s), beside PyYAML's
# C loader parsing the same file (parsing only: no validation, no located errors).
# Prints medians of RUNS runs. Usage: bash .ci/bench/check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-5}
work=.bench/check; mkdir -p "$work"
bin=${CHAINMAP_BIN:-.build-bench/release/chainmap}
if [ ! -x "$bin" ]; then bash .ci/build-release --product chainmap --scratch-path .build-bench >/dev/null; fi

# 1100 links, 10 enterprises each on covered links: about 1 MB.
python3 .ci/bench/render-gen.py 1100 10 > "$work/check-1mb.yaml"
size=$(wc -c < "$work/check-1mb.yaml")

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_runs() {  # command... → median wall seconds
  for _ in $(seq "$runs"); do
    s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }; e=$(date +%s.%N)
    awk -v s="$s" -v e="$e" 'BEGIN { print e - s }'
  done | median
}
ours=$(time_runs "$bin" check "$work/check-1mb.yaml")
peer=$(time_runs python3 -c 'import sys, yaml; yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.CSafeLoader)' "$work/check-1mb.yaml")
printf '\n%-44s %10s %10s\n' "check (${size} bytes, median of $runs)" "wall s" "target"
printf '%-44s %10.3f %10s\n' "chainmap check" "$ours" "< 1 s"
printf '%-44s %10.3f %10s\n' "PyYAML CSafeLoader (parse only, peer)" "$peer" ""
awk -v t="$ours" 'BEGIN { exit !(t < 1.0) }' && echo "check target met" || echo "check target NOT met"
