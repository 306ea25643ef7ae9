#!/usr/bin/env python3
"""Writes a synthetic chain file for the render benchmark (.ci/bench/render.sh).

The chain is shaped like a real one, only bigger: three stages of layers, each link
supplying one or two links of the next layer (sometimes one further), a few recycling
edges back upstream, every sixth link a gap, and ENTERPRISES local enterprises on every
covered link (one in five a 龙头, the first of each stage's covered links a 链主).
The output depends on the arguments only, so every run benchmarks the same file.

    render-gen.py LINKS [ENTERPRISES_PER_COVERED_LINK] > chain.yaml
"""
import random
import sys


def main():
    links = int(sys.argv[1])
    per_link = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    rng = random.Random(links * 7919 + per_link)
    stages = ["上游", "中游", "下游"]
    width = 25 if links >= 100 else max(4, links // 6)
    layer_count = max(3, -(-links // width))
    layers = [[] for _ in range(layer_count)]
    for index in range(links):
        layers[index * layer_count // links].append(index)
    layer_of = {i: n for n, members in enumerate(layers) for i in members}
    stage_of = {i: min(2, layer_of[i] * 3 // layer_count) for i in range(links)}
    words = ["材料", "部件", "模组", "装备", "系统", "服务", "芯片", "电池", "结构件", "软件"]

    out = [f"chain: 合成基准链{links}", f"id: bench-{links}-{per_link}", "region: 基准市",
           f"stages: [{', '.join(stages)}]", "links:"]
    for i in range(links):
        layer = layer_of[i]
        supplies = []
        if layer + 1 < layer_count:
            nxt = layers[layer + 1]
            supplies += rng.sample(nxt, min(len(nxt), rng.choice([1, 1, 2])))
            if layer + 2 < layer_count and rng.random() < 0.1:
                supplies.append(rng.choice(layers[layer + 2]))
        if layer == layer_count - 1 and rng.random() < 0.05:
            supplies.append(rng.choice(layers[0]))  # recycling back to the raw materials
        out.append(f"  - id: l{i}")
        out.append(f"    name: 环节{i:03d}{words[i % len(words)]}")
        out.append(f"    stage: {stages[stage_of[i]]}")
        if supplies:
            out.append(f"    supplies: [{', '.join(f'l{s}' for s in sorted(set(supplies)))}]")
        out.append(f"    weight: {1 + i % 5}")
    out.append("enterprises:")
    leaders = set()
    for i in range(links):
        if i % 6 == 5:
            continue  # a gap
        for k in range(per_link):
            role = ""
            if k == 0 and stage_of[i] not in leaders:
                leaders.add(stage_of[i])
                role = "链主"
            elif k == 0 and i % 5 == 0:
                role = "龙头"
            out.append(f"  - name: 示例{words[(i + k) % len(words)]}企业{i:03d}-{k:02d}有限公司")
            out.append(f"    links: [l{i}]")
            if role:
                out.append(f"    role: {role}")
            out.append(f"    revenue: {rng.randint(1, 500) / 10}")
            if k % 4 == 0:
                out.append("    tags: [专精特新]")
    print("\n".join(out))


if __name__ == "__main__":
    main()
