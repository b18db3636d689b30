"""Real corpora with known categories for the topic benchmarks (read from ../shared/data).

- ``snapshot``: the 200 arXiv snapshot lines; category = primary archive (hep-ph, math, …).
- ``arxiv_cs``: 8 days of arXiv cs listings (3,074 distinct papers); category = primary category.
- ``hf``: the 30 HF Daily Papers day files (494 papers, no categories).
- ``neurips``: NeurIPS 1987–2018 (8,263 papers, no categories).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import paperscope as ps

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"


def snapshot() -> tuple[pd.DataFrame, pd.Series]:
    papers = ps.load(SHARED / "arxiv_snapshot_head200")
    return papers, papers["categories"].map(lambda cs: cs[0].split(".")[0])


def arxiv_cs() -> tuple[pd.DataFrame, pd.Series]:
    rows: dict[str, dict] = {}
    for path in sorted((SHARED / "arxiv_daily_cs").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            rows.setdefault(item["id"], {
                "paper_id": "arxiv:" + item["id"], "title": " ".join(item["title"].split()),
                "abstract": " ".join(item["summary"].split()), "category": item["categories"][0]})
    frame = pd.DataFrame(list(rows.values()))
    return frame.drop(columns="category"), frame["category"]


def hf() -> pd.DataFrame:
    return ps.load(ROOT / "data" / "hf-daily-papers")


def neurips() -> pd.DataFrame:
    return ps.load(SHARED / "neurips")
