# Sourced by the benchmark scripts: `run LABEL COMMAND...` runs COMMAND $RUNS times under
# /usr/bin/time and prints the label, the median wall time and the largest peak resident
# memory. A failing run stops the script with the command's standard error.
TIMING_DIR=$(mktemp -d)
trap 'rm -rf "$TIMING_DIR"' EXIT

run() {  # label command... → median seconds, largest MB over RUNS
    local label=$1; shift
    local times=() mem=0
    for _ in $(seq "$RUNS"); do
        /usr/bin/time -o "$TIMING_DIR/time.txt" -f '%e %M' "$@" > "$TIMING_DIR/stdout" 2> "$TIMING_DIR/stderr" \
            || { echo "$label failed:"; cat "$TIMING_DIR/stderr"; exit 1; }
        read -r t m < "$TIMING_DIR/time.txt"
        times+=("$t"); (( m > mem )) && mem=$m
    done
    local median
    median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
    printf '  %-56s %8.2f s %8.0f MB\n' "$label" "$median" "$((mem / 1024))"
}
