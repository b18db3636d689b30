"""Theme tagging: the taxonomy file, case and veto rules, evidence, and scores against hand labels."""

from __future__ import annotations

import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema

from .conftest import GOLD, ROOT, SEED

HOLDOUT = ROOT / "tests" / "data" / "holdout-page.txt"
HOLDOUT_GOLD = ROOT / "tests" / "data" / "holdout_themes.csv"
GOLD_THEMES = ["diffusion_models", "pinns", "bayesian_optimization", "llms", "reinforcement_learning",
               "parameter_efficient_finetuning", "neural_pde_solvers", "model_compression",
               "continual_learning", "astro_cosmology", "hyperparameter_optimization", "bayesian_inference"]


def papers_from(*pairs):
    """A schema frame from (title, abstract) pairs."""
    return schema.from_records(
        {"paper_id": f"p{i}", "title": t, "abstract": a, "source": "test", "source_format": "test",
         "position": i + 1, "n_words": len(a.split())}
        for i, (t, a) in enumerate(pairs)
    )


def themes_of(tags, pid):
    frame = tags.frame
    return set(frame.loc[(frame["paper_id"] == pid) & frame["theme"].notna(), "theme"])


def test_default_taxonomy_has_the_gold_themes_and_more():
    tax = ps.load_taxonomy()
    assert set(GOLD_THEMES) <= set(tax.ids)
    assert {"graph_neural_networks", "computer_vision", "robotics", "agents", "uncertainty_quantification",
            "optimization_theory", "generative_models", "scientific_ml"} <= set(tax.ids)
    assert tax["diffusion_models"].parent == "generative_models"
    assert all(t.description for t in tax.themes)


def test_seed_scores_meet_the_bar():
    """Precision >= 0.95 and recall >= 0.90 for every theme with at least 2 positives."""
    papers = ps.load(SEED)
    scores = ps.evaluate_themes(papers, ps.tag_themes(papers), GOLD).set_index("theme")
    bar = scores[(scores["support"] >= 2) & (scores.index != "micro")]
    assert len(bar) == 11
    assert (bar["precision"] >= 0.95).all(), bar[["precision", "recall"]]
    assert (bar["recall"] >= 0.90).all(), bar[["precision", "recall"]]


def test_holdout_scores_on_papers_the_patterns_were_not_written_for():
    """61 papers from NeurIPS, HF Daily Papers and the arXiv snapshot, hand-labelled (tests/data)."""
    papers = ps.load(HOLDOUT)
    scores = ps.evaluate_themes(papers, ps.tag_themes(papers), HOLDOUT_GOLD).set_index("theme")
    micro = scores.loc["micro"]
    assert micro["support"] == 30
    assert micro["precision"] >= 0.9 and micro["recall"] >= 0.85


def test_naive_keyword_traps():
    papers = papers_from(
        ("Flow and adsorption in a gas chromatograph",
         "We model diffusion of the solute in the column. Diffusion coefficients and the diffusion equation "
         "are solved numerically; molecular diffusion dominates."),
        ("B-spline collocation for Riesz fractional diffusion equations",
         "We study the fractional diffusion equation and diffusion terms with B-splines."),
        ("Denoising diffusion models for molecules", "Diffusion models generate molecules."),
        ("Cosmological Bayesian inference with neural emulators",
         "We sample the posterior distribution with MCMC and report credible intervals."),
        ("Pins and needles", "We study pins, pinning and the PINS protein."),
        ("PINNs for the heat equation", "Physics-informed neural networks solve the heat equation."),
    )
    tags = ps.tag_themes(papers)
    assert "diffusion_models" not in themes_of(tags, "p0")
    assert "diffusion_models" not in themes_of(tags, "p1")
    assert "diffusion_models" in themes_of(tags, "p2")
    assert "bayesian_inference" in themes_of(tags, "p3")
    assert "bayesian_optimization" not in themes_of(tags, "p3")
    assert "pinns" not in themes_of(tags, "p4")
    assert {"pinns", "neural_pde_solvers", "scientific_ml"} <= themes_of(tags, "p5")


