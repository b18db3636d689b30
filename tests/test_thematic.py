"""Thematic map and evolution: Callon's numbers computed by hand, then the HF day files."""

from __future__ import annotations

import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema, thematic
from paperscope.thematic import cluster_keywords, cluster_membership

from .conftest import ROOT

HF = ROOT / "data" / "hf-daily-papers"


def tiny(titles: list[str], dates: list[str] | None = None) -> pd.DataFrame:
    return schema.from_records(
        {"paper_id": f"p{i}", "title": t, "source": "hand", "source_format": "hand", "position": i,
         "n_words": 0, "listed_on": pd.Timestamp(dates[i - 1]) if dates else None}
        for i, t in enumerate(titles, start=1))


@pytest.fixture(scope="module")
def hand_map():
    """Eight papers, three clusters, two keywords each.

    ======  =========================  =======
    paper   words                      cluster
    ======  =========================  =======
    p1      graph, kernel              A
    p2      graph, kernel, spline      A
    p3      spline, tensor             B
    p4      spline, tensor, kernel     B
    p5      quantum, photon            C
    p6      quantum                    C
    p7      graph, kernel              A
    p8      tensor, quantum            C
    ======  =========================  =======

    Papers per keyword: graph 3, kernel 4, spline 3, tensor 3, quantum 3, photon 1.
    Equivalence e_ij = c_ij² / (c_i c_j) of the linked pairs:
    graph–kernel 3²/(3·4) = 3/4, graph–spline 1/(3·3) = 1/9, kernel–spline 2²/(4·3) = 1/3,
    kernel–tensor 1/(4·3) = 1/12, spline–tensor 2²/(3·3) = 4/9, tensor–quantum 1/9,
    quantum–photon 1/(3·1) = 1/3.

    A = {graph, kernel}: density 100 · (3/4) / 2 = 37.5;
        centrality 10 · (1/9 + 1/3 + 1/12) = 10 · 19/36 = 5.277778.
    B = {spline, tensor}: density 100 · (4/9) / 2 = 22.222222;
        centrality 10 · (1/9 + 1/3 + 1/12 + 1/9) = 10 · 23/36 = 6.388889.
    C = {quantum, photon}: density 100 · (1/3) / 2 = 16.666667; centrality 10 · 1/9 = 1.111111.
    Medians: centrality 5.277778 (A's), density 22.222222 (B's). Above the median is high:
    A niche (dense, not central), B basic (central, not dense), C emerging or declining.
    """
    papers = tiny(["graph and kernel", "graph and kernel and spline", "spline and tensor",
                   "spline and tensor and kernel", "quantum and photon", "quantum", "graph and kernel",
                   "tensor and quantum"])
    member = {"A": ["p1", "p2", "p7"], "B": ["p3", "p4"], "C": ["p5", "p6", "p8"]}
    clusters = pd.DataFrame({c: papers["paper_id"].isin(ids).to_numpy() for c, ids in member.items()},
                            index=papers["paper_id"])
    keywords = {"A": ["graph", "kernel"], "B": ["spline", "tensor"], "C": ["quantum", "photon"]}
    return ps.thematic_map(papers, clusters, keywords=keywords)


def test_centrality_density_and_quadrants_by_hand(hand_map):
    m = hand_map.set_index("cluster")
    assert m["size"].to_dict() == {"A": 3, "B": 2, "C": 3}
    assert m["centrality"].to_dict() == {"A": round(190 / 36, 6), "B": round(230 / 36, 6), "C": round(10 / 9, 6)}
    assert m["density"].to_dict() == {"A": 37.5, "B": round(200 / 9, 6), "C": round(100 / 6, 6)}
    # three clusters make no quadrants (the median split of three says little): none named, and said so
    assert m["quadrant"].isna().all() and "Only 3 cluster(s) placed" in hand_map.attrs["note"]
    assert [thematic._quadrant(c, d, round(190 / 36, 6), round(200 / 9, 6)) for c, d in zip(
        m["centrality"], m["density"], strict=True)] == ["niche", "basic", "emerging or declining"]
    assert hand_map.attrs["centrality_median"] == round(190 / 36, 6)
    assert hand_map.attrs["density_median"] == round(200 / 9, 6)


