"""Search on the seed: the gold papers come first; the report's search box ranks as Python does."""

from __future__ import annotations

import csv
import shutil

import numpy as np
import pytest

import paperscope as ps
from paperscope.retrieval import BM25, document_terms, query_terms
from paperscope.search_box import search_box_html, search_index
from paperscope.tokens import acronym, bigrams, tokenize

from .conftest import ROOT, SEED

GOLD = ROOT / "seeds" / "seed_themes.csv"
HOSTILE = ROOT / "tests" / "data" / "hostile-page.txt"


def gold_titles(theme: str) -> set[str]:
    with GOLD.open(encoding="utf-8") as fh:
        return {row["title"] for row in csv.DictReader(fh) if row[theme] == "1"}


@pytest.fixture(scope="module")
def seed():
    return ps.load(SEED)


@pytest.fixture(scope="module")
def seed_embeddings(seed, tmp_path_factory):
    return ps.embed(seed, cache=tmp_path_factory.mktemp("cache") / "e.sqlite")


@pytest.mark.parametrize("semantic", [True, False])
def test_pinn_query_finds_exactly_the_three_pinn_papers(seed, seed_embeddings, semantic):
    found = ps.search(seed, "physics-informed neural networks", k=3, embeddings=seed_embeddings,
                      semantic=semantic)
    assert set(found["title"]) == gold_titles("pinns")
    assert found["rank"].tolist() == [1, 2, 3]


@pytest.mark.parametrize("semantic", [True, False])
def test_bayesian_optimization_papers_fill_the_top_three(seed, seed_embeddings, semantic):
    found = ps.search(seed, "Bayesian optimization", k=3, embeddings=seed_embeddings, semantic=semantic)
    # one of them never says "Bayesian optimization" in its title ("... chemical reaction optimizers")
    assert set(found["title"]) == gold_titles("bayesian_optimization")


@pytest.mark.parametrize("semantic", [True, False])
def test_diffusion_papers_fill_the_top_six(seed, seed_embeddings, semantic):
    found = ps.search(seed, "diffusion models", k=6, embeddings=seed_embeddings, semantic=semantic)
    assert len(set(found["title"]) & gold_titles("diffusion_models")) >= 5


def test_result_columns_scores_and_reasons(seed, seed_embeddings):
    found = ps.search(seed, "Bayesian optimization", k=5, embeddings=seed_embeddings)
    assert found.columns.tolist() == ["rank", "paper_id", "title", "score", "lexical", "semantic", "reason"]
    assert found["score"].is_monotonic_decreasing
    assert found["score"].between(0, 1).all() and found["semantic"].between(-1, 1).all()
    top = found.iloc[0]
    assert top["title"] == "A Tutorial on Bayesian Optimization"
    assert top["reason"].startswith("matches: bayesian ×6, optimization ×7, bayesian optimization ×5")
    assert top["reason"].endswith(f"similarity {top['semantic']:.2f}")
    assert found.attrs["words"] == ["bayesian", "optimization", "bayesian optimization", "bo"]


def test_lexical_only_needs_no_embeddings_and_returns_only_matching_papers(seed, monkeypatch):
    import paperscope.retrieval as search_module

    def forbidden(*args, **kwargs):
        raise AssertionError("lexical-only search must not embed")

    monkeypatch.setattr(search_module, "embed", forbidden)
    found = ps.search(seed, "Schrödinger bridge", k=10, semantic=False)
    assert found["semantic"].isna().all()
    assert (found["lexical"] > 0).all()
    assert found["title"].tolist()[:2] == [
        "Light Schrödinger Bridge", "Multi-marginal Schrödinger Bridges with Iterative Reference Refinement"]
    assert found["reason"].tolist()[2:] == ["matches: bridge ×1"]  # a paper that only says "bridge"
    assert ps.search(seed, "schrodinger bridges", k=2, semantic=False)["title"].tolist() == \
        found["title"].tolist()[:2]  # accents and plurals folded


@pytest.mark.parametrize("query", ["", "   ", "\n\t", None])
def test_an_empty_query_is_an_error(seed, query):
    with pytest.raises(ps.QueryError, match="empty"):
        ps.search(seed, query, semantic=False)


def test_stop_words_only_is_an_error_when_lexical(seed):
    with pytest.raises(ps.QueryError, match="no searchable word"):
        ps.search(seed, "the of a with", semantic=False)
    assert ps.search(seed, "the models of a", semantic=False).attrs["words"] == ["model"]