def test_acronyms_are_case_sensitive_and_whole_words():
    papers = papers_from(
        ("Efficient LoRA variants", "We compare QLoRA and LoRA."),
        ("Exploring lora networks", "Long-range radio (lora) for sensors; explorations of gallora."),
        ("Tuning LLMs", "LLMs and LLM agents."),
        ("A note on bo", "The bo staff is a weapon; BOX and BOB are words."),
    )
    tags = ps.tag_themes(papers)
    assert "parameter_efficient_finetuning" in themes_of(tags, "p0")
    assert "parameter_efficient_finetuning" not in themes_of(tags, "p1")
    assert "llms" in themes_of(tags, "p2")
    assert "bayesian_optimization" not in themes_of(tags, "p3")


def test_one_passing_mention_in_the_abstract_is_not_a_theme():
    papers = papers_from(
        ("A graph partitioning algorithm", "Unlike reinforcement learning baselines, our method is exact."),
        ("A graph partitioning algorithm II",
         "We train the partitioner with reinforcement learning; the RL agent beats heuristics."),
    )
    tags = ps.tag_themes(papers)
    assert themes_of(tags, "p0") == set()
    assert "reinforcement_learning" in themes_of(tags, "p1")
    # "ranging from X to Y": both are examples, in the first sentence too (a review session's class)
    ranged = ps.tag_themes(papers_from(
        ("Low-light scene text", "Scene text recognition serves applications ranging from autonomous driving to "
                                 "smart retail. We restore dark images before reading them."),
        ("Low-light scene text II", "Scene text recognition matters for autonomous driving. We restore dark images."),
    ))
    assert "robotics" not in themes_of(ranged, "p0") and "robotics" in themes_of(ranged, "p1")


def test_tags_carry_evidence_and_untagged_papers_stay_visible():
    papers = papers_from(
        ("Physics-informed Gaussians", "A PINN alternative."),
        ("On the history of typewriters", "Typewriters were common."),
    )
    tags = ps.tag_themes(papers)
    frame = tags.frame
    pinn = frame[(frame["paper_id"] == "p0") & (frame["theme"] == "pinns")].iloc[0]
    assert pinn["field"] == "title" and pinn["evidence"] == "[Physics-informed] Gaussians"
    assert pinn["title_matches"] == 1 and pinn["abstract_matches"] == 1 and pinn["score"] == 3
    assert pinn["method"] == "rule" and pinn["label"] == "Physics-informed neural networks"
    parent = frame[(frame["paper_id"] == "p0") & (frame["theme"] == "neural_pde_solvers")].iloc[0]
    assert parent["field"] == "via pinns"
    none = frame[frame["paper_id"] == "p1"]
    assert len(none) == 1 and pd.isna(none.iloc[0]["theme"])
    assert ps.untagged(papers, tags)["paper_id"].tolist() == ["p1"]
    matrix = ps.theme_matrix(papers, tags)
    assert matrix.shape == (2, len(ps.load_taxonomy().ids))
    assert not matrix.loc["p1"].any() and matrix.loc["p0", "pinns"]


def test_evidence_window_is_short_and_marks_the_match():
    pad = "word " * 100
    long = pad + "we use Bayesian optimization here and Bayesian optimization there " + pad
    tags = ps.tag_themes(papers_from(("Untitled", long))).frame
    ev = tags[tags["theme"] == "bayesian_optimization"].iloc[0]["evidence"]
    assert ev.startswith("…") and ev.endswith("…") and "[Bayesian optimization]" in ev
    assert len(ev) < 160


def test_prevalence_and_cooccurrence_counts():
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers)
    prev = ps.theme_prevalence(papers, tags).set_index("theme")
    matrix = ps.theme_matrix(papers, tags)
    assert prev.loc["diffusion_models", "papers"] == matrix["diffusion_models"].sum() == 6
    assert prev.loc["diffusion_models", "share"] == pytest.approx(6 / 62)
    co = ps.theme_cooccurrence(papers, tags)
    assert co.loc["pinns", "pinns"] == 3
    assert co.loc["pinns", "neural_pde_solvers"] == 3  # every PINN paper is a neural PDE solver paper
    assert (co.to_numpy() == co.to_numpy().T).all()


USER_THEME = """
[themes.symbolic_regression]
label = "Symbolic regression"
description = "Discovering closed-form expressions from data."
phrases = ['symbolic (?:regression|expressions?)', 'equation discovery']
"""