def test_thematic_evolution_inclusion_by_hand():
    """Two periods, two clusters, two papers each; each cluster's papers share two words.

    2024: A = {graph, kernel}, B = {spline, tensor}; 2025: A = {graph, photon}, B = {kernel, tensor}.
    Inclusion |X ∩ Y| / min(|X|, |Y|): A→A {graph} 1/2, B→B {tensor} 1/2 (a cluster and its own
    next period: one shared word links them); A→B shares only {kernel}: two different clusters need
    two shared words, so no link; B→A shares nothing. Stability (Jaccard) 1/3 each.
    """
    papers = tiny(["graph and kernel"] * 2 + ["spline and tensor"] * 2 + ["graph and photon"] * 2
                  + ["kernel and tensor"] * 2, ["2024-06-01"] * 4 + ["2025-06-01"] * 4)
    clusters = pd.DataFrame({"A": [True, True, False, False, True, True, False, False]},
                            index=papers["paper_id"])
    clusters["B"] = ~clusters["A"]
    evolution = ps.thematic_evolution(papers, clusters, "Y", min_size=1)  # (clusters of two papers)
    assert evolution.periods == ["2024", "2025"]
    nodes = evolution.nodes.set_index(["period", "cluster"])["keywords"].to_dict()
    assert nodes == {("2024", "A"): ["graph", "kernel"], ("2024", "B"): ["spline", "tensor"],
                     ("2025", "A"): ["graph", "photon"], ("2025", "B"): ["kernel", "tensor"]}
    links = {(r.source, r.target): (r.inclusion, r.stability, r.shared) for r in evolution.links.itertuples()}
    assert links == {("A", "A"): (0.5, round(1 / 3, 6), ["graph"]),
                     ("B", "B"): (0.5, round(1 / 3, 6), ["tensor"])}
    fig = ps.plotting.thematic_evolution_chart(evolution)
    sankey = fig.to_dict()["data"][0]
    assert sankey["type"] == "sankey"
    assert sankey["node"]["label"] == ["A (2024)", "B (2024)", "A (2025)", "B (2025)"]
    assert sorted(zip(sankey["link"]["source"], sankey["link"]["target"], strict=True)) == [(0, 2), (1, 3)]
    # two shared words do link two different clusters
    papers = tiny(["graph and kernel"] * 2 + ["spline and tensor"] * 2 + ["graph and kernel"] * 2
                  + ["spline and tensor"] * 2, ["2024-06-01"] * 4 + ["2025-06-01"] * 4)
    clusters = pd.DataFrame({"A": [True, True] + [False] * 6, "B": [False] * 4 + [True, True, False, False]},
                            index=papers["paper_id"])
    clusters["C"] = ~(clusters["A"] | clusters["B"])
    links = ps.thematic_evolution(papers, clusters, "Y", min_size=1).links
    assert sorted((r.source, r.target, r.inclusion, tuple(r.shared)) for r in links.itertuples()) == [
        ("A", "B", 1.0, ("graph", "kernel")), ("C", "C", 1.0, ("spline", "tensor"))]


def test_evolution_needs_dates_and_two_periods():
    papers = tiny(["graph and kernel"] * 3)
    clusters = pd.DataFrame({"A": [True] * 3}, index=papers["paper_id"])
    with pytest.raises(ps.PaperscopeError, match="no paper has a date"):
        ps.thematic_evolution(papers, clusters)
    dated = tiny(["graph and kernel"] * 3, ["2024-01-02"] * 3)
    with pytest.raises(ps.PaperscopeError, match="two or more"):
        ps.thematic_evolution(dated, clusters)


def test_membership_inputs_are_checked():
    papers = tiny(["graph and kernel"])
    with pytest.raises(ps.PaperscopeError, match="True/False"):
        cluster_membership(papers, pd.DataFrame({"A": [1]}, index=["p1"]))
    with pytest.raises(ps.PaperscopeError, match="unknown clusters"):
        ps.thematic_map(papers, pd.DataFrame({"A": [True]}, index=["p1"]), keywords={"Z": ["graph"]})