def test_phrases_of_common_research_words_are_searched_whole():
    """'code generation' searched 'generation' alone (image and video generation first): 'code', 'model',
    'benchmark' are academic stop words for keywords, not for a query."""
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    text = (papers["title"] + " " + papers["abstract"].fillna("")).str.lower()
    for query in ["code generation", "world model", "open source"]:
        found = ps.search(papers, query, k=10, semantic=False)
        assert query in found.attrs["words"]
        holding = text.str.contains(query.replace(" ", "[- ]"), regex=True)
        top = found["paper_id"].head(min(10, int(holding.sum())))
        # every one of the first results names the phrase (at least 8 in 10)
        assert holding[papers["paper_id"].isin(top)].mean() >= 0.8, query
    assert ps.search(papers, "benchmark", k=3, semantic=False)["reason"].str.contains("benchmark").all()


def test_an_acronym_the_corpus_uses_for_something_else_is_not_searched():
    """'open source' looked for 'os' too: 'OS agents' (operating systems) ranked first. But an acronym
    papers use without spelling it out ('OCR' here, 'LSTM', 'GPU') must still count."""
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    words = {q: ps.search(papers, q, semantic=False).attrs["words"] for q in [
        "open source", "mixture of experts", "chain of thought", "reinforcement learning",
        "optical character recognition"]}
    assert "os" not in words["open source"]  # 54 papers name open source, the 2 using 'OS' never do
    assert "moe" in words["mixture of experts"] and "me" not in words["mixture of experts"]
    assert "cot" in words["chain of thought"] and "rl" in words["reinforcement learning"]
    assert "ocr" in words["optical character recognition"]  # 5 papers use it, none spells it out
    with pytest.raises(ps.QueryError, match="no searchable word"):
        ps.search(papers, "with or without", semantic=False)  # stop words only: no 'wow'


def test_bad_k_and_mismatched_embeddings_are_errors(seed, seed_embeddings):
    for k in (0, True, 2.5):  # (True is no number of papers, though Python counts it as 1)
        with pytest.raises(ps.QueryError, match=f"k={k!r}: give a whole number of papers"):
            ps.search(seed, "diffusion", k=k, semantic=False)
    with pytest.raises(ps.QueryError, match="61 embeddings for 62 papers"):
        ps.search(seed, "diffusion", embeddings=seed_embeddings[:-1])


def test_ties_keep_paper_order_and_scores_are_rounded(seed, seed_embeddings):
    # float noise far below the rounding must not reorder the results
    noisy = seed_embeddings + np.float32(1e-7) * np.sign(seed_embeddings)
    a = ps.search(seed, "diffusion models", k=10, embeddings=seed_embeddings)
    b = ps.search(seed, "diffusion models", k=10, embeddings=noisy)
    assert a["paper_id"].tolist() == b["paper_id"].tolist()
    assert (a["semantic"] == a["semantic"].round(4)).all()


def test_tokenizer_bigrams_and_acronyms():
    assert tokenize("PINNs for Physics-Informed Neural Networks") == [
        "pinn", "physics", "informed", "neural", "network"]
    assert bigrams("Bayesian optimization of transport simulations") == [
        "bayesian optimization", "transport simulation"]
    assert acronym("large language models") == "llm"
    assert acronym("diffusion") is None
    assert acronym("diffusion models") is None  # "dm": two letters, one from a generic word
    assert acronym("Bayesian optimization") == "bo"
    assert query_terms("graph neural networks") == [
        "graph", "neural", "network", "graph neural", "neural network", "gnn"]
    assert query_terms("mixture of experts") == ["mixture", "expert", "me", "moe"]


def test_bm25_by_hand():
    """Two documents, N = 2, k1 = 1.2, b = 0.75.

    doc 0 = [a, a, b] (length 3), doc 1 = [b] (length 1); avgdl = 2.
    idf(a) = ln(1 + (2 - 1 + 0.5) / (1 + 0.5)) = ln 2.
    doc 0, term a: tf = 2, norm = 1.2 * (0.25 + 0.75 * 3 / 2) = 1.65;
    score = ln 2 * 2 * 2.2 / (2 + 1.65) = ln 2 * 4.4 / 3.65.
    """
    bm25 = BM25.fit([["a", "a", "b"], ["b"]])
    scores = bm25.scores(["a"])
    assert scores[0] == pytest.approx(np.log(2) * 4.4 / 3.65)
    assert scores[1] == 0