def test_a_user_theme_is_a_file_edit(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(USER_THEME)
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers, path)
    hits = tags.frame[tags.frame["theme"] == "symbolic_regression"].merge(papers, on="paper_id")
    prose = "PROSE: Predicting Operators and Symbolic Expressions using Multimodal Transformers"
    assert prose in set(hits["title"])
    tax = ps.load_taxonomy(path)
    assert "symbolic_regression" in tax.ids and "pinns" in tax.ids  # added to the defaults
    prevalence = ps.plotting.theme_prevalence_chart(ps.theme_prevalence(papers, tags, tax))
    assert "Symbolic regression" in prevalence.data[0].y
    grid = ps.plotting.theme_matrix_chart(tags)
    assert "Symbolic regression" in grid.data[0].x
    only = ps.load_taxonomy(path, include_default=False)
    assert only.ids == ["symbolic_regression"]


def test_evaluation_counts_and_ignores_ambiguous_labels(tmp_path):
    papers = papers_from(
        ("Diffusion models for images", "Diffusion models."),
        ("Diffusion models for audio", "Diffusion models."),
        ("Typewriters", "History."),
        ("Diffusion models for text", "Diffusion models."),
    )
    gold = tmp_path / "gold.csv"
    gold.write_text("title,diffusion_models\nDiffusion models for images,1\nDiffusion models for audio,0\n"
                    "Typewriters,1\nDiffusion models for text,?\n")
    row = ps.evaluate_themes(papers, ps.tag_themes(papers), gold).set_index("theme").loc["diffusion_models"]
    assert (row["tp"], row["fp"], row["fn"], row["ignored"]) == (1, 1, 1, 1)
    assert row["precision"] == 0.5 and row["recall"] == 0.5 and row["f1"] == 0.5


