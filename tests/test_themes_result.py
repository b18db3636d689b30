"""ThemeTags: the tags, their papers and their taxonomy, and every aggregation — with the default
taxonomy on the seed (scored against its hand labels) and with the user's notebooks/my_themes.toml."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import paperscope as ps

from .conftest import ROOT, SEED

SEED_GOLD = ROOT / "seeds" / "seed_themes.csv"
MY_THEMES = ROOT / "notebooks" / "my_themes.toml"
HF = ROOT / "data" / "hf-daily-papers"
NUMERICAL = ["Mathematical modelling of flow and adsorption in a gas chromatograph",
             "A Deep Conjugate Direction Method for Iteratively Solving Linear Systems",
             "Learning to Relax: Setting Solver Parameters Across a Sequence of Linear System Instances",
             "An efficient Asymptotic-Preserving scheme for the Boltzmann mixture with disparate mass",
             "On the matrices in B-spline collocation methods for Riesz fractional equations and their "
             "spectral properties",
             "Better Neural PDE Solvers Through Data-Free Mesh Movers",
             "AutoKnots: Adaptive Knot Allocation for Spline Interpolation"]


@pytest.fixture(scope="module")
def seed():
    papers = ps.load(SEED)
    return papers, ps.tag_themes(papers)


@pytest.fixture(scope="module")
def mine():
    papers = ps.load(SEED)
    return papers, ps.tag_themes(papers, ps.load_taxonomy(MY_THEMES))


def test_the_result_carries_its_papers_and_taxonomy(seed):
    papers, tags = seed
    assert isinstance(tags, ps.ThemeTags)
    assert tags.papers is papers and tags.taxonomy == ps.load_taxonomy()
    assert list(tags.frame.columns) == ps.themes.TAG_COLUMNS
    assert set(tags.frame["method"].dropna()) == {"rule"}
    assert tags.frame["paper_id"].drop_duplicates().tolist() == papers["paper_id"].tolist()
    assert tags.themes == tags.taxonomy.ids and tags.labels["pinns"] == "Physics-informed neural networks"
    copy = tags.to_frame()
    copy.loc[:, "theme"] = "x"
    assert tags.frame["theme"].ne("x").all()
    assert repr(tags) == "ThemeTags(62 papers, 83 tags of 18 themes; Taxonomy(25 themes from default.toml))"


def test_seed_scores_are_perfect_against_the_hand_labels(seed):
    papers, tags = seed
    scores = tags.evaluate(SEED_GOLD).set_index("theme")
    scored = scores[scores["support"] > 0]
    assert (scored["precision"] == 1).all() and (scored["recall"] == 1).all(), scored
    assert scores.loc["micro", "support"] == 48 and scores.loc["micro", "tp"] == 48
    pd.testing.assert_frame_equal(ps.evaluate_themes(papers, tags, SEED_GOLD).set_index("theme"), scores)


def test_each_aggregation_on_the_seed(seed):
    papers, tags = seed
    matrix = tags.matrix()
    assert matrix.shape == (62, 25) and matrix.index.tolist() == papers["paper_id"].tolist()
    prev = tags.prevalence().set_index("theme")
    assert prev.loc["diffusion_models", "papers"] == matrix["diffusion_models"].sum() == 6
    assert prev.loc["diffusion_models", "share"] == pytest.approx(6 / 62)
    assert prev.loc["llms", "label"] == "Large language models"
    assert prev.index[0] == "scientific_ml" and prev.loc["scientific_ml", "papers"] == 10  # sorted, largest first
    assert prev.loc["llms", "papers"] == 9
    assert len(tags.untagged()) == 14 and tags.untagged()["paper_id"].isin(matrix.index).all()
    co = tags.cooccurrence()
    assert co.loc["pinns", "pinns"] == 3 and co.loc["pinns", "neural_pde_solvers"] == 3
    assert (co.to_numpy() == co.to_numpy().T).all()


def test_direct_only_cooccurrence_leaves_out_the_taxonomy_links(seed):
    _, tags = seed
    co, direct = tags.cooccurrence(), tags.cooccurrence(direct_only=True)
    # every PINN paper is a neural PDE solver paper by the taxonomy; none also says so itself
    assert co.loc["pinns", "neural_pde_solvers"] == 3 and direct.loc["pinns", "neural_pde_solvers"] == 0
    assert co.loc["diffusion_models", "generative_models"] == 6
    assert direct.loc["diffusion_models", "generative_models"] == 4
    assert direct.loc["generative_models", "generative_models"] == 6  # of 8 with the inherited tags
    assert (direct.to_numpy() <= co.to_numpy()).all()
    assert tags.matrix(direct_only=True).sum().sum() == tags.frame["field"].isin(["title", "abstract"]).sum()


def test_module_functions_delegate_and_accept_the_old_call(seed):
    papers, tags = seed
    tax = tags.taxonomy
    pd.testing.assert_frame_equal(ps.theme_prevalence(papers, tags), tags.prevalence())
    pd.testing.assert_frame_equal(ps.theme_prevalence(papers, tags, tax), tags.prevalence())
    pd.testing.assert_frame_equal(ps.theme_matrix(papers, tags.frame, tax), tags.matrix())
    pd.testing.assert_frame_equal(ps.theme_cooccurrence(papers, tags.frame, tax), tags.cooccurrence())
    pd.testing.assert_frame_equal(ps.untagged(papers, tags.frame), tags.untagged())
    other = ps.load_taxonomy(MY_THEMES)
    with pytest.raises(ps.PaperscopeError, match="another taxonomy"):
        ps.theme_prevalence(papers, tags, other)


def test_a_subset_of_the_papers_is_counted_on_its_own(seed):
    papers, tags = seed
    first = papers.head(10)
    prev = ps.theme_prevalence(first, tags).set_index("theme")
    assert prev["papers"].sum() == tags.matrix().head(10).sum().sum()
    assert prev.loc["llms", "share"] == prev.loc["llms", "papers"] / 10
    stranger = pd.concat([first, ps.load(ROOT / "tests" / "data" / "holdout-page.txt").head(1)])
    with pytest.raises(ps.PaperscopeError, match="not tagged in this result"):
        ps.theme_matrix(stranger, tags)


def test_the_user_taxonomy_through_every_aggregation(mine):
    """The reported bug: theme_prevalence(papers, tag_themes(papers, load_taxonomy(my_themes))) raised KeyError."""
    papers, tags = mine
    prev = ps.theme_prevalence(papers, tags).set_index("theme")
    assert prev.loc["numerical_methods", "label"] == "Numerical methods"
    assert prev.loc["numerical_methods", "papers"] == 7
    assert tags.labels["numerical_methods"] == "Numerical methods" and tags.themes[-1] == "numerical_methods"
    matrix = tags.matrix()
    titles = papers.set_index("paper_id").loc[matrix.index[matrix["numerical_methods"]], "title"]
    assert sorted(titles) == sorted(NUMERICAL)
    assert tags.cooccurrence().loc["numerical_methods", "numerical_methods"] == 7
    assert tags.cooccurrence(direct_only=True).loc["numerical_methods", "neural_pde_solvers"] == 1
    assert len(tags.untagged()) == 10  # 14 with the defaults alone
    gold = pd.DataFrame({"title": NUMERICAL[1:3] + ["Skill Expansion and Composition in Parameter Space"],
                         "numerical_methods": ["1", "1", "0"]})
    row = tags.evaluate(gold).set_index("theme").loc["numerical_methods"]
    assert (row["tp"], row["fp"], row["fn"]) == (2, 0, 0)


def test_a_bare_frame_never_gets_the_default_taxonomy(mine):
    papers, tags = mine
    frame = tags.to_frame()
    prev = ps.theme_prevalence(papers, frame).set_index("theme")
    assert prev.loc["numerical_methods", "label"] == "Numerical methods"  # from the frame's label column
    assert set(prev.index) == set(frame["theme"].dropna())  # only the themes the tags name
    bare = frame.drop(columns="label")
    assert ps.theme_prevalence(papers, bare).set_index("theme").loc["numerical_methods", "label"] \
        == "numerical_methods"
    with pytest.raises(ps.PaperscopeError, match="needs the papers"):
        ps.themes.as_theme_tags(frame)


@pytest.fixture(scope="module")
def dated():
    papers = ps.load(HF)
    return papers, ps.tag_themes(papers, MY_THEMES)


def test_trends_label_a_user_theme_and_rising_themes_keeps_it(dated):
    papers, tags = dated
    trends = tags.trends(freq="Q")
    assert trends["label"].notna().all()
    mine = trends[trends["theme"] == "numerical_methods"]
    assert set(mine["label"]) == {"Numerical methods"} and mine["tagged"].sum() == 3
    assert mine["papers"].sum() == len(papers) - trends.attrs["undated"]
    pd.testing.assert_frame_equal(ps.theme_trends(papers, tags, freq="Q"), trends)
    pd.testing.assert_frame_equal(ps.theme_trends(papers, tags.frame, freq="Q", taxonomy=tags.taxonomy),
                                  trends)
    bare = ps.theme_trends(papers, tags.frame, freq="Q")  # only the themes the tags name, with their labels
    assert set(bare["theme"]) == set(tags.frame["theme"].dropna()) and bare["label"].notna().all()
    rising = ps.rising_themes(trends, recent=4).set_index("theme")
    assert rising.loc["numerical_methods", "label"] == "Numerical methods"
    assert set(rising.index) == set(tags.themes)
    chart = ps.plotting.theme_trends_chart(trends, ["numerical_methods"])
    assert chart.data[1].name == "Numerical methods"


def test_trends_of_diffusion_language_models(dated):
    _, tags = dated
    trends = tags.trends(freq="Y").set_index(["theme", "period"])
    dlm = trends.loc["diffusion_language_models"]
    assert dlm["label"].iloc[0] == "Diffusion language models"
    assert dlm.loc[pd.Timestamp("2024-01-01"), "tagged"] == 0 and dlm["tagged"].sum() == 8


def test_a_gold_column_the_taxonomy_lacks_is_scored_with_a_warning(seed):
    papers, tags = seed
    gold = pd.read_csv(SEED_GOLD, dtype=str, keep_default_na=False).assign(kv_cache="0")
    gold.loc[0, "kv_cache"] = "1"
    with pytest.warns(UserWarning, match=r"gold column\(s\) \['kv_cache'\] name no theme"):
        scores = tags.evaluate(gold).set_index("theme")
    assert scores.loc["kv_cache", "recall"] == 0 and scores.loc["kv_cache", "label"] == "kv_cache (not in the taxonomy)"
    assert scores.loc["pinns", "label"] == "Physics-informed neural networks"
    assert scores.loc["micro", "label"] == "all themes"


def test_a_paper_twice_is_an_error_not_a_double_count(seed):
    papers, _ = seed
    twice = pd.concat([papers.iloc[:50], papers.iloc[:50]])
    with pytest.raises(ps.SchemaError, match=r"50 paper_id\(s\) occur more than once, e.g. "):
        ps.tag_themes(twice)


def test_a_gold_title_twice_is_an_error_not_a_double_count(seed, tmp_path):
    papers, tags = seed
    gold = pd.read_csv(SEED_GOLD, dtype=str, keep_default_na=False)
    path = tmp_path / "gold.csv"
    pd.concat([gold, gold.iloc[[3]]]).to_csv(path, index=False)
    with pytest.raises(ps.PaperscopeError, match=rf"gold.csv: the title of row {len(gold) + 2} repeats row 5"):
        tags.evaluate(path)


def test_embeddings_of_another_width_are_named(seed):
    papers, _ = seed
    narrow = np.eye(len(papers), 256, dtype=np.float32)  # e.g. the static backend's 256 columns
    with pytest.raises(ps.PaperscopeError, match="embeddings have 256 columns, the theme descriptions' embeddings 384"):
        ps.tag_themes(papers, embeddings=narrow, theme_embeddings=np.eye(len(ps.load_taxonomy().themes), 384))


def test_topic_tables_refuse_tags_of_other_papers():
    papers = ps.load(HF)
    topics = ps.fit_topics(papers.iloc[:60], backend="tfidf")
    with pytest.raises(ps.PaperscopeError, match=r"60 paper\(s\) of these topics were not tagged in this result"):
        ps.topic_themes(topics, ps.tag_themes(papers.iloc[60:120]))
    with pytest.raises(ps.PaperscopeError, match="were not tagged in this result"):
        ps.uncovered_topics(topics, ps.tag_themes(papers.iloc[60:120]))
    # tags of more papers than the topics hold are fine
    assert ps.topic_themes(topics, ps.tag_themes(papers)).to_numpy().sum() > 0


def test_topic_tables_refuse_a_tags_frame_of_other_papers():
    papers = ps.load(HF)
    topics = ps.fit_topics(papers.iloc[:60], backend="tfidf")
    with pytest.raises(ps.PaperscopeError, match=r"60 paper\(s\) have no row in this tags frame"):
        ps.topic_themes(topics, ps.tag_themes(papers.iloc[60:120]).frame)


def test_gold_labels_as_a_frame_name_the_blank_cell_and_title(seed):
    papers, tags = seed
    titles = papers["title"].iloc[:2].tolist()
    # a blank cell, as pandas reads it into a float column: the blank row is named, not the 1.0
    with pytest.raises(ps.PaperscopeError, match=r"gold column 'llms', row 3: expected 1, 0 or \?, found ''"):
        tags.evaluate(pd.DataFrame({"title": titles, "llms": [1.0, None]}))
    with pytest.raises(ps.PaperscopeError, match=r"gold: row 3 has no title"):
        tags.evaluate(pd.DataFrame({"title": [titles[0], None], "llms": [1, 0]}))
    scores = tags.evaluate(pd.DataFrame({"title": titles, "llms": [1.0, 0.0]})).set_index("theme")
    assert scores.loc["micro", "support"] + scores.loc["micro", "fp"] >= 1