def test_search_index_is_compact_and_holds_links(tmp_path):
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    index = search_index(papers)
    assert len(index["papers"]) == len(index["lengths"]) == 494
    title, date, links = index["papers"][0]
    assert title == papers["title"].iloc[0] and date == f"{papers['listed_on'].iloc[0]:%Y-%m-%d}"
    assert links[0] == ["arXiv", f"https://arxiv.org/abs/{papers['arxiv_id'].iloc[0]}"]
    assert links[1][0] == "HF"
    html = search_box_html(index)
    assert len(html.encode()) < 1_000_000, "the box must keep a report page small"
    # postings decode back to BM25's document frequencies
    # postings decode back to the papers (and counts) that hold the term
    flat = index["terms"]["diffusion"]
    docs, counts = np.cumsum(flat[0::2]).tolist(), flat[1::2]
    expected = [(i, terms.count("diffusion")) for i, terms in enumerate(
        document_terms(t, a if isinstance(a, str) else None)
        for t, a in zip(papers["title"], papers["abstract"], strict=True)) if "diffusion" in terms]
    assert list(zip(docs, counts, strict=True)) == expected
    assert len(expected) > 20


NODE = shutil.which("node")
QUERIES = ["physics-informed neural networks", "Bayesian optimization", "diffusion models",
           "Schrödinger bridges", "large language models", "reinforcement learning from human feedback",
           "code generation", "open source", "mixture of experts", "chain of thought", "state space model",
           "optical character recognition", "difusion langauge modle", "LLMs在医学中的应用"]


@pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
def test_search_box_script_ranks_like_python_under_node(tmp_path):
    """The box's own script (no DOM) on the HF corpus gives Python's lexical ranking, scores included."""
    import json
    import subprocess

    from paperscope.search_box import SCRIPT

    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    (tmp_path / "index.json").write_text(json.dumps(search_index(papers)), encoding="utf-8")
    runner = tmp_path / "run.js"
    runner.write_text(
        f"const box = require({json.dumps(str(SCRIPT))});\n"
        "const index = JSON.parse(require('fs').readFileSync(process.argv[2], 'utf8'));\n"
        "const search = box.makeSearch(index);\n"
        f"const queries = {json.dumps(QUERIES)};\n"
        "console.log(JSON.stringify(queries.map((q) => search(q, 10).hits.map((h) => [h.doc, h.score]))));\n")
    out = subprocess.run([NODE, str(runner), str(tmp_path / "index.json")], capture_output=True, text=True,
                         check=True, timeout=120)
    for query, hits in zip(QUERIES, json.loads(out.stdout), strict=True):
        expected = ps.search(papers, query, k=10, semantic=False)
        position = {pid: i for i, pid in enumerate(papers["paper_id"])}
        assert [d for d, _ in hits] == [position[p] for p in expected["paper_id"]], query
        assert [s for _, s in hits] == pytest.approx(expected["score"].tolist(), abs=1e-4), query


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")
def test_search_box_in_a_browser_ranks_like_python_and_shows_titles_as_text(tmp_path):
    from playwright.sync_api import sync_playwright

    from .test_report_browser import open_page

    papers = ps.load(SEED, HOSTILE)
    page_path = tmp_path / "box.html"
    page_path.write_text("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>"
                         + search_box_html(search_index(papers), k=5) + "</body></html>", encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page, errors, blocked = open_page(browser, page_path, figures=False)
        page.wait_for_function("document.querySelector('.paperscope-search').dataset.ready === '1'")
        box = page.locator(".paperscope-search")
        for query in ["physics-informed neural networks", "Bayesian optimization", "diffusion models",
                      "Schrödinger bridges"]:
            box.locator("input").fill(query)
            shown = box.locator(".ps-title").all_inner_texts()
            expected = ps.search(papers, query, k=5, semantic=False)["title"].tolist()
            assert shown == expected, query
        box.locator("input").fill("attention closing tags")
        shown = box.locator(".ps-title").all_inner_texts()
        assert '<script>window.__pwned = "title-script";</script>Attention Is Not All You Need' in shown
        assert "</div></div></main><h1 id=\"injected\">Injected heading</h1> Closing Tags in Titles" in shown
        assert page.evaluate("window.__pwned") is None
        assert page.locator("#injected").count() == 0
        hrefs = box.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert all(h.startswith("https://") for h in hrefs)
        box.locator("input").fill("the of a")
        assert box.locator(".ps-title").count() == 0
        assert "No paper contains" in box.locator(".ps-search-status").inner_text()
        assert errors == [] and blocked == []
        browser.close()


def test_a_query_nothing_matches_returns_no_papers(seed):
    # unknown words: no paper shares a word or any similarity (it returned the first 10, score 0)
    found = ps.search(seed, "zzzzqqq xyzzy", backend="tfidf")
    assert found.empty and list(found.columns) == list(ps.search(seed, "diffusion", backend="tfidf").columns)
    some = ps.search(seed, "diffusion", backend="tfidf", k=100)
    assert len(some) and ((some["lexical"] > 0) | (some["semantic"] > 0)).all()


def test_embeddings_of_another_backend_are_named(seed, seed_embeddings):
    with pytest.raises(ps.QueryError, match=r"the embeddings have 100 columns, the 'minilm' backend's 384"):
        ps.search(seed, "diffusion", embeddings=seed_embeddings[:, :100])


def test_an_empty_corpus_finds_nothing(seed):
    for options in ({"backend": "tfidf"}, {"semantic": False}):
        assert ps.search(seed.iloc[:0], "agents", **options).empty


def test_tfidf_on_a_handful_of_papers_compares_their_terms(seed):
    # one paper: an SVD kept one axis, so any query was 'similarity 1.00' to it
    one = seed.iloc[:1]
    assert ps.search(one, "protein folding cryo-electron", backend="tfidf").empty
    title_word = [w for w in one["title"].iloc[0].split() if len(w) > 6][0]
    hit = ps.search(one, title_word, backend="tfidf")
    assert len(hit) == 1 and 0 < hit["semantic"].iloc[0] < 1


def test_the_result_says_when_no_paper_holds_a_query_word():
    papers = ps.load(SEED)
    found = ps.search(papers, "quasicrystal phonons", k=3, backend="tfidf")
    assert found.attrs["with_word"] == 0
    assert ps.search(papers, "diffusion", k=3, backend="tfidf").attrs["with_word"] > 0


def test_a_misspelled_query_builds_no_acronym(seed):
    """'difusion langauge modle' made 'dlm' and ranked a paper on denoising LMs for speech by it."""
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    right = ps.search(papers, "diffusion language model", semantic=False)
    assert "dlm" in right.attrs["words"]  # every word is the corpus's: its initials are a name
    wrong = ps.search(papers, "difusion langauge modle", semantic=False, k=5)
    assert "dlm" not in wrong.attrs["words"] and wrong.attrs["with_word"] == 0 and wrong.empty


def test_a_tfidf_search_embeds_the_query_in_the_corpus_space_fitted_once(seed, monkeypatch):
    """Every query refitted TF-IDF and its SVD with the query inside (7-13 s a query on 3,074 papers)."""
    from paperscope import embeddings, retrieval
    from paperscope.embeddings import paper_texts, tfidf_space

    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    texts = paper_texts(papers)
    space = tfidf_space(texts)
    # a text of the corpus lands on its own vector: the query is read exactly as the papers were
    assert np.abs(space.embed(texts[7]) - space.vectors[7]).max() < 1e-6
    fits = []
    monkeypatch.setattr(retrieval, "tfidf_space", lambda *a, **k: fits.append(1) or embeddings.tfidf_space(*a, **k))
    first = ps.search(papers, "diffusion language models", backend="tfidf")
    second = ps.search(papers, "bayesian optimization", backend="tfidf")
    assert len(fits) <= 1 and len(first) and len(second)


def test_one_paper_holding_an_acronym_and_the_phrase_by_chance_keeps_no_acronym():
    """'chain of thought' kept 'ct' (computed tomography in 36 arXiv cs papers) because one CT paper
    also spoke of a chain of thought; the initials with 'of', 'cot', are the acronym."""
    from paperscope import schema

    texts = ([("CT scan segmentation", "We segment CT volumes.")] * 6
             + [("Chain of thought for CT report generation", "A chain of thought reads the CT scan.")]
             + [("Chain-of-thought prompting", "Chain of thought (CoT) helps reasoning.")] * 8)
    corpus = schema.from_records({"paper_id": f"p{i}", "title": t, "abstract": a, "source": "t", "source_format": "t",
                                  "position": i + 1, "n_words": len(a.split())} for i, (t, a) in enumerate(texts))
    assert ps.search(corpus, "chain of thought", semantic=False).attrs["words"] == ["chain", "thought", "cot"]


def test_plurals_beside_other_scripts_fold_as_the_search_box_folds_them():
    from paperscope.tokens import words

    assert words("LLMs在医学中的应用") == ["llm"]  # (Python kept 'llms': its word boundary counted 在 as a letter)
    assert words("neural\u20ddnetworks") == ["neuralnetwork"]  # an enclosing mark is dropped, as /\p{M}/ drops it
