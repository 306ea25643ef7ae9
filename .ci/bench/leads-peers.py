#!/usr/bin/env python3
"""The peers of the lead benchmark (.ci/bench/leads.sh): one scan of the business-scope
column (经营范围) of an export for a list of keywords, case-insensitive for Latin letters.

Usage: leads-peers.py MODE EXPORT.csv KEYWORDS.txt [CODES.txt]
  polars        pl.read_csv, then str.contains_any (the figure the issue quotes)
  polars-lazy   pl.scan_csv(...).filter(str.contains_any).collect(): projection pushdown
  pandas        pd.read_csv, then str.contains with an escaped alternation

With CODES.txt (the dense workload of .ci/bench/screening.sh), a row also counts when its
国标行业 column holds one of the codes.

Prints the number of rows whose scope holds a keyword and the seconds taken inside
Python (reading included, interpreter start and imports excluded).
"""
import re
import sys
import time

mode, path, keywords_path = sys.argv[1:4]
with open(keywords_path, encoding="utf-8") as f:
    keywords = [line.strip() for line in f if line.strip()]
codes = []
if len(sys.argv) > 4:
    with open(sys.argv[4], encoding="utf-8") as f:
        codes = [line.strip() for line in f if line.strip()]

if mode.startswith("polars"):
    import polars as pl

    start = time.perf_counter()
    hit = pl.col("经营范围").str.contains_any(keywords, ascii_case_insensitive=True)
    if codes:
        hit = hit | pl.col("国标行业").str.contains_any(codes)
    if mode == "polars":
        rows = pl.read_csv(path).filter(hit).height
    else:
        rows = pl.scan_csv(path).filter(hit).select(pl.len()).collect().item()
elif mode == "pandas":
    import pandas as pd

    start = time.perf_counter()
    pattern = "|".join(re.escape(k) for k in sorted(keywords, key=len, reverse=True))
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    rows = int(frame["经营范围"].str.contains(pattern, case=False, regex=True).sum())
else:
    sys.exit(f"unknown mode {mode}")
print(f"{mode}: {rows} rows with a keyword, {time.perf_counter() - start:.2f} s")
