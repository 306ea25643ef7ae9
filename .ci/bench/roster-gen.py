#!/usr/bin/env python3
"""Generates the data of the roster benchmark (.ci/bench/roster.sh).

A 摸排 roster of a prefecture-level city: ROWS registered enterprises (default 300,000),
written as the market-regulation export or an enterprise database filtered to the region
gives it: UTF-8 with a BOM, 11 columns, about 100 MB at 300,000 rows. The scopes are
built from the links of every chain in CHAINS (default chains/):

  about 12 % of the firms carry a keyword of one link in their business scope (经营范围),
  about  4 % only a GB/T 4754 code of a link (and a scope with no keyword),
  about  4 % both, and about 2 % keywords of two links of different chains;
  the rest hold generic phrases and codes that no chain uses, so they fit no link.

Also writes chains.json: for each chain its id, its keywords and link names, and its
codes, which the polars peer (.ci/bench/roster-peers.py) searches for.

Deterministic for a given seed. Needs PyYAML.
Usage: roster-gen.py OUTDIR [ROWS] [CHAINS] [SEED]
"""
import csv
import glob
import json
import os
import random
import re
import sys

import yaml

out_dir = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
chains_dir = sys.argv[3] if len(sys.argv) > 3 else "chains"
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 20261203
rng = random.Random(seed)
os.makedirs(out_dir, exist_ok=True)

# --- The chains --------------------------------------------------------------------------
def name_words(name):
    """The words chainmap takes from a link's name (LeadMatcher.nameWords): the name, and
    its parts between brackets, slashes and enumeration commas, of two characters or more."""
    parts = [p for p in re.split(r"[（）()/、,，;；·\[\]【】 ]", name) if len(p) >= 2]
    return [name] + parts if len(parts) > 1 else [name]


chains = []
for path in sorted(glob.glob(os.path.join(chains_dir, "*.yaml"))):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    if not isinstance(doc, dict) or "links" not in doc:
        continue   # not a chain: the industry system file (system.yaml) lists chains, not links
    links = []
    for link in doc.get("links", []):
        links.append({
            "id": link["id"],
            "name": str(link.get("name", "")),
            "keywords": [str(k) for k in link.get("keywords", []) or []],
            "codes": [str(c) for c in link.get("codes", []) or []],
        })
    chains.append({"id": doc["id"], "links": links})
chain_codes = {c for chain in chains for link in chain["links"] for c in link["codes"]}
terms = {t for chain in chains for link in chain["links"] for t in link["keywords"] + name_words(link["name"])}
with open(os.path.join(out_dir, "chains.json"), "w", encoding="utf-8") as f:
    json.dump([{"id": chain["id"],
                "keywords": sorted({t for link in chain["links"] for t in link["keywords"] + name_words(link["name"])}),
                "codes": sorted({c for link in chain["links"] for c in link["codes"]})}
               for chain in chains], f, ensure_ascii=False, indent=1)


def clean(phrase):
    """True when no chain's keyword or link name occurs in the phrase (either way round
    for Latin case)."""
    low = phrase.lower()
    return not any(t.lower() in low for t in terms)


# --- Generic business, which fits no link ------------------------------------------------
generic = [p for p in [
    "一般项目：技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "日用百货销售", "五金产品批发",
    "建筑材料销售", "办公用品销售", "餐饮服务", "住宿服务", "道路货物运输（不含危险货物）", "普通货物仓储服务",
    "物业管理", "家政服务", "广告设计、代理", "企业管理咨询", "会议及展览服务", "房屋建筑和市政基础设施项目工程总承包",
    "园林绿化工程施工", "服装制造", "针纺织品销售", "食品销售（仅销售预包装食品）", "农副产品销售", "水果种植",
    "蔬菜种植", "畜牧养殖", "水产品零售", "酒类经营", "烟草制品零售", "化妆品零售", "母婴用品销售", "文具用品零售",
    "体育用品及器材零售", "健身休闲活动", "教育咨询服务（不含涉许可审批的教育培训活动）", "人力资源服务",
    "劳务服务（不含劳务派遣）", "软件开发", "信息系统集成服务", "互联网销售（除销售需要许可的商品）", "计算机软硬件及辅助设备零售",
    "家具销售", "家用电器销售", "汽车零配件零售", "二手车经纪", "机动车修理和维护", "洗车服务", "停车场服务",
    "装卸搬运", "国内货物运输代理", "货物进出口", "技术进出口", "旅游业务", "摄影扩印服务", "打字复印",
    "美容服务", "理发服务", "养老服务", "护理机构服务", "中医养生保健服务", "宠物服务", "花卉种植", "茶叶种植",
    "木材加工", "竹制品制造", "纸制品制造", "塑料制品销售", "橡胶制品销售", "金属制品销售", "石材加工",
    "砼结构构件制造", "水泥制品销售", "门窗制造加工", "建筑装饰材料销售", "室内装饰装修", "土石方工程施工",
    "市政设施管理", "城市绿化管理", "环境卫生管理", "专业保洁、清洗、消毒服务", "票务代理服务", "电影放映",
    "组织文化艺术交流活动", "图文设计制作", "平面设计", "市场营销策划", "品牌管理", "财务咨询", "税务服务",
    "法律咨询（不含律师事务所业务）", "信息咨询服务（不含许可类信息咨询服务）", "社会经济咨询服务",
    "粮食收购", "饲料原料销售", "肥料销售", "农业机械销售", "小型农机具零售",
] if clean(p)]
brand_chars = "恒泰华盛鑫源宏达瑞丰嘉诚永昌金福安顺佳和兴隆祥裕通汇信德博远天宇中力新合众益隆泰晟辉昊鼎启明卓越润"
trades = ["商贸", "贸易", "科技", "实业", "建设工程", "物流", "餐饮管理", "农业发展", "文化传媒", "信息技术",
          "建材", "装饰工程", "服装", "食品", "家政服务", "劳务", "物业管理", "酒店管理", "汽车服务", "五金机电"]