def test_evaluation_rejects_gold_for_another_corpus(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text("title,llms\nA paper that is not there,1\n")
    with pytest.raises(ps.PaperscopeError, match="not among the papers"):
        ps.evaluate_themes(ps.load(SEED), ps.tag_themes(ps.load(SEED)), gold)


def test_user_themes_survive_the_wide_view_and_the_evaluation(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(USER_THEME)
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers, path)
    matrix = ps.theme_matrix(papers, tags)  # no taxonomy passed: the user theme must not vanish
    assert "symbolic_regression" in matrix.columns and matrix["symbolic_regression"].sum() >= 1
    gold = tmp_path / "gold.csv"
    prose = "PROSE: Predicting Operators and Symbolic Expressions using Multimodal Transformers"
    gold.write_text(f"title,symbolic_regression\n{prose},1\n")
    row = ps.evaluate_themes(papers, tags, gold).set_index("theme").loc["symbolic_regression"]
    assert row["tp"] == 1 and row["fn"] == 0


DIFFUSION_LMS = [
    "dParallel: Learnable Parallel Decoding for dLLMs",
    "FourierSampler: Unlocking Non-Autoregressive Potential in Diffusion Language Models via "
    "Frequency-Guided Generation",
    "DIFFA-2: A Practical Diffusion Large Language Model for General Audio Understanding",
    "dLLM: Simple Diffusion Language Modeling",
    "dMoE: dLLMs with Learnable Block Experts",
    "When Confidence Misleads: Suffix Anchoring and Anchor-Proximity Confidence Modulation for "
    "Diffusion Language Models",
    "GDSD: Reinforcement Learning as Guided Denoiser Self-Distillation for Diffusion Language Models",
    "Multi-Block Diffusion Language Models",
]


def test_diffusion_language_models_on_real_titles():
    """The 494 HF Daily Papers of data/: exactly the diffusion-LM papers, not a masked diffusion
    model for cells ("Lingshu-Cell") nor a denoising LM for speech ("Denoising LM (DLM)")."""
    papers = ps.load(ROOT / "data" / "hf-daily-papers")
    tags = ps.tag_themes(papers)
    frame = tags.frame.merge(papers[["paper_id", "title"]], on="paper_id")
    dlm = frame[frame["theme"] == "diffusion_language_models"]
    assert sorted(dlm["title"].str.replace(r"\s+", " ", regex=True)) == sorted(DIFFUSION_LMS)
    assert (dlm["field"] == "title").all()
    parents = frame[frame["paper_id"].isin(dlm["paper_id"]) & frame["theme"].isin(["diffusion_models",
                                                                                  "generative_models"])]
    assert len(parents) == 2 * len(dlm)
    assert tags.labels["diffusion_language_models"] == "Diffusion language models"
    assert tags.taxonomy["diffusion_language_models"].parent == "diffusion_models"
    traps = papers_from(
        ("Lingshu-Cell: a masked discrete diffusion model for transcriptomes",
         "A masked discrete diffusion model learns cell states; discrete diffusion over genes."),
        ("Denoising LM: error correction for speech recognition", "Denoising LM (DLM) corrects ASR output."),
        ("Discrete diffusion for text", "We train masked diffusion language models (MDLMs) and LLaDA."),
    )
    tagged = ps.tag_themes(traps)
    assert "diffusion_language_models" not in themes_of(tagged, "p0") | themes_of(tagged, "p1")
    assert "diffusion_language_models" in themes_of(tagged, "p2")


def test_whole_words_next_to_each_other_are_all_counted():
    """RE2 has no lookaround: the word edges are consumed, and matches that share one are all found."""
    papers = papers_from(
        ("Untitled", "LLMs LLMs,LLMs (LLMs)-LLMs. xLLMs LLMsx"),
        ("Über Schrödinger bridges für alle", "Schrödinger bridges… und Schrödinger bridges."),
        ("C-PINNs", "PINN-PINN and cPINNs"),
    )
    frame = ps.tag_themes(papers).frame.set_index(["paper_id", "theme"])
    assert frame.loc[("p0", "llms"), "abstract_matches"] == 5
    row = frame.loc[("p1", "generative_models")]
    assert row["evidence"] == "Über [Schrödinger bridges] für alle"
    assert (row["title_matches"], row["abstract_matches"]) == (1, 2)
    assert frame.loc[("p2", "pinns"), "evidence"] == "[C-PINNs]"
    assert frame.loc[("p2", "pinns"), "abstract_matches"] == 3


def eval_papers(*eval_ids):
    """Papers of the hand-labelled evaluation set (tests/data/theme_eval), by id."""
    import json

    rows = {r["eval_id"]: r for r in map(json.loads, (ROOT / "tests/data/theme_eval/papers.jsonl").open())}
    return papers_from(*((rows[i]["title"], rows[i]["abstract"]) for i in eval_ids))


def test_examples_in_an_enumeration_are_not_the_papers_subject():
    # Real abstracts (dev split) that name a theme only as examples of applications, or in a
    # proceedings volume's list of contents; the labels say none of them is about it.
    papers = eval_papers("neurips-4cf962597d",  # "...such as recommender systems and computer vision."
                         "hf-23d1f52323",  # "...in applications like robotics, wearables, and remote sensing"
                         "litstudy-d83fc6699f")  # a proceedings volume: "...; modelling of robot dynamics ...;"
    tags = ps.tag_themes(papers)
    assert "computer_vision" not in themes_of(tags, "p0")
    assert "robotics" not in themes_of(tags, "p1")
    assert themes_of(tags, "p2") & {"robotics", "computer_vision"} == set()
    # The same examples count once the abstract also names the theme in its own words.
    text = papers["abstract"].iloc[0] + " We evaluate on computer vision benchmarks."
    more = papers_from(("Structured matrix recovery", text))
    assert "computer_vision" in themes_of(ps.tag_themes(more), "p0")


def test_words_that_only_look_like_a_theme():
    papers = papers_from(
        ("Continual GUI agents", "GUI environments are in flux. We introduce GUI-Anchoring in Flux, a framework."),
        ("Image editing with FLUX.1", "We fine-tune FLUX.1-dev for instruction-based editing."),
        ("Respiratory sound classification", "Audio spectrogram transformers trained with SAM-optimized "
                                             "weights. Sharpness-aware minimization (SAM) improves sensitivity."),
        ("(More) efficient reinforcement learning via posterior sampling",
         "We study posterior sampling for reinforcement learning in finite MDPs."),
        ("Evolution-guided policy gradient", "An evolutionary algorithm feeds data to train an RL agent, and "
                                             "reinserts the RL agent into the population."),
    )
    tags = ps.tag_themes(papers)
    assert "diffusion_models" not in themes_of(tags, "p0")
    assert "diffusion_models" in themes_of(tags, "p1")
    assert "computer_vision" not in themes_of(tags, "p2")
    assert "bayesian_inference" not in themes_of(tags, "p3")
    assert "agents" not in themes_of(tags, "p4")


def test_weak_words_count_in_the_title_and_beside_the_themes_own_words(tmp_path):
    # "agent" is also RL's learner, game theory's player, an economic actor (NeurIPS: 105 of 168
    # agents tags rested on it): in the abstract it counts only beside the theme's own words or its
    # weak_context; in the title it counts alone
    papers = papers_from(
        ("Repeated inverse reinforcement learning",
         "The agent has to act on behalf of a human. We show the agent learns the reward, and the agent is safe."),
        ("Selfish routing", "Selfish agents choose routes; we bound how much the agents lose at equilibrium."),
        ("Strategic bidding in spectrum auctions",
         "We use large language models as bidding agents. The agents bid in repeated auctions."),
        ("Benchmarking tool use", "Agents that call tools: we study tool use of agents in long tasks."),
        ("Morae: pausing UI agents for user choices", "We study when to pause for the user."))
    tags = ps.tag_themes(papers)
    assert [("agents" in themes_of(tags, f"p{i}")) for i in range(5)] == [False, False, True, True, True]
    # the same keys in a user's theme
    user = tmp_path / "t.toml"
    user.write_text("[themes.fruit]\nlabel = 'Fruit'\ndescription = 'Fruit.'\nphrases = ['apples?']\n"
                    "weak = ['pears?']\nweak_context = ['orchards?']\n", encoding="utf-8")
    mine = ps.load_taxonomy(user, include_default=False)
    fruit = papers_from(("A", "Pears and pears."), ("B", "Pears and pears in an orchard."),
                        ("C", "An apple beside pears."), ("Pears", "Nothing else."))
    tags = ps.tag_themes(fruit, mine)
    assert [("fruit" in themes_of(tags, f"p{i}")) for i in range(4)] == [False, True, True, True]


def test_a_theme_can_keep_its_first_sentence_mentions_out(tmp_path):
    text = ("Hand reconstruction is essential for robotics and healthcare. We regress a hand mesh from one "
            "image with a small network.")
    papers = papers_from(("Fast hand mesh reconstruction", text))
    on = tmp_path / "on.toml"
    on.write_text("[rules]\nfirst_sentence = true\n[themes.robots]\nlabel = 'Robots'\ndescription = 'Robots.'\n"
                  "phrases = ['robotics']\n", encoding="utf-8")
    off = tmp_path / "off.toml"
    off.write_text(on.read_text(encoding="utf-8") + "first_sentence = false\n", encoding="utf-8")
    assert "robots" in themes_of(ps.tag_themes(papers, ps.load_taxonomy(on, include_default=False)), "p0")
    assert "robots" not in themes_of(ps.tag_themes(papers, ps.load_taxonomy(off, include_default=False)), "p0")
    assert "robotics" not in themes_of(ps.tag_themes(papers), "p0")  # the default robotics theme sets it


def test_one_mention_of_diffusion_as_the_authors_method_counts():
    # Sentences of real abstracts (HF Daily Papers and arXiv cs listings, 2025-26), one mention each.
    papers = papers_from(
        ("Towards open-vocabulary industrial defect understanding",
         "We build a dataset of one million images. Building upon IMDD-1M, we train a diffusion-based "
         "vision-language foundation model from scratch, specifically adapted for industrial scenarios."),
        ("The GAN is dead; long live the GAN! A modern GAN baseline",
         "There is a widely-spread claim that GANs are difficult to train. Our GAN trains stably on FFHQ, "
         "ImageNet, CIFAR and Stacked MNIST datasets, and compares favorably against state-of-the-art GANs "
         "and diffusion models."),
        ("Learning visual feature-based world models",
         "World models predict the future. We learn world models in a feature space, while being orders "
         "of magnitude faster than video diffusion."),
        ("MambaSeg: image-event semantic segmentation",
         "Event cameras complement frames. To address cross-modal ambiguity, we introduce the "
         "Dual-Dimensional Interaction Module (DDIM), comprising a cross-spatial interaction module."),
    )
    tags = ps.tag_themes(papers)
    assert "diffusion_models" in themes_of(tags, "p0")
    assert "diffusion_models" not in themes_of(tags, "p1")  # a comparison, not the method
    assert "diffusion_models" not in themes_of(tags, "p2")
    assert "diffusion_models" not in themes_of(tags, "p3")  # an acronym defined as something else
    # Only diffusion and RL take one such mention (on for every method theme it cost precision on the holdout).
    taxonomy = ps.load_taxonomy()
    assert [t.id for t in taxonomy.themes if t.own_method] == ["diffusion_models", "reinforcement_learning"]


@pytest.mark.parametrize(("eval_id", "theme", "named", "not_named"), [
    # A real abstract (dev split, arXiv cs 2026) that trains with RL and says so once ("we further
    # propose ... Agentic Reinforcement Learning"), labelled RL; sentences of an arXiv cs abstract
    # (2604.23611) whose method is RL, named once; a comparison with RL is not RL.
    pytest.param("arxiv-378839499a", "reinforcement_learning",
                 ("Antenna position optimization for MA-assisted OTFS",
                  "We formulate an MA position optimization problem. Due to the highly non-convex character "
                  "of the problem, we further develop a deep reinforcement learning (DRL) strategy to "
                  "intelligently optimize MA positions."),
                 ("Supervised routing", "Query routing decides which model answers. We route queries with a "
                                        "supervised classifier that is cheaper than reinforcement learning "
                                        "baselines."),
                 id="rl-said-once-as-own-method"),
    # A real NeurIPS 2018 abstract (dev split) that says "low-bitwidth neural networks" and
    # "heterogeneously quantized": compression, as labelled. Binarizing an image is not.
    pytest.param("neurips-7082ac71ca", "model_compression",
                 ("Compact speech encoders", "We apply low-rank compression to the encoder. A low-rank "
                                             "approximation of the weight matrices halves the encoder's size."),
                 ("Document image binarization", "We binarize historical document images. Document binarization "
                                                 "separates ink from a degraded low-bit scan background."),
                 id="compression-by-fewer-bits-or-lower-rank"),
    # A real NeurIPS 2016 abstract (dev split): marginal inference in graphical models, labelled
    # Bayesian inference. MAP inference and approximate inference for structured prediction are not.
    pytest.param("neurips-3f87f5a949", "bayesian_inference",
                 ("Expectation propagation for latent Gaussian models",
                  "We improve expectation propagation for approximate inference in latent Gaussian models."),
                 ("MAP inference in chains", "We solve MAP inference in chain-structured models by column "
                                             "generation, an approximate inference routine for structured "
                                             "prediction."),
                 id="approximate-inference-in-probabilistic-models"),
    # A real HF abstract (dev split) that never says "diffusion" and says "optimize the extended latent
    # during denoising ... the denoising trajectories": labelled diffusion. Classic image denoising is not.
    pytest.param("hf-beab3a5b8a", "diffusion_models", None,
                 ("Wavelet shrinkage for image denoising",
                  "Image denoising removes sensor noise. During denoising, our wavelet filter keeps edges; the "
                  "denoising autoencoder baseline blurs them."),
                 id="diffusion-named-by-its-denoising-steps"),
    # A real arXiv cs abstract (dev split): a deep-learning framework that recovers precipitation from
    # infrared radiances, labelled scientific ML; the title and sentences of a NeurIPS 2015 abstract
    # (precipitation nowcasting with a convolutional LSTM). "Downscaling" in a neural codec is not earth science.
    pytest.param("arxiv-d7bc31fd5f", "scientific_ml",
                 ("Convolutional LSTM network: a machine learning approach for precipitation nowcasting",
                  "The goal of precipitation nowcasting is to predict the future rainfall intensity in a local "
                  "region over a relatively short period of time. We formulate precipitation nowcasting as a "
                  "spatiotemporal sequence forecasting problem."),
                 ("Surrogate gradients for neural codec wrappers",
                  "We train neural codec wrappers with a projection-based surrogate gradient. The wrapper is "
                  "effective for learning downscaling operations and their inverse in learned image codecs."),
                 id="climate-and-earth-science-learned"),
    # Sentences of an HF abstract (MetaFaith, 2025) and an arXiv cs one (uncertainty estimators for
    # hallucination): how sure an LLM is, said without "uncertainty quantification". A calibrated
    # camera is not uncertainty quantification.
    pytest.param(None, "uncertainty_quantification",
                 ("Faithful uncertainty expression in LLMs",
                  "LLMs should express their uncertainty in words. We study faithful uncertainty expression "
                  "and compare uncertainty estimators across hallucination benchmarks."),
                 ("Multi-view stereo with calibrated cameras",
                  "We reconstruct scenes from calibrated cameras. The calibrated rig removes the need for "
                  "self-calibration of the intrinsics."),
                 id="uncertainty-of-a-model-in-other-words"),
    # An arXiv cs abstract (HAC, 2026): a parameter-efficient framework that adapts a pretrained CLIP.
    # "Parameter-efficient" as a property of a small architecture (EMOv2, an HF abstract of the dev
    # split, labelled not PEFT) is not fine-tuning.
    pytest.param(None, "parameter_efficient_finetuning",
                 ("HAC: Parameter-Efficient Hyperbolic Adaptation of CLIP for Zero-Shot VQA",
                  "We propose HAC, a parameter-efficient framework that enables pretrained CLIP models to "
                  "transition into hyperbolic space via lightweight fine-tuning."),
                 ("EMOv2: Pushing 5M Vision Model Frontier",
                  "This work focuses on developing parameter-efficient and lightweight models for dense "
                  "predictions while trading off parameters, FLOPs, and performance. Our goal is to set up the "
                  "new frontier of the 5M magnitude lightweight model on various downstream tasks."),
                 id="parameter-efficient-fine-tuning-not-a-small-model"),
])
def test_a_themes_own_vocabulary_and_its_look_alikes(eval_id, theme, named, not_named):
    if eval_id is not None:
        assert theme in themes_of(ps.tag_themes(eval_papers(eval_id)), "p0")
    pairs = ([named] if named else []) + [not_named]
    tags = ps.tag_themes(papers_from(*pairs))
    if named:
        assert theme in themes_of(tags, "p0")
    assert theme not in themes_of(tags, f"p{len(pairs) - 1}")


def test_science_and_calibration_words_used_otherwise_are_no_tag():
    # Look-alikes of the earth-science, chemistry and calibration phrases (a review session's list);
    # each paper also mentions learning, so the scientific-ML 'requires' does not stop them.
    learned = "We study this with machine learning and transformers."
    figurative = ["A Seismic Shift in Code Generation: LLMs Write Tests",
                  "Catalyst: Accelerating Transformer Inference on GPUs",
                  "Learning Artificial Potential Force Fields for Robot Navigation",
                  "Probing the Crystal Structure of Attention in Transformers",
                  "Climate Change Discourse on Social Media: A Transformer Analysis",
                  "Well-calibrated Multi-camera Rigs for Learned Depth",
                  "Parameter-Efficient Convolutional Networks for Edge Devices"]
    meant = [("Machine-learned force fields for molecular dynamics", "scientific_ml"),
             ("Deep learning for seismic inversion", "scientific_ml"),
             ("Crystal structure prediction with diffusion models", "scientific_ml"),
             ("Well-calibrated predictions from deep ensembles", "uncertainty_quantification")]
    papers = papers_from(*[(t, learned) for t in figurative + [t for t, _ in meant]])
    matrix = ps.tag_themes(papers).matrix()
    sci = ["scientific_ml", "uncertainty_quantification", "parameter_efficient_finetuning"]
    assert not matrix.iloc[:len(figurative)][sci].any().any()
    assert [matrix.iloc[len(figurative) + i][theme] for i, (_, theme) in enumerate(meant)] == [True] * 4


def test_diffusion_as_a_process_and_turbo_as_a_word_are_no_theme():
    # real NeurIPS 2010-2018 and HF titles: title case made "Diffusion" look like a method's name,
    # and 'TuRBO' matched any "Turbo"
    papers = papers_from(
        ("Scalable Influence Estimation in Continuous-Time Diffusion Networks", ""),
        ("Diffusion Approximations for Online Principal Component Estimation and Global Convergence", ""),
        ("Online ICA: Understanding Global Dynamics of Nonconvex Optimization via Diffusion Processes", ""),
        ("Diffusion-Convolutional Neural Networks", ""),
        ("Effects of Synaptic Weight Diffusion on Learning in Decision Making Networks", ""),
        ("Threshold Learning for Optimal Decision Making", "evidence accumulation to threshold (the drift-diffusion "
                                                          "model). The drift diffusion model is a classic."),
        ("A simple example of Dirichlet process mixture inconsistency",
         "In Bayesian statistics, it has become common to use Dirichlet process mixtures (DPMs) not only for "
         "density estimation."),
        ("Unpacking SDXL Turbo: Interpreting Text-to-Image Models with Sparse Autoencoders", ""),
        ("Turbo Learning for CaptionBot and DrawingBot", ""),
        # and what still counts
        ("One Diffusion to Generate Them All", ""),
        ("Trust-region BO for high-dimensional design", "We extend TuRBO with a learned kernel."),
        ("Score-based generative modeling", "The forward diffusion process adds noise; a diffusion model reverses it."),
    )
    tags = ps.tag_themes(papers)
    for i in range(7):
        assert "diffusion_models" not in themes_of(tags, f"p{i}"), i
    assert "bayesian_optimization" not in themes_of(tags, "p7") | themes_of(tags, "p8")
    assert "diffusion_models" in themes_of(tags, "p9") and "diffusion_models" in themes_of(tags, "p11")
    assert "bayesian_optimization" in themes_of(tags, "p10")


def test_words_of_today_in_papers_from_before_the_theme_existed(tmp_path):
    """`since`: an n-gram "language model" (2000), ICA's "scaling laws", "diffusion models" of decisions
    (2006) and "residual adapters" (2017) are no LLM, diffusion or PEFT papers (real NeurIPS records)."""
    papers = ps.load(ROOT / "tests" / "data" / "neurips-older-meanings")
    assert len(papers) == 7 and papers["year"].between(1994, 2018).all()
    tagged = ps.tag_themes(papers).matrix()
    assert not tagged[["llms", "diffusion_models", "parameter_efficient_finetuning"]].any().any()
    assert not tagged["generative_models"].any()  # nor does the parent keep a dropped child's tag
    # The same words tag once the year is past `since`, and a theme without it tags any year.
    moved = papers.assign(year=2024)
    assert tagged["llms"].sum() == 0 and ps.tag_themes(moved).matrix()["llms"].sum() == 4
    undated = papers.drop(columns=["year", "published", "listed_on"], errors="ignore")
    assert ps.tag_themes(undated).matrix()[["diffusion_models", "generative_models"]].sum().tolist() == [2, 2]
    user = tmp_path / "since.toml"
    user.write_text("[themes.lm]\nlabel = 'Language models'\ndescription = 'd'\nphrases = ['language models?']\n"
                    "since = 2001\n")
    lm = ps.tag_themes(papers, ps.load_taxonomy(user, include_default=False)).matrix()["lm"]
    assert papers.loc[lm.to_numpy(), "year"].min() >= 2001 and lm.sum() == 1
    for wrong in ("'2019'", "19", "2019.5", "true"):
        user.write_text(f"[themes.x]\nlabel = 'X'\ndescription = 'd'\nphrases = ['a b']\nsince = {wrong}\n")
        with pytest.raises(ps.TaxonomyError, match=r"theme 'x', key 'since': must be a year"):
            ps.load_taxonomy(user, include_default=False)


def test_an_acronym_defined_as_something_else_is_not_the_themes():
    """An exclude that matches a definition ('test-time scaling (TTS)') drops the acronym from the paper."""
    from .conftest import HF_DAYS

    papers = ps.load(HF_DAYS)
    survey = papers[papers["title"].str.startswith("What, How, Where, and How Well? A Survey on Test-Time Scaling")]
    assert len(survey) == 1 and "test-time scaling (TTS)" in survey["abstract"].iloc[0]
    tags = ps.tag_themes(survey).matrix().iloc[0]
    assert tags["llms"] and not tags["speech_audio"]
    spoken = schema.from_records([{
        "paper_id": "p1", "title": "Prosody control for neural TTS",
        "abstract": "Text-to-speech (TTS) systems read text aloud. We make TTS prosody controllable."}])
    assert ps.tag_themes(spoken).matrix().loc["p1", "speech_audio"]


def test_a_defined_away_acronym_is_dropped_from_strong_patterns_and_suffixed_matches_too():
    papers = schema.from_records([
        {"paper_id": "a", "title": "DiT: a detail-aware network for crowd counting",
         "abstract": "We propose a detail interaction transformer module (DiT) for crowd counting. Our DiT helps."},
        {"paper_id": "b", "title": "Scaling DiT for images",
         "abstract": "We train a diffusion transformer (DiT) for image generation."},
        {"paper_id": "c", "title": "More thinking for math",
         "abstract": "Test-time scaling (tts) helps. TTS, unlike training, is cheap. TTS-based search wins."},
        # 'requires' is whole words: 'surrogates' and 'pretrained' must still count as learning
        {"paper_id": "d", "title": "Precipitation nowcasting with fast surrogates",
         "abstract": "We build surrogates for precipitation nowcasting in climate science from weather radar data."},
        {"paper_id": "e", "title": "Precipitation nowcasting from radar",
         "abstract": "We adapt pretrained models to precipitation nowcasting in climate science."}])
    tagged = ps.tag_themes(papers).matrix()
    assert tagged["diffusion_models"].tolist() == [False, True, False, False, False]  # "DiT" is strong
    assert not tagged.loc["c", "speech_audio"]  # a lower-case definition, 'TTS,' and 'TTS-based'
    assert tagged.loc[["d", "e"], "scientific_ml"].all()
