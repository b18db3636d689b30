"""Draw the theme-evaluation papers from ``/work/shared/data`` (deterministic).

Run from the repository root::

    python tests/data/theme_eval/draw.py [--shared /work/shared/data]

and it rewrites ``tests/data/theme_eval/papers.jsonl``. Standard library only, and
on purpose independent of ``paperscope``: the draw must not change when the
package's loaders or title folding change. The rules are documented in
``SOURCE.md`` next to this file.

Stage 1 samples each source at random (sizes in ``STAGE1``). Stage 2 adds papers
from three broad keyword pools (``POOLS``), each broader than the theme it is
meant to feed, taken in a seeded random order: the first ``STAGE2[pool]`` papers
of each pool that are not already drawn. Raising a ``STAGE2`` count only appends
papers, it never changes the earlier ones.
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEED = 20240917
MIN_WORDS = 30

#: Stage 1: papers drawn at random from each source.
STAGE1 = {
    "hf_daily_papers_api": 90,
    "neurips": 80,
    "arxiv_snapshot_head200": 50,
    "litstudy_exports": 40,
    "arxiv_daily_cs": 100,
}

#: Stage 2: broad keyword pools. A paper is in a pool when it comes from one of the
#: pool's sources and its lower-cased title + abstract contains any of the substrings.
#: Each pool is broader than the theme it feeds, so hard negatives come along
#: ("physics-informed" data engines, physical diffusion, hyperparameter tuning,
#: black-box attacks, surrogates, generators of every kind).
DAILY_HF = ("arxiv_daily_cs", "hf_daily_papers_api")
POOLS = {
    "diffusion_pool": (DAILY_HF, ("diffus", "denois", "score-based", "score matching", "generat")),
    "physics_pool": (
        DAILY_HF,
        (
            "physics-informed",
            "physics informed",
            "physics-guided",
            "physics-constrained",
            "pinn",
            "pde",
            "partial differential",
            "differential equation",
            "governing equation",
            "navier",
            "neural operator",
        ),
    ),
    # NeurIPS is in this pool because arxiv_daily_cs + HF hold only six papers that
    # mention Bayesian optimization at all.
    "optimization_pool": (
        DAILY_HF + ("neurips",),
        (
            "bayesian optimi",
            "acquisition function",
            "expected improvement",
            "black-box",
            "hyperparameter optimi",
            "hyperparameter tuning",
            "automl",
            "automated machine learning",
            "surrogate",
        ),
    ),
}
#: How many papers stage 2 takes from each pool (the first N of its seeded order
#: not drawn before). The physics pool is taken whole: the shared data hold too
#: few PINN papers for any smaller draw to reach the target (see SOURCE.md).
STAGE2 = {"diffusion_pool": 20, "physics_pool": 10**6, "optimization_pool": 80}

#: Stage 3 (added later, to enlarge both splits): more papers at random per source,
#: in a seeded order of their own (the first N not drawn before), then a pool for the
#: small themes (PEFT, compression, continual learning, GNNs, uncertainty), again
#: broader than the themes it feeds.
STAGE3 = {
    "hf_daily_papers_api": 90,
    "neurips": 60,
    "arxiv_snapshot_head200": 30,
    "litstudy_exports": 20,
    "arxiv_daily_cs": 110,
}
STAGE3_POOLS = {
    "small_themes_pool": (
        DAILY_HF + ("neurips",),
        (
            "lora",
            "adapter",
            "prompt tuning",
            "fine-tun",
            "prun",
            "quantiz",
            "distill",
            "compress",
            "continual",
            "lifelong",
            "incremental",
            "forgetting",
            "graph neural",
            "message passing",
            "conformal",
            "calibrat",
            "uncertainty",
        ),
    ),
}
STAGE3_POOL_SIZES = {"small_themes_pool": 60}

_WS = re.compile(r"\s+")
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def clean(text: str | None) -> str:
    """Collapse whitespace (arXiv hard wraps included)."""
    return _WS.sub(" ", text or "").strip()


def fold(title: str) -> str:
    """Folded title: case, accents, LaTeX commands and punctuation removed."""
    text = _LATEX_CMD.sub(" ", title)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return _NON_ALNUM.sub(" ", text).strip()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def split_of(title: str) -> str:
    """``test`` or ``dev``, from the parity of the folded title's SHA-1."""
    return "test" if int(digest(fold(title))[:8], 16) % 2 == 0 else "dev"


