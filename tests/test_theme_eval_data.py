"""Consistency of the hand-labelled theme evaluation set in tests/data/theme_eval."""

from __future__ import annotations

import csv
import hashlib
import json
import tomllib
from collections import Counter
from pathlib import Path

import pytest

from paperscope.text import fold_title

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT / "tests" / "data" / "theme_eval"
TAXONOMY = ROOT / "src" / "paperscope" / "taxonomies" / "default.toml"
EXTRA_THEMES = {"diffusion_language_models": "diffusion_models"}
RANK = {"0": 0, "?": 1, "1": 2}
MIN_TEST_POSITIVES = 6


@pytest.fixture(scope="module")
def papers() -> list[dict]:
    with (EVAL / "papers.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


@pytest.fixture(scope="module")
def labels() -> list[dict]:
    with (EVAL / "labels.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def parents() -> dict[str, str | None]:
    themes = tomllib.loads(TAXONOMY.read_text(encoding="utf-8"))["themes"]
    return {theme: spec.get("parent") for theme, spec in themes.items()} | EXTRA_THEMES


@pytest.fixture(scope="module")
def test_split(papers, labels) -> list[dict]:
    split = {p["title"]: p["split"] for p in papers}
    return [row for row in labels if split[row["title"]] == "test"]


def test_papers_are_real_distinct_and_complete(papers):
    assert len(papers) == 880
    assert len({p["eval_id"] for p in papers}) == len(papers)
    assert len({fold_title(p["title"]) for p in papers}) == len(papers)
    for p in papers:
        assert len(p["abstract"].split()) >= 30, p["eval_id"]
        assert p["split"] in {"test", "dev"}
        assert p["stage"] in {"stage1", "stage2", "stage3"}
        if p["stage"] == "stage1":
            assert "pool" not in p, p["eval_id"]
        if p["stage"] == "stage2":
            assert "pool" in p, p["eval_id"]


def test_split_and_source_counts(papers):
    assert Counter(p["split"] for p in papers) == {"test": 476, "dev": 404}
    stage1 = Counter(p["source"] for p in papers if p["stage"] == "stage1")
    assert stage1 == {
        "hf_daily_papers_api": 90,
        "neurips": 80,
        "arxiv_snapshot_head200": 50,
        "litstudy_exports": 40,
        "arxiv_daily_cs": 100,
    }
    stage3 = Counter(p.get("pool", p["source"]) for p in papers if p["stage"] == "stage3")
    assert stage3 == {
        "hf_daily_papers_api": 90,
        "neurips": 60,
        "arxiv_snapshot_head200": 30,
        "litstudy_exports": 20,
        "arxiv_daily_cs": 110,
        "small_themes_pool": 60,
    }


def test_every_paper_labelled_once_with_every_theme(papers, labels, parents):
    assert [row["title"] for row in labels] == [p["title"] for p in papers]
    # The 22 themes of the taxonomy at labelling time (diffusion_language_models last); themes
    # added to the taxonomy since (world_models, …) have no labels and are not scored.
    labelled = list(labels[0])[1:]
    assert list(labels[0])[0] == "title" and len(labelled) == 22 and set(labelled) <= set(parents)
    for row in labels:
        bad = {theme: value for theme, value in row.items() if theme != "title" and value not in RANK}
        assert not bad, (row["title"], bad)


def test_parents_are_at_least_their_children(labels, parents):
    for row in labels:
        for child, parent in parents.items():
            if parent and child in row:  # a theme added after labelling has no column
                assert RANK[row[parent]] >= RANK[row[child]], (row["title"], child, parent)


def test_split_is_the_folded_title_hash(papers):
    for p in papers:
        digest = hashlib.sha1(fold_title(p["title"]).encode("utf-8")).hexdigest()
        assert p["split"] == ("test" if int(digest[:8], 16) % 2 == 0 else "dev"), p["eval_id"]


@pytest.mark.parametrize("theme", ["diffusion_models", "bayesian_optimization"])
def test_rare_themes_have_enough_test_positives(test_split, theme):
    assert sum(row[theme] == "1" for row in test_split) >= MIN_TEST_POSITIVES


@pytest.mark.xfail(
    strict=True,
    reason="shared/data holds only three papers that train with the governing equations in the loss; see SOURCE.md",
)
def test_pinns_have_enough_test_positives(test_split):
    assert sum(row["pinns"] == "1" for row in test_split) >= MIN_TEST_POSITIVES


def test_known_papers_carry_the_labels_users_rely_on(labels):
    by_title = {row["title"]: row for row in labels}
    pinn = by_title["PINNsur: Physics-Informed Neural Networks for PDEs on Curved Surfaces"]
    assert (pinn["pinns"], pinn["neural_pde_solvers"], pinn["scientific_ml"]) == ("1", "1", "1")
    # "physics-informed" in another sense, and physical diffusion: hard negatives
    routing = by_title[
        "Physics-informed offline reinforcement learning eliminates catastrophic fuel waste in maritime routing"
    ]
    assert routing["pinns"] == "0" and routing["reinforcement_learning"] == "1"
    transport = by_title[
        "A kinetic-diffusion Monte Carlo-based particle-level fluid-kinetic decomposition "
        "for neutral transport simulations"
    ]
    assert transport["diffusion_models"] == "0"
    dllm = by_title["dMoE: dLLMs with Learnable Block Experts"]
    assert (dllm["diffusion_language_models"], dllm["diffusion_models"], dllm["generative_models"]) == ("1", "1", "1")
    bo = by_title["Practical Bayesian Optimization of Machine Learning Algorithms"]
    assert (bo["bayesian_optimization"], bo["hyperparameter_optimization"]) == ("1", "1")
