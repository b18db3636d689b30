"""Findings at a glance: what a corpus is about, what is rising and falling, where to start reading.

Each ``compute_*`` function returns a DataFrame (testable without a chart);
:func:`compute_findings` gathers them in a :class:`Findings` result that
carries the parameters that made it; :func:`summary_text` says it in one
paragraph (:func:`paperscope.report.findings_html.landing_html` renders it as
an HTML fragment for a report's landing page).

>>> import paperscope as ps
>>> from paperscope.findings import compute_findings, summary_text
>>> papers = ps.load("data/hf-daily-papers")                      # doctest: +SKIP
>>> print(summary_text(compute_findings(papers)))                 # doctest: +SKIP
494 papers, listed 2024-05-27 – 2026-08-03, from 30 files. ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import numpy as np
import pandas as pd

from . import checks
from .errors import PaperscopeError
from .stats import link_summary, top_authors, top_organizations
from .themes import Taxonomy, ThemeTags, as_theme_tags, tag_themes
from .trends import MIN_PAPERS, check_freq, date_format, paper_dates, rising_themes


@dataclass(frozen=True)
class Findings:
    """The result of :func:`compute_findings`; every table is a DataFrame.

    Attributes
    ----------
    numbers
        The corpus in numbers: ``measure``, ``value`` (display text), ``number`` (raw, NA if none).
    themes
        Most common themes: ``theme``, ``label``, ``papers``, ``percent``.
    changes
        Share before and after the split per theme (:func:`compute_theme_changes`);
        ``None`` when the corpus has no dates or a single period.
    topics
        Topics and whether a theme covers them (:func:`compute_topic_coverage`);
        ``None`` without a :class:`~paperscope.topics.Topics` result.
    top_papers_by_theme, top_papers_by_topic
        The papers to read first (:func:`compute_top_papers`).
    authors, organizations
        Who has the most papers.
    params
        What made the result: corpus size, date column, periods, split, confidence, …
    """

    numbers: pd.DataFrame
    themes: pd.DataFrame
    changes: pd.DataFrame | None
    topics: pd.DataFrame | None
    top_papers_by_theme: pd.DataFrame
    top_papers_by_topic: pd.DataFrame | None
    authors: pd.DataFrame
    organizations: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def rising(self) -> pd.DataFrame:
        """Themes whose share rose by more than its uncertainty, largest rise first."""
        return _empty_changes() if self.changes is None else self.changes[self.changes["direction"] == "rising"]

    @property
    def falling(self) -> pd.DataFrame:
        """Themes whose share fell by more than its uncertainty, largest fall first."""
        if self.changes is None:
            return _empty_changes()
        falling = self.changes[self.changes["direction"] == "falling"]
        return falling.sort_values(["change_pp", "theme"], kind="stable")


# --- links -------------------------------------------------------------------------------------


def paper_links(papers: pd.DataFrame) -> pd.DataFrame:
    """Where to read each paper and its code.

    Returns
    -------
    pandas.DataFrame
        ``paper_id``, ``link`` (arXiv abstract page from ``arxiv_id``, else
        ``https://doi.org/<doi>``, else the PDF, else an arXiv title search),
        ``link_kind`` (``arXiv``, ``DOI``, ``PDF`` or ``arXiv search``),
        ``hf_page`` (the Hugging Face paper page, for papers listed there),
        ``code`` (``github_repo``, else a code-host link of the abstract) and
        ``project_page`` (``project_page``, else another link of the abstract).
    """
    code = link_summary(papers)
    links, kinds, hf = [], [], []
    for title, row in zip(papers["title"], papers[["arxiv_id", "doi", "pdf_url", "source_format"]]
                          .itertuples(index=False), strict=True):
        arxiv = row.arxiv_id if isinstance(row.arxiv_id, str) and row.arxiv_id else None
        if arxiv:
            links.append(f"https://arxiv.org/abs/{quote(arxiv, safe='/.-')}")
            kinds.append("arXiv")
        elif isinstance(row.doi, str) and row.doi:
            links.append(f"https://doi.org/{quote(row.doi, safe='/.-_;()')}")
            kinds.append("DOI")
        elif isinstance(row.pdf_url, str) and row.pdf_url.startswith(("https://", "http://")):
            links.append(row.pdf_url)
            kinds.append("PDF")
        else:  # a title alone (a copied page): arXiv's title search finds it
            links.append("https://arxiv.org/search/?searchtype=title&query=" + quote(title, safe=""))
            kinds.append("arXiv search")
        from_hf = "hf_" in str(row.source_format)
        hf.append(f"https://huggingface.co/papers/{quote(arxiv, safe='/.-')}" if arxiv and from_hf else None)
    return pd.DataFrame({
        "paper_id": papers["paper_id"].to_numpy(),
        "link": pd.array(links, dtype="string"),
        "link_kind": pd.array(kinds, dtype="string"),
        "hf_page": pd.array(hf, dtype="string"),
        "code": code["code"].to_numpy(),
        "project_page": code["project_page"].to_numpy(),
    })


# --- the corpus in numbers ---------------------------------------------------------------------


def compute_corpus_numbers(papers: pd.DataFrame) -> pd.DataFrame:
    """The corpus in numbers: papers, dates, sources, abstracts, code, authors, upvotes.

    Returns ``measure``, ``value`` (the text a reader sees) and ``number``
    (the raw count or share, NA for text-only measures), one row per measure.
    """
    n = len(papers)
    rows: list[tuple[str, str, float | None]] = [("papers", f"{n:,}", float(n))]
    dates, column = paper_dates(papers)
    dated = dates.dropna()
    if len(dated):
        fmt = date_format(column)
        what = {"listed_on": "listed", "published": "published", "year": "published"}.get(column, column)
        rows.append(("dates", f"{what} {dated.min():{fmt}} – {dated.max():{fmt}}"
                     + (f" ({n - len(dated)} undated)" if len(dated) < n else ""), None))
    else:
        rows.append(("dates", "no dates", None))
    files = sorted({s for v in papers["source"] for s in str(v).split("; ")})
    formats = sorted(set(papers["source_format"].dropna().astype(str)))
    rows.append(("sources", f"{len(files)} file{'s' if len(files) != 1 else ''} ({', '.join(formats)})",
                 float(len(files))))
    with_abstract = int((papers["n_words"] > 0).sum())
    rows.append(("with an abstract", _count_pct(with_abstract, n), float(with_abstract)))
    links = link_summary(papers)
    with_code = int(links["code"].notna().sum())
    rows.append(("with code", _count_pct(with_code, n), float(with_code)))
    with_page = int(links["project_page"].notna().sum())
    rows.append(("with a project page", _count_pct(with_page, n), float(with_page)))
    authors = papers["authors"].explode().dropna()
    if len(authors):
        rows.append(("distinct authors", f"{authors.nunique():,}", float(authors.nunique())))
    if papers["upvotes"].notna().any():
        median = float(papers["upvotes"].median())
        rows.append(("median upvotes", f"{median:g}", median))
    out = pd.DataFrame(rows, columns=["measure", "value", "number"])
    out["number"] = out["number"].astype("Float64")
    return out


def _count_pct(k: int, n: int) -> str:
    return f"{k:,} ({100 * k / n:.1f} %)" if n else "0"


# --- themes ------------------------------------------------------------------------------------


def compute_common_themes(tags: ThemeTags, *, n: int = 5) -> pd.DataFrame:
    """The ``n`` themes the most papers carry: ``theme``, ``label``, ``papers``, ``percent``."""
    prevalence = tags.prevalence()
    top = prevalence[prevalence["papers"] > 0].head(n).copy()
    top["percent"] = (100 * top["share"]).round(1)
    return top[["theme", "label", "papers", "percent"]].reset_index(drop=True)


def _empty_changes() -> pd.DataFrame:
    return pd.DataFrame(columns=["theme", "label", "earlier_pct", "recent_pct", "change_pp", "change_low_pp",
                                 "change_high_pp", "earlier_tagged", "earlier_papers", "recent_tagged",
                                 "recent_papers", "clear", "direction"])


def compute_theme_changes(tags: ThemeTags, *, freq: str = "Q", min_papers: int = MIN_PAPERS, recent: int = 4,
                          confidence: float = 0.95) -> pd.DataFrame:
    """Each theme's share in the recent periods against the earlier ones, in percent.

    Periods are those of :func:`paperscope.theme_trends` (``freq``, widened
    to ``min_papers``); the last ``recent`` of them (fewer when that would leave under two
    earlier periods; the later half when there are no more than three) are pooled against all
    earlier ones, by the rule of
    :func:`paperscope.rising_themes` (intervals as wide as the periods' own variation; a
    change called only with two periods or more on each side).

    Returns
    -------
    pandas.DataFrame
        One row per theme carried by any paper: ``theme``, ``label``,
        ``earlier_pct``, ``recent_pct``, ``change_pp`` (percentage points) and
        its Newcombe interval ``change_low_pp``, ``change_high_pp`` (all
        rounded to 0.1), the counts, ``clear`` (the interval excludes 0) and
        ``direction``: ``rising`` or ``falling`` when clear, ``too few periods`` when a side has
        fewer than two periods (no verdict), else ``steady``.
        Sorted by change, largest rise first. ``.attrs``: ``split`` (first
        recent day), ``periods``, ``recent_periods``, ``date``, ``confidence``.

    Raises
    ------
    PaperscopeError
        When the papers have no dates or fall in a single period.
    """
    trends = tags.trends(freq=freq, min_papers=min_papers, confidence=confidence)
    periods = sorted(trends["period"].unique())
    if len(periods) < 2:
        raise PaperscopeError(f"the dated papers fall in {len(periods)} period(s): no change to measure")
    changes = rising_themes(trends, recent=recent, confidence=confidence)
    recent = changes.attrs["recent"]
    changes = changes[(changes["earlier_tagged"] + changes["recent_tagged"]) > 0]
    out = pd.DataFrame({
        "theme": changes["theme"].to_numpy(),
        "label": changes["label"].to_numpy(),
        "earlier_pct": (100 * changes["earlier_share"]).round(1).to_numpy(),
        "recent_pct": (100 * changes["recent_share"]).round(1).to_numpy(),
        "change_pp": (100 * changes["change"]).round(1).to_numpy(),
        "change_low_pp": (100 * changes["change_low"]).round(1).to_numpy(),
        "change_high_pp": (100 * changes["change_high"]).round(1).to_numpy(),
        "earlier_tagged": changes["earlier_tagged"].to_numpy(),
        "earlier_papers": changes["earlier_papers"].to_numpy(),
        "recent_tagged": changes["recent_tagged"].to_numpy(),
        "recent_papers": changes["recent_papers"].to_numpy(),
        "clear": changes["clear"].to_numpy(),
    })
    few = (changes["earlier_periods"].to_numpy() < 2) | (changes["recent_periods"].to_numpy() < 2)
    rising = np.where(changes["change"].to_numpy() > 0, "rising", "falling")
    out["direction"] = np.where(few, "too few periods", np.where(~out["clear"], "steady", rising))
    labels = trends.drop_duplicates("period").sort_values("period")["period_label"].tolist()
    out.attrs.update(split=changes.attrs["split"], periods=labels, recent_periods=labels[-recent:],
                     date=trends.attrs["date"], confidence=confidence, min_papers=min_papers)
    out["earlier_periods"] = changes["earlier_periods"].to_numpy()
    out["recent_periods"] = changes["recent_periods"].to_numpy()
    return out.reset_index(drop=True)


# --- topics ------------------------------------------------------------------------------------


def compute_topic_coverage(topics, tags: ThemeTags) -> pd.DataFrame:
    """Every topic, and whether a curated theme covers it (the rule of :func:`paperscope.topic_coverage`,
    with its defaults, which :func:`paperscope.uncovered_topics` uses).

    Returns ``topic``, ``label``, ``size``, ``best_theme``, ``best_theme_label``,
    ``best_theme_pct`` (of the topic's papers) and ``covered``, in topic order.
    """
    from .topics import topic_coverage

    names = tags.labels
    coverage = topic_coverage(topics, tags).sort_values("topic", kind="stable")
    return pd.DataFrame({
        "topic": coverage["topic"].astype(int).to_numpy(), "label": coverage["label"].to_numpy(),
        "size": coverage["size"].astype(int).to_numpy(), "best_theme": coverage["best_theme"].to_numpy(),
        "best_theme_label": [names.get(b, b) if isinstance(b, str) else None for b in coverage["best_theme"]],
        "best_theme_pct": (100 * coverage["best_share"]).round(1).to_numpy(),
        "covered": coverage["covered"].to_numpy(dtype=bool)})


# --- top papers --------------------------------------------------------------------------------


def _centrality(papers: pd.DataFrame, groups: pd.DataFrame) -> pd.Series:
    """Cosine similarity (TF-IDF of title + abstract) of each member to its group's centroid."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.preprocessing import normalize

    from .tokens import STOP_WORDS

    text = (papers["title"].fillna("") + ". " + papers["abstract"].fillna("")).tolist()
    vectors = TfidfVectorizer(stop_words=sorted(STOP_WORDS), sublinear_tf=True).fit_transform(text)
    row = {pid: i for i, pid in enumerate(papers["paper_id"])}
    scores = np.zeros(len(groups))
    for group in groups["group"].unique():
        mask = (groups["group"] == group).to_numpy()
        idx = [row[p] for p in groups.loc[mask, "paper_id"]]
        centroid = normalize(np.asarray(vectors[idx].mean(axis=0)))
        scores[mask] = (vectors[idx] @ centroid.T).ravel()
    return pd.Series(scores, index=groups.index)


def compute_top_papers(papers: pd.DataFrame, groups: pd.DataFrame, *, n: int = 3,
                       centrality: pd.Series | None = None) -> pd.DataFrame:
    """The ``n`` papers to read first in each group (a theme or a topic), with links.

    Ranked by upvotes (then GitHub stars) where the group's papers have them,
    else by centrality: how close a paper is to the group's centre (given, as
    a topic's ``confidence``, or computed from TF-IDF). Scores are rounded to
    six decimals before ranking and ties go by title, so the order is the
    same on any machine.

    Parameters
    ----------
    papers
        Schema frame.
    groups
        ``paper_id``, ``group``, ``group_label``: one row per (paper, group).
    centrality
        One score per row of ``groups`` (default: TF-IDF centrality).

    Returns
    -------
    pandas.DataFrame
        ``group``, ``group_label``, ``rank`` (from 1), ``paper_id``, ``title``,
        ``upvotes``, ``github_stars``, ``ranked_by`` (``upvotes`` or
        ``centrality``), ``centrality``, and the links of :func:`paper_links`.
    """
    columns = ["group", "group_label", "rank", "paper_id", "title", "upvotes", "github_stars", "ranked_by",
               "centrality", "link", "link_kind", "hf_page", "code", "project_page"]
    if groups.empty:
        return pd.DataFrame(columns=columns)
    groups = groups.reset_index(drop=True)
    score = (centrality.reset_index(drop=True) if centrality is not None
             else _centrality(papers, groups))
    info = papers[["paper_id", "title", "upvotes", "github_stars"]].merge(paper_links(papers), on="paper_id")
    data = groups.assign(centrality=score.astype(float).round(6).to_numpy()).merge(info, on="paper_id")
    parts = []
    for _, part in data.groupby("group", sort=False):
        by_votes = part["upvotes"].notna().any()
        keys = (["upvotes", "github_stars", "centrality", "title"] if by_votes
                else ["centrality", "title"])
        ordered = part.sort_values(keys, ascending=[False] * (len(keys) - 1) + [True],
                                   na_position="last", kind="stable").head(n)
        parts.append(ordered.assign(rank=np.arange(1, len(ordered) + 1),
                                    ranked_by="upvotes" if by_votes else "centrality"))
    return pd.concat(parts, ignore_index=True)[columns]


def theme_groups(tags: ThemeTags) -> pd.DataFrame:
    """Tags as groups for :func:`compute_top_papers`: ``paper_id``, ``group`` (theme), ``group_label``."""
    names = tags.labels
    hits = tags.frame.dropna(subset=["theme"])
    return pd.DataFrame({"paper_id": hits["paper_id"].to_numpy(), "group": hits["theme"].to_numpy(),
                         "group_label": [names.get(t, t) for t in hits["theme"]]})


# --- all of it ---------------------------------------------------------------------------------


def compute_findings(papers: pd.DataFrame, tags: ThemeTags | pd.DataFrame | None = None,
                     taxonomy: Taxonomy | None = None, topics=None, *, freq: str = "Q",
                     min_papers: int = MIN_PAPERS, recent: int = 4, n_themes: int = 5, n_papers: int = 3,
                     n_people: int = 10, confidence: float = 0.95) -> Findings:
    """Everything the landing page shows, computed from papers, tags and (optionally) topics.

    Parameters
    ----------
    papers
        Schema frame.
    tags
        The result of :func:`paperscope.tag_themes` (default: tagged here with ``taxonomy``).
    taxonomy
        Only when ``tags`` is not given (or is a bare tags frame): the taxonomy to tag with.
    topics
        A :class:`paperscope.Topics` result, or ``None`` to leave topics out.
    freq, min_papers, recent, confidence
        Periods, pooling and interval level of :func:`compute_theme_changes`.
    n_themes, n_papers, n_people
        How many common themes, papers per group, and authors / organizations.
    """
    from . import memo

    # checked here, not where the trends are made: a typo there read as "No trends: …" on the page
    freq, confidence = check_freq(freq), checks.confidence(confidence)
    min_papers, recent = checks.count("min_papers", min_papers), checks.count("recent", recent)
    n_themes, n_papers, n_people = (checks.count(name, value, 0) for name, value in
                                    (("n_themes", n_themes), ("n_papers", n_papers), ("n_people", n_people)))
    tags = tag_themes(papers, taxonomy) if tags is None else as_theme_tags(tags, papers, taxonomy)
    settings = dict(freq=freq, min_papers=min_papers, recent=recent, n_themes=n_themes, n_papers=n_papers,
                    n_people=n_people, confidence=confidence)

    def key() -> str:
        shown = None if topics is None else (topics.assignments, topics.topics.drop(columns="top_terms"))
        return memo.digest(papers, tags.frame, repr(tags.taxonomy), shown, sorted(settings.items()))

    return memo.remembered("findings", key, lambda: _compute_findings(papers, tags, topics, **settings))


def _compute_findings(papers: pd.DataFrame, tags: ThemeTags, topics, *, freq: str, min_papers: int, recent: int,
                      n_themes: int, n_papers: int, n_people: int, confidence: float) -> Findings:
    """:func:`compute_findings` itself (that function shares its result between a report's pages)."""
    tax = tags.taxonomy
    params: dict[str, Any] = {"papers": len(papers), "themes": len(tax.themes), "freq": freq,
                              "min_papers": min_papers, "recent": recent, "confidence": confidence}
    try:
        changes = compute_theme_changes(tags, freq=freq, min_papers=min_papers, recent=recent,
                                        confidence=confidence)
        params.update(split=changes.attrs["split"], date=changes.attrs["date"],
                      periods=changes.attrs["periods"], recent_periods=changes.attrs["recent_periods"])
    except PaperscopeError as err:
        changes = None
        dated = paper_dates(papers)[0].notna().any()
        params["no_changes"] = str(err) if dated else "the papers carry no dates"
    top_theme = compute_top_papers(papers, theme_groups(tags), n=n_papers)
    coverage = top_topic = None
    if topics is not None:
        coverage = compute_topic_coverage(topics, tags)
        members = topics.assignments[topics.assignments["topic"] >= 0]
        groups = pd.DataFrame({"paper_id": members["paper_id"].to_numpy(), "group": members["topic"].to_numpy(),
                               "group_label": members["topic_label"].to_numpy()})
        top_topic = compute_top_papers(papers, groups, n=n_papers,
                                       centrality=pd.Series(members["confidence"].to_numpy()))
        params["topics"] = len(topics.topics)
    return Findings(
        numbers=compute_corpus_numbers(papers),
        themes=compute_common_themes(tags, n=n_themes),
        changes=changes, topics=coverage, top_papers_by_theme=top_theme, top_papers_by_topic=top_topic,
        authors=top_authors(papers, n=n_people), organizations=top_organizations(papers, n=n_people),
        params=params,
    )


# --- words -------------------------------------------------------------------------------------


def signed_points(value: float) -> str:
    """A change in percentage points with its sign, a true minus for a fall: ``+3.2``, ``−1.0``."""
    return f"{value:+.1f}".replace("-", "−")


def _movers(rows: pd.DataFrame, level: int) -> str:
    return "; ".join(
        f"{r.label} {r.earlier_pct:.1f} % → {r.recent_pct:.1f} % ({signed_points(r.change_pp)} points, "
        f"{level} % interval {signed_points(r.change_low_pp)} to {signed_points(r.change_high_pp)})"
        for r in rows.itertuples(index=False))


def summary_text(findings: Findings, *, n: int = 3) -> str:
    """One paragraph a reader takes away: size, dates, top themes, what rose and fell, topics."""
    numbers = findings.numbers.set_index("measure")["value"]
    parts = [f"{numbers['papers']} papers"]
    if numbers.get("dates", "no dates") != "no dates":
        parts[0] += f", {numbers['dates']}"
    parts[0] += f", from {numbers['sources']}."
    if len(findings.themes):
        top = ", ".join(f"{r.label} ({r.percent:.1f} %)" for r in findings.themes.head(n).itertuples())
        parts.append(f"Most common themes: {top}.")
    else:
        parts.append("No paper carries a curated theme.")
    changes = findings.changes
    if changes is None:
        parts.append("No trends: " + findings.params.get("no_changes", "the papers are not dated") + ".")
    else:
        level = round(100 * changes.attrs.get("confidence", 0.95))
        split = f"since {pd.Timestamp(changes.attrs['split']):%Y-%m}"
        rising, falling = findings.rising.head(n), findings.falling.head(n)
        if len(rising):
            parts.append(f"Rising {split}: {_movers(rising, level)}.")
        if len(falling):
            parts.append(f"Falling {split}: {_movers(falling, level)}.")
        elif len(rising):
            # Say so, with the largest drop: a reader should not take silence for "nothing fell".
            drop = changes[changes["change_pp"] < 0].sort_values(["change_pp", "theme"], kind="stable").head(1)
            if len(drop):
                parts.append(f"No theme fell by more than its uncertainty (largest drop: {_movers(drop, level)}).")
        sides = (len(changes.attrs.get("periods", [])) - len(changes.attrs.get("recent_periods", [])),
                 len(changes.attrs.get("recent_periods", [])))
        if not len(rising) and not len(falling) and min(sides) < 2:
            parts.append(f"Too few periods to call a theme rising or falling: {sides[0]} before "
                         f"{pd.Timestamp(changes.attrs['split']):%Y-%m} "
                         f"against {sides[1]} since (two or more on each side tell a change from the way one "
                         "period differs from the next; a shorter period may help).")
        elif not len(rising) and not len(falling):
            biggest = changes.assign(_a=changes["change_pp"].abs()).sort_values(
                ["_a", "theme"], ascending=[False, True], kind="stable").head(1)
            detail = f" (largest move: {_movers(biggest, level)})" if len(biggest) else ""
            parts.append(f"No theme's share changed {split} by more than its uncertainty{detail}.")
    if findings.topics is not None:
        uncovered = findings.topics[~findings.topics["covered"]]
        text = f"{len(findings.topics)} topics"
        if len(uncovered):
            names = "; ".join(f"{r.topic}: {r.label}" for r in uncovered.itertuples())
            text += f", of which {len(uncovered)} no theme covers ({names})"
        else:
            text += ", each covered by a curated theme"
        parts.append(text + ".")
    return " ".join(parts)