def record(source, source_file, title, abstract, *, year=None, date=None, arxiv_id=None):
    rec = {
        "source": source,
        "source_file": source_file,
        "title": clean(title),
        "abstract": clean(abstract),
    }
    if year is not None:
        rec["year"] = int(year)
    if date:
        rec["date"] = date
    if arxiv_id:
        rec["arxiv_id"] = arxiv_id
    return rec


# --------------------------------------------------------------------------- readers
def read_hf(folder: Path):
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            data = data["data"]
        for item in data:
            if isinstance(item, str):
                item = ast.literal_eval(item)
            paper = item["paper"]
            date = (paper.get("publishedAt") or "")[:10] or None
            yield record(
                "hf_daily_papers_api",
                f"hf_daily_papers_api/{path.name}",
                item.get("title") or paper["title"],
                paper.get("summary"),
                year=date[:4] if date else None,
                date=date,
                arxiv_id=paper.get("id"),
            )


def read_neurips(folder: Path):
    for path in sorted(folder.glob("nips*.json")):
        year = int(path.stem[4:])
        for item in json.loads(path.read_text(encoding="utf-8")):
            yield record("neurips", f"neurips/{path.name}", item["title"], item.get("abstract"), year=year)


_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), start=1)}


def read_snapshot(folder: Path):
    path = folder / "arxiv-metadata-oai-snapshot.json"
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        # "Mon, 2 Apr 2007 19:18:42 GMT"
        _, day, mon, yr, *_ = item["versions"][0]["created"].replace(",", "").split()
        date = f"{int(yr):04d}-{_MONTHS[mon]:02d}-{int(day):02d}"
        yield record(
            "arxiv_snapshot_head200",
            f"arxiv_snapshot_head200/{path.name}",
            item["title"],
            item.get("abstract"),
            year=yr,
            date=date,
            arxiv_id=item["id"],
        )


def _year(text: str | None):
    m = re.search(r"(19|20)\d\d", text or "")
    return int(m.group(0)) if m else None


def read_exports(folder: Path):
    csv.field_size_limit(10**8)
    files = [
        folder / "tests/resources/scopus.csv",
        folder / "tests/resources/ieee.csv",
        *(folder / f"notebooks/data/ieee_{i}.csv" for i in range(1, 6)),
    ]
    for path in files:
        rel = f"litstudy_exports/{path.relative_to(folder)}"
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                if "Document Title" in row:
                    yield record(
                        "litstudy_exports",
                        rel,
                        row["Document Title"],
                        row.get("Abstract"),
                        year=_year(row.get("Publication Year")),
                    )
                else:
                    yield record(
                        "litstudy_exports", rel, row["Title"], row.get("Abstract"), year=_year(row.get("Year"))
                    )
    for path in (folder / "tests/resources/example.ris", folder / "notebooks/data/exclude.ris"):
        rel = f"litstudy_exports/{path.relative_to(folder)}"
        fields: dict[str, list[str]] = {}
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            m = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
            if not m:
                continue
            tag, value = m.groups()
            if tag == "ER":
                if fields.get("TI"):
                    yield record(
                        "litstudy_exports",
                        rel,
                        fields["TI"][0],
                        " ".join(fields.get("AB", [])),
                        year=_year(" ".join(fields.get("PY", []))),
                    )
                fields = {}
            else:
                fields.setdefault(tag, []).append(value)


def read_daily(folder: Path):
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            item = json.loads(line)
            yield record(
                "arxiv_daily_cs",
                f"arxiv_daily_cs/{path.name}",
                item["title"],
                item.get("summary"),
                year=path.stem[:4],
                date=path.stem,
                arxiv_id=item["id"],
            )


READERS = {
    "hf_daily_papers_api": read_hf,
    "neurips": read_neurips,
    "arxiv_snapshot_head200": read_snapshot,
    "litstudy_exports": read_exports,
    "arxiv_daily_cs": read_daily,
}


