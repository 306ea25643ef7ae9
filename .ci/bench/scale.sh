#!/usr/bin/env bash
# Bounds of issue 14, measured beside a peer in the same script:
#
#  1. `chainmap gaps` on long and dense chains (a path of 10,000 / 20,000 / 100,000
#     links, a 100,000-link cycle, 2,000 links with 12,000 supplies, 5,000 / 10,000 /
#     20,000 links each supplying five random others), beside networkx
#     computing only what one of chainmap's facts needs (each link's downstream reach,
#     one search per link: the quadratic way chainmap used to work). networkx is skipped
#     where it would take over SKIP_AFTER seconds.
#  2. `chainmap leads` on exports where every row matches (150,000 / 300,000 / 600,000
#     rows): peak memory with a capped output (--top 50) stays flat; uncapped (all rows
#     ranked) it grows. Beside it, polars streaming the same filter and top-50 by a
#     score column.
#
#   bash .ci/bench/scale.sh
#
# Wall seconds and peak resident memory from /usr/bin/time. Data in .bench/scale
# (gitignored); chainmap built in release mode into .build-bench; networkx and polars in
# .bench/venv.
set -euo pipefail
cd "$(dirname "$0")/../.."
work=.bench/scale; mkdir -p "$work"
bin=${CHAINMAP_BIN:-.build-bench/release/chainmap}
SKIP_AFTER=${SKIP_AFTER:-120}
if [ ! -x "$bin" ]; then bash .ci/build-release --product chainmap --scratch-path .build-bench >/dev/null; fi
if [ ! -x .bench/venv/bin/python ]; then python3 -m venv .bench/venv; fi
.bench/venv/bin/python -c 'import networkx, polars' 2>/dev/null || .bench/venv/bin/pip install --quiet networkx polars
PY=.bench/venv/bin/python

measure() {  # label command... → "label  seconds  MB"
    local label=$1; shift
    if ! /usr/bin/time -o "$work/time.txt" -f '%e %M' "$@" >/dev/null 2>&1; then
        printf '  %-58s  did not finish (over %s s, or failed)\n' "$label" "$SKIP_AFTER"
        return 0
    fi
    awk -v l="$label" '{ printf "  %-58s %8.2f s %8.0f MB\n", l, $1, $2 / 1024 }' "$work/time.txt"
}

# ---- 1. gaps on long and dense chains --------------------------------------------
python3 - "$work" <<'EOF'
import random, sys
work = sys.argv[1]
def chain(name, n, edges, enterprises):
    with open(f"{work}/{name}.yaml", "w") as f:
        f.write(f"chain: {name}\nlinks:\n")
        for i in range(n):
            f.write(f"  - id: l{i}\n    name: 环节{i}\n    stage: {['上游', '中游', '下游'][i * 3 // n]}\n")
            if edges[i]:
                f.write("    supplies: [" + ", ".join(f"l{t}" for t in sorted(edges[i])) + "]\n")
        f.write("enterprises:\n")
        for k, link in enumerate(enterprises):
            f.write(f"  - name: 企业{k}\n    links: [l{link}]\n")
for n in (10_000, 20_000, 100_000):
    chain(f"path-{n}", n, [{i + 1} if i + 1 < n else set() for i in range(n)], [n // 2])
chain("cycle-100000", 100_000, [{(i + 1) % 100_000} for i in range(100_000)], [50_000])
r = random.Random(7)
dense = [set() for _ in range(2000)]
added = 0
while added < 12_000:
    a, b = r.randrange(2000), r.randrange(2000)
    if a != b and b not in dense[a]:
        dense[a].add(b); added += 1
chain("dense-2000", 2000, dense, [r.randrange(2000) for _ in range(300)])
# Small diameter: each link supplies five random others, so that every link reaches most
# of the chain within a few steps (a search per link visits all of it).
for n in (5_000, 10_000, 20_000):
    r = random.Random(n)
    chain(f"random-{n}", n, [set(r.sample(range(n), 5)) - {i} for i in range(n)], [r.randrange(n) for _ in range(n // 10)])
EOF

cat > "$work/reach.py" <<'EOF'
# The peer: each link's downstream reach, one networkx search per link.
import sys, yaml, networkx as nx
doc = yaml.load(open(sys.argv[1], encoding="utf-8"), Loader=yaml.CSafeLoader)
g = nx.DiGraph()
for link in doc["links"]:
    g.add_node(link["id"])
    for target in link.get("supplies", []) or []:
        g.add_edge(link["id"], target)
reach = {node: len(nx.descendants(g, node)) for node in g}
print(sum(reach.values()))
EOF
.bench/venv/bin/python -c 'import yaml' 2>/dev/null || .bench/venv/bin/pip install --quiet pyyaml

echo
echo "== gaps: wall time and peak memory"
for name in path-10000 path-20000 path-100000 cycle-100000 dense-2000 random-5000 random-10000 random-20000; do
    measure "chainmap gaps --json  $name" "$bin" gaps "$work/$name.yaml" --json
    case $name in
        path-100000|cycle-100000|random-20000) echo "  $(printf '%-58s' "networkx reach per link  $name")  skipped (quadratic: over ${SKIP_AFTER} s)" ;;
        *) measure "networkx reach per link  $name" timeout "$SKIP_AFTER" "$PY" "$work/reach.py" "$work/$name.yaml" ;;
    esac
done

# ---- 2. leads where every row matches -----------------------------------------------
python3 - "$work" <<'EOF'
import random, sys
work = sys.argv[1]
words = ["正极材料", "电解液", "隔膜", "负极材料", "锂电设备", "电池回收", "储能系统", "六氟磷酸锂"]
for rows in (150_000, 300_000, 600_000):
    r = random.Random(rows)
    with open(f"{work}/match-{rows}.csv", "w") as f:
        f.write("企业名称,经营范围,所属省份,注册资本\n")
        for i in range(rows):
            f.write(f"测试企业{i}有限公司,{r.choice(words)}研发与生产,{r.choice(['广东', '江苏', '浙江', '四川'])},{r.randint(100, 100000)}万元\n")
EOF
cat > "$work/topk.py" <<'EOF'
# The peer: the rows whose scope names a link's keyword, top 50 by capital, streamed.
import sys, polars as pl
words = "正极材料|电解液|隔膜|负极材料|锂电设备|电池回收|储能系统|六氟磷酸锂"
lf = pl.scan_csv(sys.argv[1])
lf = lf.filter(pl.col("经营范围").str.contains(words))
lf = lf.with_columns(pl.col("注册资本").str.replace("万元", "").cast(pl.Int64).alias("capital"))
print(lf.top_k(50, by="capital").collect(engine="streaming").height)
EOF

echo
echo "== leads, every row matching: wall time and peak memory"
for rows in 150000 300000 600000; do
    measure "chainmap leads --top 50 --json  ($rows rows)" "$bin" leads chains/nev-battery.yaml --leads "$work/match-$rows.csv" --top 50 --json -q
    measure "chainmap leads --json, all ranked  ($rows rows)" "$bin" leads chains/nev-battery.yaml --leads "$work/match-$rows.csv" --json -q
    measure "polars streaming filter + top 50  ($rows rows)" "$PY" "$work/topk.py" "$work/match-$rows.csv"
done
