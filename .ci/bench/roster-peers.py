#!/usr/bin/env python3
"""The peer of the roster benchmark (.ci/bench/roster.sh): polars placing a roster on
every chain of chains/ by keyword and code, as chainmap locate does (without its
confidences, evidence, Traditional spellings or roles).

For each chain, a roster row fits when its business scope (经营范围) or its name holds a
keyword or link name of the chain (case-insensitive for Latin letters), or its 国标行业
starts with a code of the chain. All chains' expressions go into one query, so polars
reads the file once and evaluates the ten chains in parallel.

Usage: roster-peers.py MODE ROSTER.csv CHAINS.json
  polars        pl.read_csv, then one select with a fit column per chain
  polars-lazy   pl.scan_csv(...).select(...).collect(): projection pushdown

Prints the rows that fit each chain, the rows that fit any, and the seconds taken inside
Python (reading included, interpreter start and imports excluded).
"""
import json
import sys
import time

import polars as pl

mode, path, chains_path = sys.argv[1:4]
with open(chains_path, encoding="utf-8") as f:
    chains = json.load(f)

start = time.perf_counter()
scope, name = pl.col("经营范围").fill_null(""), pl.col("企业名称").fill_null("")
code = pl.col("国标行业").cast(pl.Utf8).fill_null("")
fits = []
for chain in chains:
    expr = scope.str.contains_any(chain["keywords"], ascii_case_insensitive=True) \
        | name.str.contains_any(chain["keywords"], ascii_case_insensitive=True)
    for c in chain["codes"]:
        expr = expr | code.str.starts_with(c)
    fits.append(expr.alias(chain["id"]))
query = [f.sum() for f in fits] + [pl.any_horizontal(fits).sum().alias("any")]
if mode == "polars":
    result = pl.read_csv(path, infer_schema=False).select(query)
elif mode == "polars-lazy":
    result = pl.scan_csv(path, infer_schema=False).select(query).collect()
else:
    sys.exit(f"unknown mode {mode}")
row = result.row(0, named=True)
print(", ".join(f"{k} {v}" for k, v in row.items() if k != "any"))
print(f"{mode}: {row['any']} rows fit a chain, {time.perf_counter() - start:.2f} s")