def excluded_titles() -> set[str]:
    """Folded titles of papers already hand-labelled in the repo (the tagger may be tuned on them)."""
    keys = set()
    for path in (ROOT / "seeds/seed_themes.csv", ROOT / "tests/data/holdout_themes.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            keys.update(fold(row["title"]) for row in csv.DictReader(fh))
    return keys


def candidates(shared: Path) -> dict[str, list[dict]]:
    """Eligible papers per source: abstract of >= MIN_WORDS words, first copy per folded title.

    Sorted by (folded title, source file) so that the order, and hence the
    seeded sample, does not depend on file order.
    """
    skip = excluded_titles()
    out = {}
    for source, reader in READERS.items():
        rows = [r for r in reader(shared / source) if r["title"] and len(r["abstract"].split()) >= MIN_WORDS]
        rows.sort(key=lambda r: (fold(r["title"]), r["source_file"], r.get("arxiv_id") or ""))
        seen, kept = set(), []
        for r in rows:
            key = fold(r["title"])
            if key in seen or key in skip:
                continue
            seen.add(key)
            kept.append(r)
        out[source] = kept
    return out


def in_pool(rec: dict, words: tuple[str, ...]) -> bool:
    text = f"{rec['title']} {rec['abstract']}".lower()
    return any(w in text for w in words)


def draw(shared: Path) -> list[dict]:
    pools = candidates(shared)
    taken: set[str] = set()
    papers: list[dict] = []

    def take(rec, stage, pool=None):
        key = fold(rec["title"])
        taken.add(key)
        rec = dict(rec, stage=stage, split=split_of(rec["title"]))
        if pool:
            rec["pool"] = pool
        rec["eval_id"] = f"{rec['source'].split('_')[0]}-{digest(key)[:10]}"
        papers.append(rec)

    for source, n in STAGE1.items():
        rng = random.Random(f"{SEED}:{source}")
        for rec in rng.sample(pools[source], n):
            if fold(rec["title"]) not in taken:
                take(rec, "stage1")
    def pool_members(pool, sources, words):
        """The pool's papers in its own seeded order."""
        members = sorted(
            (r for source in sources for r in pools[source] if in_pool(r, words)),
            key=lambda r: (fold(r["title"]), r["source"]),
        )
        random.Random(f"{SEED}:{pool}").shuffle(members)
        return members

    def take_first(members, n, stage, pool=None):
        """Take the first ``n`` of ``members`` not drawn before."""
        added = 0
        for rec in members:
            if added >= n:
                break
            if fold(rec["title"]) in taken:
                continue
            take(rec, stage, pool)
            added += 1

    for pool, (sources, words) in POOLS.items():
        take_first(pool_members(pool, sources, words), STAGE2[pool], "stage2", pool)
    for source, n in STAGE3.items():
        members = list(pools[source])
        random.Random(f"{SEED}:stage3:{source}").shuffle(members)
        take_first(members, n, "stage3")
    for pool, (sources, words) in STAGE3_POOLS.items():
        take_first(pool_members(pool, sources, words), STAGE3_POOL_SIZES[pool], "stage3", pool)
    keys = [
        "eval_id",
        "source",
        "source_file",
        "stage",
        "pool",
        "split",
        "year",
        "date",
        "arxiv_id",
        "title",
        "abstract",
    ]
    return [{k: p[k] for k in keys if k in p} for p in papers]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=Path("/work/shared/data"))
    parser.add_argument("--out", type=Path, default=HERE / "papers.jsonl")
    parser.add_argument("--stats", action="store_true", help="print pool sizes and exit")
    args = parser.parse_args(argv)
    if args.stats:
        pools = candidates(args.shared)
        for source, rows in pools.items():
            print(f"{source}: {len(rows)} eligible")
        for pool, (sources, words) in {**POOLS, **STAGE3_POOLS}.items():
            print(f"{pool}: {sum(in_pool(r, words) for s in sources for r in pools[s])}")
        return 0
    papers = draw(args.shared)
    with args.out.open("w", encoding="utf-8") as fh:
        for p in papers:
            fh.write(json.dumps(p, ensure_ascii=False) + "\n")
    print(f"wrote {len(papers)} papers to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
