"""Topics on the seed: right papers together, few outliers, readable labels, the same on any CPU."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import paperscope as ps
from paperscope.tokens import STOP_WORDS
from paperscope.topics import default_params, reassign_outliers

from .conftest import HF_DAYS, ROOT, SEED

GOLD_GROUPS = ("diffusion_models", "pinns", "bayesian_optimization")


@pytest.fixture(scope="module")
def seed_topics(tmp_path_factory):
    papers = ps.load(SEED)
    cache = tmp_path_factory.mktemp("cache") / "e.sqlite"
    return papers, ps.fit_topics(papers, themes=ps.tag_themes(papers), cache=cache)


def _largest_share(assignments, titles):
    topics = assignments.set_index("title").loc[titles, "topic"]
    topics = topics[topics >= 0]
    return int(topics.value_counts().iloc[0]) if len(topics) else 0


def test_gold_groups_land_together_each_in_its_own_topic(seed_topics, gold_rows):
    _, result = seed_topics
    homes = []
    for theme, needed in [("diffusion_models", 5), ("pinns", 3), ("bayesian_optimization", 3)]:
        titles = [r["title"] for r in gold_rows if r[theme] == "1"]
        assert _largest_share(result.assignments, titles) >= needed, theme
        homes.append(result.assignments.set_index("title").loc[titles, "topic"].mode().iloc[0])
    assert len(set(homes)) == 3, "the three named lines of work are merged"


def test_outliers_and_table(seed_topics):
    papers, result = seed_topics
    assert result.outlier_share <= 0.10
    assert len(result.topics) >= 3
    assert result.topics["size"].sum() == (result.assignments["topic"] >= 0).sum()
    assert result.assignments["paper_id"].tolist() == papers["paper_id"].tolist()
    assert result.topics["size"].is_monotonic_decreasing
    # every topic's representative papers are its own
    for _, row in result.topics.iterrows():
        members = set(result.assignments.loc[result.assignments["topic"] == row["topic"], "title"])
        assert set(row["representative_papers"]) <= members


def test_labels_are_readable_and_distinct(seed_topics):
    papers, result = seed_topics
    labels = result.topics["label"].tolist()
    assert len(set(labels)) == len(labels)
    for label in labels:
        terms = label.split(", ")
        assert len(terms) == 3
        for term in terms:
            assert not set(term.split()) <= STOP_WORDS, f"boilerplate label term {term!r}"
    # each label term is used by two of its topic's papers and by a fifth of them: it names the topic
    text = (papers["title"] + " " + papers["abstract"].fillna("")).str.lower()
    for topic, label in zip(result.topics["topic"], labels, strict=True):
        members = text[(result.assignments["topic"] == topic).to_numpy()]
        for term in label.split(", "):
            assert members.str.contains(term, regex=False).sum() >= max(2, 0.2 * len(members)), (label, term)
    diffusion = result.assignments.set_index("title").loc[
        "DPM-Solver-v3: Improved Diffusion ODE Solver with Empirical Model Statistics", "topic_label"]
    assert "diffusion" in diffusion
    # BERTopic's own views use our labels
    assert result.model.custom_labels_[1:] == labels or set(labels) <= set(result.model.custom_labels_)


def test_topics_and_themes(seed_topics):
    papers, result = seed_topics
    tags = ps.tag_themes(papers)
    table = ps.topic_themes(result, tags)
    diffusion_topic = table["diffusion_models"].idxmax()
    assert table.loc[diffusion_topic, "diffusion_models"] == 6
    # every topic has a row, also one without a themed paper (it dropped out of the table)
    assert set(table.index) == set(result.assignments["topic_label"])
    untouched = tags.frame.groupby("paper_id")["theme"].count() == 0
    members = result.assignments.assign(bare=result.assignments["paper_id"].map(untouched))
    empty = members.groupby("topic_label")["bare"].all()
    assert (table.loc[empty[empty].index].sum(axis=1) == 0).all()
    uncovered = ps.uncovered_topics(result, tags)
    assert (uncovered["best_share"] < 0.5).all()
    assert set(uncovered["topic"]) <= set(result.topics["topic"])


def test_charts(seed_topics):
    _, result = seed_topics
    fig = ps.plotting.topic_map(result.assignments, result.topics)
    assert sum(len(t.x) for t in fig.data) == 62
    sizes = ps.plotting.topic_sizes(result.topics).data[0]
    assert list(sizes.x)[::-1] == result.topics["size"].tolist()
    tree = ps.plotting.topic_hierarchy(result.features, result.assignments, result.topics)
    assert len(tree.data) >= len(result.topics) - 1


SCRIPT = """
import json, sys
import paperscope as ps
papers = ps.load(sys.argv[1])
r = ps.fit_topics(papers, themes=ps.tag_themes(papers), cache=sys.argv[2])
print(json.dumps({"topics": r.assignments["topic"].tolist(), "labels": r.topics["label"].tolist()}))
"""

#: What another machine does: torch and numba restricted to other instruction sets, one thread.
CPU_VARIANTS = {
    "plain": {},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2"},
    "default": {"ATEN_CPU_CAPABILITY": "default"},
    "generic numba": {"NUMBA_CPU_NAME": "generic"},
    "one thread": {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"},
}


@pytest.mark.slow
def test_identical_across_cpu_variants_with_empty_caches(seed_topics, tmp_path):
    """Each variant embeds afresh (empty cache) in a fresh process: embeddings differ in the
    last bits between instruction sets, and the topics must not."""
    runs = {}
    for name, env in CPU_VARIANTS.items():
        cache = tmp_path / name.replace(" ", "-") / "e.sqlite"
        clean = {k: v for k, v in os.environ.items()
                 if k not in {"ATEN_CPU_CAPABILITY", "NUMBA_CPU_NAME", "OMP_NUM_THREADS"}}
        out = subprocess.run([sys.executable, "-c", SCRIPT, str(SEED), str(cache)], check=True,
                             capture_output=True, text=True, cwd=ROOT,
                             env={**clean, "HF_HUB_OFFLINE": "1", **env})
        runs[name] = json.loads(out.stdout.strip().splitlines()[-1])
    for name, run in runs.items():
        assert run == runs["plain"], f"{name} differs from plain"
    _, result = seed_topics  # and the same as this process
    assert runs["plain"]["topics"] == result.assignments["topic"].tolist()
    assert runs["plain"]["labels"] == result.topics["label"].tolist()


def test_partition_survives_noise_far_above_float_rounding(seed_topics):
    papers, result = seed_topics
    embeddings = ps.embed(papers)
    rng = np.random.default_rng(0)
    for scale in (1e-6, 1e-4):
        noisy = embeddings + rng.normal(0, scale, embeddings.shape).astype(np.float32)
        noisy /= np.linalg.norm(noisy, axis=1, keepdims=True)
        again = ps.fit_topics(papers, embeddings=noisy, themes=ps.tag_themes(papers))
        assert again.assignments["topic"].tolist() == result.assignments["topic"].tolist(), scale
        assert again.topics["label"].tolist() == result.topics["label"].tolist(), scale


def test_the_same_papers_in_any_order_give_the_same_topics(seed_topics):
    """The order of the files (or rows) must not matter: a randomized SVD and BERTopic's numbering
    of equal-sized topics depended on it (a review session: ARI 0.53 between two orders)."""
    from .conftest import HF_DAYS

    files = sorted(HF_DAYS.glob("*.json"))
    forward, backward = ps.load(*files), ps.load(*files[::-1])
    shuffled = forward.sample(frac=1, random_state=3).reset_index(drop=True)
    runs = [ps.fit_topics(p, backend="tfidf", themes=ps.tag_themes(p)) for p in (forward, backward, shuffled)]
    first = runs[0].assignments.set_index("paper_id")
    assert (forward["paper_id"].to_numpy() != backward["paper_id"].to_numpy()).any()
    for run, papers in zip(runs[1:], (backward, shuffled), strict=True):
        assert run.assignments["paper_id"].tolist() == papers["paper_id"].tolist()  # the caller's order
        pd.testing.assert_frame_equal(run.assignments.set_index("paper_id").loc[first.index], first)
        pd.testing.assert_frame_equal(run.topics, runs[0].topics)
        assert run.model.topics_ == run.assignments["topic"].tolist()
        features = pd.DataFrame(run.features, index=run.assignments["paper_id"]).loc[first.index].to_numpy()
        np.testing.assert_allclose(features, runs[0].features, atol=1e-6)
    # the seed, reversed, as notebook 03 fits it
    papers, result = seed_topics
    backward = papers.iloc[::-1].reset_index(drop=True)
    again = ps.fit_topics(backward, themes=ps.tag_themes(backward)).assignments.set_index("paper_id")
    pd.testing.assert_frame_equal(again.loc[result.assignments["paper_id"]], result.assignments.set_index("paper_id"))


def test_result_carries_what_made_it(seed_topics):
    _, result = seed_topics
    assert result.params["guided_by"] == list(ps.load_taxonomy().ids)
    assert result.params["n_topics"] == 16 and result.params["theme_weight"] == 0.3
    assert len(result.topics) <= result.params["n_topics"]
    # BERTopic's own document view works: the model embeds documents when asked
    assert result.model.embedding_model is not None


def test_reassign_outliers_respects_the_budget():
    rng = np.random.default_rng(0)
    centres = np.eye(3)
    features = np.vstack([centres[i] + 0.05 * rng.standard_normal((10, 3)) for i in range(3)])
    features /= np.linalg.norm(features, axis=1, keepdims=True)
    topics = np.repeat([0, 1, 2], 10)
    topics[[0, 10, 20]] = -1               # similar outliers: placed back
    far = -features[:5].mean(axis=0)
    features = np.vstack([features, far / np.linalg.norm(far)] * 1)
    topics = np.append(topics, -1)         # one dissimilar outlier
    new, moved = reassign_outliers(features, topics, max_outliers=0.10, min_similarity=0.25)
    assert new[0] == 0 and new[10] == 1 and new[20] == 2
    assert new[-1] == -1 and moved.sum() == 3
    new, moved = reassign_outliers(features, topics, max_outliers=0.0)
    assert (new >= 0).all() and moved.sum() == 4


def test_defaults_scale_with_the_corpus():
    assert default_params(62)["min_cluster_size"] == 3 and default_params(62)["n_topics"] == 16
    assert default_params(1_000)["min_cluster_size"] == 8 and default_params(1_000)["n_topics"] == 63
    assert default_params(100_000)["min_cluster_size"] == 79
    assert default_params(100_000)["n_topics"] == 632
    with pytest.raises(ps.PaperscopeError, match="at least 10 papers"):
        default_params(9)
    # a small corpus gets no more clusters than can each hold min_cluster_size papers
    assert default_params(10)["n_topics"] == 3 and default_params(35)["n_topics"] == 11
    assert default_params(36)["n_topics"] == 12 == round(2 * 36 ** 0.5)


def test_every_small_corpus_of_ten_papers_or_more_gets_a_topic():
    # 10 papers used to fall into 6 clusters of under 3 papers each: no topic, an error
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    for n in (10, 12, 15):
        for start in range(0, 300, 60):
            topics = ps.fit_topics(papers.iloc[start:start + n], backend="tfidf")
            assert len(topics.topics) >= 1 and len(topics.assignments) == n
    with pytest.raises(ps.PaperscopeError, match=r"no topic has min_cluster_size=3 papers \(20 papers in "
                                                 r"n_topics=50 clusters\): lower min_cluster_size or n_topics"):
        ps.fit_topics(papers.iloc[:20], backend="tfidf", n_topics=50)
    for bad in ({"min_cluster_size": 0}, {"n_topics": 2.5}, {"theme_weight": -1}, {"lexical_weight": "1"}):
        with pytest.raises(ps.PaperscopeError, match=f"{next(iter(bad))}="):
            ps.fit_topics(papers.iloc[:20], backend="tfidf", **bad)


def test_tfidf_backend_runs_without_the_model():
    papers = ps.load(SEED)
    result = ps.fit_topics(papers, backend="tfidf")
    assert len(result.assignments) == 62 and result.outlier_share <= 0.10
    assert isinstance(result.topics, pd.DataFrame)


def test_the_map_is_the_same_picture_under_a_cpus_float_noise():
    # t-SNE of the points moved a paper 49 units on a 55-unit map under another CPU's 1e-7 noise;
    # the map is now t-SNE of the nearest-neighbour graph, which that noise does not change
    from paperscope import clustering
    from paperscope.topics import _map_coordinates

    vectors = ps.embed(ps.load(HF_DAYS), backend="tfidf").astype(np.float64)
    points = clustering.pca(vectors, 50)
    noisy = points + np.random.default_rng(0).normal(0, 1e-6, points.shape)
    a, b = _map_coordinates(points, 42), _map_coordinates(noisy, 42)
    assert a.shape == (494, 2) and np.array_equal(a, b)
    assert np.ptp(a, axis=0).min() > 10  # a spread-out picture, not a collapsed one


def test_the_same_vectors_give_the_same_labels_whatever_the_backend_says():
    # BERTopic preprocessed the texts by whether it had an embedding model (MiniLM's backend):
    # the same vectors got other labels under backend="static" (6 of 106 on the arXiv cs listings)
    papers = ps.load(HF_DAYS)
    vectors = ps.embed(papers, backend="tfidf")
    a = ps.fit_topics(papers, embeddings=vectors, backend="tfidf")
    b = ps.fit_topics(papers, embeddings=vectors, backend="minilm")
    assert a.assignments["topic"].tolist() == b.assignments["topic"].tolist()
    assert a.topics["label"].tolist() == b.topics["label"].tolist()


def test_topic_inputs_are_checked():
    papers = ps.load(SEED)
    doubled = pd.concat([papers, papers.iloc[:3]], ignore_index=True)
    with pytest.raises(ps.PaperscopeError, match="3 paper_id\\(s\\) occur more than once"):
        ps.fit_topics(doubled, backend="tfidf")
    topics = ps.fit_topics(papers, backend="tfidf")
    for bad in (0, 1.5, "half"):
        with pytest.raises(ps.PaperscopeError, match="min_share"):
            ps.uncovered_topics(topics, ps.tag_themes(papers), min_share=bad)


def test_coverage_needs_a_theme_more_common_in_the_topic_than_everywhere():
    """A broad theme (LLMs on over half of the HF papers) covers only topics where it clearly stands
    out; checked against a crosstab by hand."""
    from .conftest import HF_DAYS

    papers = ps.load(HF_DAYS)
    tags = ps.tag_themes(papers)
    topics = ps.fit_topics(papers, backend="tfidf", themes=tags)
    coverage = ps.topic_coverage(topics, tags).set_index("topic")
    tagged = tags.matrix()
    topic_of = topics.assignments.set_index("paper_id")["topic"]
    shares = tagged.groupby(topic_of.reindex(tagged.index)).mean()
    lifts = shares / tagged.mean()
    by_hand = ((shares >= 0.5) & (lifts >= 1.25)).any(axis=1)
    assert coverage["covered"].to_dict() == by_hand.reindex(coverage.index).to_dict()
    assert tagged["llms"].mean() > 0.5
    broad = coverage[(coverage["best_theme"] == "llms") & (coverage["best_share"] >= 0.5) & ~coverage["covered"]]
    assert len(broad) >= 1  # LLM papers are half of such a topic only because they are half of everything
    uncovered = ps.uncovered_topics(topics, tags)
    assert sorted(uncovered["topic"]) == sorted(coverage.index[~coverage["covered"]])
    assert len(ps.uncovered_topics(topics, tags, min_lift=0)) < len(uncovered)  # share alone: the old rule
    # a topic's best theme is on two of its papers at least: one paper says nothing of the topic
    counts = tagged.groupby(topic_of.reindex(tagged.index)).sum()
    for topic, best in coverage["best_theme"].items():
        assert best is None or counts.loc[topic, best] >= 2, (topic, best)
    assert coverage["best_theme"].isna().sum() == (counts.max(axis=1) < 2).sum()


def test_topics_of_papers_without_countable_words_get_distinct_explicit_labels():
    """Chinese titles and abstracts hold no word the vectorizer counts: their topics were all labelled
    'mixed: ' with ten empty terms, and charts keyed by label merged them into one row."""
    from paperscope import schema

    chinese = ["扩散模型在图像生成中的应用研究", "基于大语言模型的代码生成方法", "物理信息神经网络求解偏微分方程",
               "贝叶斯优化在超参数调优中的研究", "强化学习在机器人控制中的应用", "图神经网络的可解释性分析",
               "多模态大模型的视觉推理能力评估", "语音识别中的自监督预训练方法"]
    seed = ps.load(SEED).head(16)
    papers = pd.concat([seed, schema.from_records(
        {"paper_id": f"zh{i}", "title": t, "abstract": t + "。本文提出一种新方法，并在多个数据集上验证其有效性。"}
        for i, t in enumerate(chinese))], ignore_index=True)
    topics = ps.fit_topics(papers, backend="tfidf")
    labels = topics.topics["label"].tolist()
    assert len(set(labels)) == len(labels) and all(label.strip(": ") and label != "mixed:" for label in labels)
    assert not any("" in terms for terms in topics.topics["top_terms"])
    chinese_topics = set(topics.assignments.loc[topics.assignments["paper_id"].str.startswith("zh"), "topic"])
    wordless = topics.topics[topics.topics["top_terms"].str.len() == 0]
    assert len(wordless) and set(wordless["topic"]) <= chinese_topics
    assert all(label == f"topic {t}: no words to label" for t, label in zip(wordless["topic"], wordless["label"],
                                                                             strict=True))


def test_a_corpus_without_countable_words_is_a_clear_error():
    """Chinese abstracts alone: BERTopic's vectorizer raised 'empty vocabulary passed to fit' and the
    report stopped at its topics page; a PaperscopeError is what the page explains instead."""
    from paperscope import schema

    titles = ["扩散模型在图像生成中的应用研究", "基于大语言模型的代码生成方法", "物理信息神经网络求解偏微分方程",
              "贝叶斯优化在超参数调优中的研究", "强化学习在机器人控制中的应用", "图神经网络的可解释性分析",
              "多模态大模型的视觉推理能力评估", "语音识别中的自监督预训练方法", "联邦学习中的隐私保护机制",
              "知识蒸馏在模型压缩中的作用", "持续学习中的灾难性遗忘问题", "不确定性量化的贝叶斯方法"]
    papers = schema.from_records({"paper_id": f"zh{i}", "title": t, "abstract": t + "。本文提出一种新方法。"}
                                 for i, t in enumerate(titles))
    with pytest.raises(ps.PaperscopeError, match="no paper holds a word that topics are labelled with"):
        ps.fit_topics(papers, backend="tfidf")