trades = [t for t in trades if clean(t)]
cities = ["示例市", "示例市东城区", "示例市西城区", "示例市高新区", "示例县", "示例市经开区"]
suffixes = ["有限公司", "有限责任公司", "股份有限公司", "个人独资企业", "合伙企业（有限合伙）"]

# Codes of the code table that no chain uses and that share no prefix with one.
other_codes = []
for section, lo, hi in [("F", 5111, 5199), ("F", 5211, 5299), ("G", 5411, 5449), ("H", 6110, 6299),
                        ("I", 6410, 6599), ("L", 7211, 7299), ("M", 7410, 7499), ("O", 8010, 8090),
                        ("E", 4710, 4999), ("A", 111, 190), ("C", 1310, 1399), ("C", 1810, 1899)]:
    for n in range(lo, hi):
        code = f"{section}{n:04d}"
        if not any(code.startswith(c) or c.startswith(code) for c in chain_codes):
            other_codes.append(code)
tags_pool = ["", "", "", "", "", "", "高新技术企业", "科技型中小企业", "专精特新", "专精特新小巨人", "上市公司"]

# The 统一社会信用代码 checksum (GB 32100-2015), so that no code is reported as damaged.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code(n):
    body = "91" + "%06d" % (110000 + n % 800000) + "".join(ALPHABET[(n * 7 + i * 13) % 31] for i in range(9))
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(body, WEIGHTS))
    return body + ALPHABET[(31 - total % 31) % 31]


all_links = [(chain["id"], link) for chain in chains for link in chain["links"]]
names = set()


def name():
    while True:
        n = rng.choice(cities) + rng.choice(brand_chars) + rng.choice(brand_chars) + rng.choice(brand_chars) \
            + rng.choice(trades) + rng.choice(suffixes)
        if n not in names and clean(n):
            names.add(n)
            return n


def scope(keywords):
    parts = rng.sample(generic, rng.randint(2, 6))
    for k in keywords:
        parts.insert(rng.randint(0, len(parts)), f"{k}的研发、生产、销售" if rng.random() < 0.6 else k)
    text = "；".join(parts)
    return text + "（依法须经批准的项目，经相关部门批准后方可开展经营活动）" if rng.random() < 0.5 else text


counts = {"keyword": 0, "code": 0, "both": 0, "two": 0, "none": 0}
path = os.path.join(out_dir, "roster.csv")
with open(path, "w", encoding="utf-8-sig", newline="") as f:
    out = csv.writer(f, lineterminator="\r\n")
    out.writerow(["企业名称", "统一社会信用代码", "国标行业", "经营范围", "注册资本", "营业收入",
                  "标签", "所属城市", "从业人数", "登记状态", "成立日期"])
    for i in range(rows):
        draw = rng.random()
        code = rng.choice(other_codes) if rng.random() < 0.8 else ""
        if draw < 0.12:
            kind = "keyword"
            _, link = rng.choice(all_links)
            text = scope([rng.choice(link["keywords"] or [link["name"]])])
        elif draw < 0.16:
            kind = "code"
            _, link = rng.choice([l for l in all_links if l[1]["codes"]])
            code, text = rng.choice(link["codes"]), scope([])
        elif draw < 0.20:
            kind = "both"
            _, link = rng.choice([l for l in all_links if l[1]["codes"]])
            code, text = rng.choice(link["codes"]), scope([rng.choice(link["keywords"] or [link["name"]])])
        elif draw < 0.22:
            kind = "two"
            (c1, l1), (c2, l2) = rng.sample(all_links, 2)
            text = scope([rng.choice(l1["keywords"] or [l1["name"]]), rng.choice(l2["keywords"] or [l2["name"]])])
        else:
            kind = "none"
            text = scope([])
        counts[kind] += 1
        capital = rng.choice([50, 100, 200, 500, 1000, 3000, 5000, 10000, 50000])
        revenue = "" if rng.random() < 0.4 else (
            f"{rng.randint(1, 9999)}万元" if rng.random() < 0.8 else f"{rng.randint(1, 300) / 10:g}亿")
        out.writerow([name(), credit_code(i) if rng.random() < 0.9 else "", code, text, f"{capital}万元", revenue,
                      rng.choice(tags_pool), "示例市", rng.randint(1, 3000) if rng.random() < 0.7 else "",
                      rng.choice(["存续", "在业", "存续", "存续"]),
                      f"{rng.randint(1995, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])
size = os.path.getsize(path) / 1e6
print(f"{rows} rows, {size:.0f} MB, {len(chains)} chains, {len(all_links)} links: "
      + ", ".join(f"{k} {v}" for k, v in counts.items()))