@pytest.fixture(scope="module")
def hf():
    papers = ps.load(HF)
    return papers, ps.tag_themes(papers)


def test_theme_map_on_the_hf_day_files(hf):
    papers, tags = hf
    m = ps.thematic_map(papers, tags).set_index("cluster")
    # a theme's specific child keeps its word from the broad parent
    assert m.loc["diffusion_models", "keywords"][0] == "diffusion"
    assert "diffusion" not in m.loc["generative_models", "keywords"]
    assert m.loc["llms", "keywords"][:2] == ["llm", "language"]
    assert m.loc["reinforcement_learning", "keywords"][:3] == ["reinforcement", "reward", "rl"]
    # a theme of fewer than five papers has no keywords and no place on the map: what two or three
    # papers share is mostly the words of any abstract
    small = m[m["size"] < 5]
    assert small["keywords"].map(len).eq(0).all() and small["quadrant"].isna().all() and len(small) == 8
    assert m.loc["bayesian_optimization", "size"] == 3
    placed = m.dropna(subset=["quadrant"])
    assert len(placed) == 14  # the themes with 5+ papers
    assert placed["quadrant"].to_dict() == {
        "llms": "basic", "computer_vision": "motor", "multilingual_nlp": "niche", "generative_models": "basic",
        "diffusion_models": "basic", "reinforcement_learning": "motor", "world_models": "basic", "agents": "basic",
        "speech_audio": "emerging or declining", "model_compression": "emerging or declining", "robotics": "niche",
        "retrieval_augmented_generation": "niche", "parameter_efficient_finetuning": "niche",
        "diffusion_language_models": "niche"}
    # keywords describe the theme: no counts an abstract gives ("50", "20 000")
    assert "knowledge distillation" in m.loc["model_compression", "keywords"]  # a phrase stays a phrase
    # one keyword repeats another when its words hold the other's, or a word's form starts another
    # ("robot", "robotic"), not when it is only inside it ("ai" in "failure", "llm" in "mllm")
    assert [thematic._same_term(a, b) for a, b in [("robot", "robotic"), ("prune", "pruned"), ("world", "world model"),
                                                   ("ai", "failure"), ("llm", "mllm"), ("dit", "conditioning")]] \
        == [True, True, True, False, False, False]
    assert not any(w.isdigit() for kws in m["keywords"] for k in kws for w in k.split())
    # the page says what is not on the map, and why
    note = ps.thematic_map(papers, tags).attrs["note"]
    assert ("Not placed (no keywords: fewer than 5 papers, or none used mostly by them): Scientific machine "
            "learning (1), Bayesian optimization (3), Hyperparameter") in note  # in the taxonomy's order
    assert "No paper carries: Physics-informed neural networks, Neural PDE solvers, Optimization theory." in note
    # a keyword is at least twice as common among the theme's papers as among the others
    text = (papers["title"] + " " + papers["abstract"].fillna("")).str.lower()
    llms = tags.matrix()["llms"].reindex(papers["paper_id"]).to_numpy()
    assert text[llms].str.contains("llm").mean() >= 2 * text[~llms].str.contains("llm").mean()
    fig = ps.plotting.thematic_map_chart(ps.thematic_map(papers, tags))
    assert sum(len(t.x) for t in fig.data) == 14  # every placed theme is a bubble …
    assert all(t.mode == "markers+text" and all(t.text) for t in fig.data)  # … with its label
    assert {lbl for t in fig.data for lbl in t.text} == {ps.plotting.escape(x) for x in placed["label"]}
    names = {a["text"] for a in fig.to_dict()["layout"]["annotations"]}
    assert {"<b>motor themes</b>", "<b>niche themes</b>", "<b>basic themes</b>",
            "<b>emerging or declining themes</b>"} <= names


def test_theme_evolution_on_the_hf_day_files(hf):
    papers, tags = hf
    evolution = ps.thematic_evolution(papers, tags, ["2025-01-01", "2026-01-01"])
    assert evolution.periods == ["before 2025-01-01", "2025-01-01 – 2026-01-01", "from 2026-01-01"]
    assert 0 < evolution.links["inclusion"].max() <= 1.0
    assert set(evolution.links["source_period"]) == set(evolution.periods[:2])
    assert (evolution.links["inclusion"] > 0).all()


def test_keywords_need_min_papers():
    papers = tiny(["graph and kernel", "graph and spline", "tensor and photon"])
    membership, _, _ = cluster_membership(
        papers, pd.DataFrame({"A": [True, True, False], "B": [False, False, True]}, index=papers["paper_id"]))
    from paperscope.thematic import _paper_terms

    kws = cluster_keywords(_paper_terms(papers), membership, min_papers=2, min_size=1)
    assert kws == {"A": ["graph"], "B": []}
    assert cluster_keywords(_paper_terms(papers), membership, min_papers=2) == {"A": [], "B": []}  # (5 papers)


def test_equivalence_counts_papers_as_a_reader_would(hf):
    """The sparse co-occurrence equals counting each pair of keywords over the papers' term sets."""
    import numpy as np

    from paperscope.thematic import _paper_terms, equivalence
    from paperscope.tokens import terms

    papers, tags = hf
    sets = [terms(f"{t}. {a if isinstance(a, str) else ''}") for t, a in zip(papers["title"], papers["abstract"],
                                                                            strict=True)]
    used = [kw for kws in ps.thematic_map(papers, tags)["keywords"] for kw in kws][:4]
    keywords = [*used, "no such term", used[3]]
    e = equivalence(_paper_terms(papers), keywords)
    counts = [sum(k in s for s in sets) for k in keywords]
    for i in (0, 1, 2, 5):
        for j in (0, 1, 2, 5):
            a, b = keywords[i], keywords[j]
            both = sum(a in s and b in s for s in sets)
            expected = 0.0 if i == j else both**2 / (counts[i] * counts[j])
            assert e[i, j] == pytest.approx(expected, rel=1e-12)
    # A term no paper uses, and a keyword named twice before its last mention, link to nothing.
    assert not e[4].any() and not e[3].any() and not e[:, 3].any()
    # Plain term sets give the same keywords as the corpus's term matrix.
    membership, _, _ = cluster_membership(papers, tags)
    assert cluster_keywords(sets, membership) == cluster_keywords(_paper_terms(papers), membership)
    assert np.array_equal(equivalence(sets, keywords), e)


def test_a_map_refuses_tags_or_topics_of_other_papers(hf):
    papers, _ = hf
    with pytest.raises(ps.PaperscopeError, match=r"434 paper\(s\) were not tagged in this result"):
        ps.thematic_map(papers, ps.tag_themes(papers.iloc[:60]))
    with pytest.raises(ps.PaperscopeError, match=r"434 paper\(s\) have no topic in these topics"):
        ps.thematic_map(papers, ps.fit_topics(papers.iloc[:60], backend="tfidf"))


def test_evolution_dates_year_only_papers_by_their_year():
    # NeurIPS records carry a year only: the evolution read the years as nanoseconds after 1970 and
    # said the papers fell in one period (the trends page charted the same years)
    papers = ps.load(ROOT / "tests" / "data" / "neurips-sample")
    assert papers["listed_on"].isna().all() and papers["published"].isna().all()
    evolution = ps.thematic_evolution(papers, ps.tag_themes(papers), ["2017-01-01"])
    assert evolution.periods == ["before 2017-01-01", "from 2017-01-01"]
    assert evolution.params["undated"] == 0 and evolution.params["date"] == "year"


def test_bad_arguments_are_named_and_years_stay_years():
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    tags = ps.tag_themes(papers)
    with pytest.raises(ps.PaperscopeError, match="n_keywords=0"):
        ps.thematic_map(papers, tags, n_keywords=0)
    for periods, message in [("x", "periods='x': a period alias"), (["junk"], "cut dates must be dates"),
                             (2025, "periods=2025: a period alias")]:
        with pytest.raises(ps.PaperscopeError, match=message):
            ps.thematic_evolution(papers, tags, periods)
    neurips = ps.load(ROOT / "tests" / "data" / "neurips-sample")
    evolution = ps.thematic_evolution(neurips, ps.tag_themes(neurips), "Q")  # years, not "1987Q1"
    assert evolution.periods == ["1987", "1988", "1991", "1996", "1999", "2016", "2017", "2018"]
    neurips_tags = ps.tag_themes(neurips)
    for cuts, message in [(["2016-06-01"], "dated by year only"), ([None], "not None"), ([2016], "not 2016")]:
        with pytest.raises(ps.PaperscopeError, match=message):
            ps.thematic_evolution(neurips, neurips_tags, cuts)


def test_a_users_keywords_are_read_as_the_papers_terms_and_said_so(hf):
    """'LLM' and 'Large Language Models' matched nothing (terms are lower case, plurals folded): the
    theme sat at centrality 0 in 'emerging or declining', silently."""
    papers, tags = hf
    with pytest.warns(UserWarning) as caught:
        m = ps.thematic_map(papers, tags, keywords={"llms": ["LLMs", "Large Language Models", "GPT-4"],
                                                    "agents": ["agents", "tool calls", "zzzqq"]}).set_index("cluster")
    said = " ".join(str(w.message) for w in caught)
    assert "'Large Language Models' → 'language'" in said and "'tool calls' → 'tool'" in said
    assert "no paper uses 'zzzqq'" in said
    assert m.loc["llms", "keywords"] == ["llm", "language", "gpt"] and m.loc["llms", "centrality"] > 0
    with pytest.warns(UserWarning, match="'Text-to-Speech' → 'speech'"):  # the more specific word, not 'text'
        ps.thematic_map(papers, tags, keywords={"speech_audio": ["Text-to-Speech"]})
    with pytest.warns(UserWarning, match="'state of the art image generation' → 'image generation'"):
        ps.thematic_map(papers, tags, keywords={"generative_models": ["state of the art image generation"]})
    with pytest.raises(ps.PaperscopeError, match="holds no word the papers' terms keep"):
        ps.thematic_map(papers, tags, keywords={"llms": ["the of"]})


def test_two_clusters_make_no_quadrants():
    papers = tiny(["graph kernel photon spline"] * 6 + ["tensor quark gluon boson"] * 6, ["2024-06-01"] * 12)
    clusters = pd.DataFrame({"A": [True] * 6 + [False] * 6}, index=papers["paper_id"])
    clusters["B"] = ~clusters["A"]
    m = ps.thematic_map(papers, clusters)
    assert m["quadrant"].isna().all() and m.attrs["note"].startswith("Only 2 cluster(s) placed")


def test_a_bare_tags_frame_keeps_its_own_themes_and_labels(hf):
    # A user's themes alone, handed over as the bare frame (code written before the result object):
    # the map shows them under their own labels, never the default taxonomy's themes or order
    papers, _ = hf
    mine = ps.load_taxonomy(ROOT / "notebooks" / "my_themes.toml", include_default=False)
    frame = ps.tag_themes(papers, mine).frame
    matrix, labels, kind = cluster_membership(papers, frame)
    assert kind == "themes" and list(matrix.columns) == ["numerical_methods"]
    assert labels == {"numerical_methods": "Numerical methods"}
    bare = frame.drop(columns="label")  # no labels at all: the ids
    assert cluster_membership(papers, bare)[1] == {"numerical_methods": "numerical_methods"}


def test_the_papers_order_changes_no_map_and_no_evolution(hf):
    # Two themes of a month can tie on a keyword; the tie went to the theme whose papers came
    # first, so shuffling the papers moved keywords, centralities and links between themes
    papers, tags = hf
    shuffled = papers.sample(frac=1, random_state=7).reset_index(drop=True)
    again = ps.tag_themes(shuffled)
    pd.testing.assert_frame_equal(ps.thematic_map(papers, tags), ps.thematic_map(shuffled, again))
    a, b = ps.thematic_evolution(papers, tags, "M"), ps.thematic_evolution(shuffled, again, "M")
    pd.testing.assert_frame_equal(a.nodes, b.nodes)
    pd.testing.assert_frame_equal(a.links, b.links)
