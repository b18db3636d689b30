"""What is new since a date: the papers, the topics made of them, the themes whose share moved.

A theme's share among the new papers is compared with its share among the
papers before, each with a Wilson interval; a change counts as **clear** when
the Newcombe interval of the difference excludes 0 — the test
:func:`paperscope.rising_themes` and the findings use (they compare other
periods: the last ones against the earlier ones, where this compares the
papers before ``since`` with those since, so the two can differ on a theme).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from . import checks
from .errors import PaperscopeError
from .thematic import check_topics_cover, cluster_membership
from .trends import dispersion, newcombe_interval, paper_dates, wilson_interval


def since_date(since: Any) -> pd.Timestamp:
    """``since`` as a day: a date text or ``Timestamp`` (one with a time zone is taken in UTC, as the
    papers' dates are), or a year (``2026``: 1 January 2026).

    Raises
    ------
    PaperscopeError
        For anything else.
    """
    if isinstance(since, (int, float, np.integer, np.floating)) and not isinstance(since, bool):
        if float(since).is_integer() and 1000 <= since <= 9999:
            return pd.Timestamp(int(since), 1, 1)
        raise PaperscopeError(f"since={since!r} is not a date; write it like '2026-01-01' (or a year: 2026)")
    try:
        cut = pd.Timestamp(since)
    except (TypeError, ValueError):
        raise PaperscopeError(f"since={since!r} is not a date; write it like '2026-01-01'") from None
    if pd.isna(cut):
        raise PaperscopeError(f"since={since!r} is not a date; write it like '2026-01-01'")
    if cut.tzinfo is not None:
        cut = cut.tz_convert("UTC").tz_localize(None)
    return cut.normalize()  # the day: a time of day would move that day's papers before it


@dataclass
class WhatsNew:
    """The result of :func:`whats_new`.

    Attributes
    ----------
    since
        The cut: papers dated on or after it are new.
    new_papers
        ``paper_id``, ``title``, ``date``, newest first.
    counts
        ``{"new": …, "before": …, "undated": …}``.
    topics
        One row per topic (empty without topics): ``topic``, ``label``,
        ``size``, ``new``, ``new_share`` (of the topic's papers),
        ``lift`` (``new_share`` over the corpus's share of new papers), ``mostly_new``
        (``new_share`` above ``min_share`` — more than half by default — ``lift`` at least
        ``min_lift``, and chance an unlikely cause) and ``chance`` (the probability of at least that
        many new papers in a topic of that size were each paper new with the corpus's share: a
        one-sided binomial test; a topic counts when it passes Benjamini-Hochberg over all topics at
        a false discovery rate of 1 − ``confidence``).
    themes
        One row per theme (empty without tags): ``theme``, ``label``,
        ``before``, ``new`` (tagged papers), ``before_pct``, ``before_low``,
        ``before_high``, ``new_pct``, ``new_low``, ``new_high`` (shares and
        Wilson intervals in percent), ``change_pp`` (percentage points) with
        its Newcombe interval ``change_low``, ``change_high``, and ``clear``
        (that interval excludes 0). Sorted by ``change_pp``.
    params
        The date column, the confidence level, the topic threshold.
    """

    since: pd.Timestamp
    new_papers: pd.DataFrame
    counts: dict[str, int]
    topics: pd.DataFrame
    themes: pd.DataFrame
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def new_topics(self) -> pd.DataFrame:
        """Topics made mostly of new papers."""
        return self.topics[self.topics["mostly_new"]] if len(self.topics) else self.topics

    @property
    def changed_themes(self) -> pd.DataFrame:
        """Themes whose share among new papers is clearly above or below their share before."""
        return self.themes[self.themes["clear"]] if len(self.themes) else self.themes

    def summary(self) -> str:
        """A few sentences: how many papers are new, which topics and themes moved."""
        c = self.counts
        lines = [f"{c['new']} of {c['new'] + c['before']} dated papers are new since {self.since:%Y-%m-%d}"
                 + (f" ({c['undated']} undated papers not counted)." if c["undated"] else ".")]
        if len(self.topics):
            new = self.new_topics
            if len(new):
                shown = "; ".join(f"{r.label} ({r.new} of {r.size})" for r in new.head(10).itertuples())
                more = f"; and {len(new) - 10} more" if len(new) > 10 else ""
                lines.append(f"Topics made mostly of new papers: {shown}{more}.")
            else:
                lines.append("No topic is made mostly of new papers beyond what chance makes.")
            leaning = self.topics["topic"].isin(self.topics.attrs.get("leaning_new", []))
            maybe = self.topics[leaning & ~self.topics["mostly_new"]]
            if len(maybe):
                lines.append(f"{len(maybe)} more topic{'s are' if len(maybe) > 1 else ' is'} mostly new as chance "
                             f"could make {'them' if len(maybe) > 1 else 'it'} (first: {maybe['label'].iloc[0]}, "
                             f"{maybe['new'].iloc[0]} of {maybe['size'].iloc[0]}).")
        if not c["new"] or not c["before"]:
            lines.append(f"No paper is dated on or after {self.since:%Y-%m-%d}: nothing to compare."
                         if not c["new"] else f"Every dated paper is new since {self.since:%Y-%m-%d}: "
                         "no earlier paper to compare with.")
        elif len(self.themes):
            up = self.changed_themes[self.changed_themes["change_pp"] > 0]
            down = self.changed_themes[self.changed_themes["change_pp"] < 0]
            if len(up):
                lines.append("Clearly more common among new papers: " + "; ".join(
                    f"{r.label} ({r.before_pct:.1f}% → {r.new_pct:.1f}%)" for r in up.itertuples()) + ".")
            if len(down):
                lines.append("Clearly less common: " + "; ".join(
                    f"{r.label} ({r.before_pct:.1f}% → {r.new_pct:.1f}%)"
                    for r in down.sort_values("change_pp").itertuples()) + ".")
            months = (self.themes.attrs.get("months_before", 2), self.themes.attrs.get("months_new", 2))
            unit = "years" if self.params.get("date") == "year" else "months"
            if not len(up) and not len(down) and min(months) < 2:
                lines.append(f"Too few {unit} to call a theme's change: {months[0]} before against {months[1]} "
                             f"since (two or more on each side tell a change from the way one {unit[:-1]} "
                             "differs from the next).")
            elif not len(up) and not len(down):
                lines.append("No theme's share changed beyond its uncertainty.")
        return " ".join(lines)


def _chance(new: int, size: int, share: float) -> float:
    """P(at least ``new`` of ``size`` papers new) if each were new with the corpus's ``share``, to 6 decimals."""
    if not size:
        return 1.0
    from scipy.stats import binom

    return round(float(binom.sf(new - 1, size, share)), 6)  # rounded: no CPU's last bit decides


def _discoveries(p: np.ndarray, alpha: float) -> np.ndarray:
    """Benjamini-Hochberg: which of the p-values ``p`` are discoveries at false discovery rate ``alpha``."""
    order = np.argsort(p, kind="stable")
    ranked = p[order]
    passed = np.flatnonzero(ranked <= alpha * np.arange(1, len(p) + 1) / max(len(p), 1))
    found = np.zeros(len(p), dtype=bool)
    if len(passed):
        found[order[:passed[-1] + 1]] = True
    return found


def _topic_table(topics: Any, is_new: dict[str, bool], min_share: float, min_lift: float,
                 confidence: float = 0.95) -> pd.DataFrame:
    columns = ["topic", "label", "size", "new", "new_share", "lift", "mostly_new"]
    if topics is None:
        return pd.DataFrame(columns=[*columns, "chance"])
    assignments, table = topics.assignments, topics.topics
    threshold = Fraction(min_share).limit_denominator(10_000)  # 0.6 means 3/5, exactly
    # more new papers than the corpus has anyway: 60 % of the papers new, a topic at 62 % is not new
    overall = Fraction(sum(is_new.values()), max(1, len(is_new)))
    above = overall * Fraction(min_lift).limit_denominator(10_000)
    rows, chance = [], []
    for topic, label in zip(table["topic"], table["label"], strict=True):
        members = assignments.loc[assignments["topic"] == topic, "paper_id"]
        dated = [is_new[p] for p in members.astype(str) if p in is_new]  # ids as text, as in is_new
        new = int(sum(dated))
        # shares of integer counts compared as fractions: exact, never flipped by float noise
        share = Fraction(new, len(dated)) if dated else None
        rows.append({"topic": topic, "label": label, "size": len(dated), "new": new,
                     "new_share": round(new / len(dated), 3) if dated else np.nan,
                     "lift": round(float(share / overall), 3) if dated and overall else np.nan,
                     "mostly_new": share is not None and share > threshold and share >= above})
        chance.append(_chance(new, len(dated), float(overall)))
    out = pd.DataFrame(rows, columns=columns)
    # With 40 % of the papers new, a topic of 19 holds 10 new ones by chance one time in seven: a
    # topic is mostly new only when chance explains it rarely, over all topics at once (Benjamini-
    # Hochberg at 1 − confidence), as the theme shares are judged by their intervals.
    out["chance"] = chance
    leaning = out.loc[out["mostly_new"], "topic"].tolist()  # past min_share and min_lift, chance aside
    out["mostly_new"] &= _discoveries(np.array(chance, dtype=float), 1 - confidence)
    out = out.sort_values(["new_share", "size"], ascending=False, kind="stable").reset_index(drop=True)
    out.attrs["leaning_new"] = leaning
    return out


def _dispersions(m: np.ndarray, mask: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, int]:
    """Each theme's :func:`paperscope.trends.dispersion` over the months (``groups``) of the masked
    papers (1 with fewer than two months), and how many months there are."""
    keys, codes = np.unique(groups[mask], return_inverse=True)
    papers = np.bincount(codes, minlength=len(keys))
    factors = np.ones(m.shape[1])
    if len(keys) >= 2:
        for j in range(m.shape[1]):
            tagged = np.bincount(codes, weights=m[mask, j], minlength=len(keys))
            factors[j] = dispersion(tagged, papers)
    return factors, len(keys)


def _theme_table(papers: pd.DataFrame, tags: Any, new_mask: np.ndarray, old_mask: np.ndarray,
                 confidence: float, groups: np.ndarray) -> pd.DataFrame:
    columns = ["theme", "label", "before", "new", "before_pct", "before_low", "before_high",
               "new_pct", "new_low", "new_high", "change_pp", "change_low", "change_high", "clear"]
    if tags is None:
        return pd.DataFrame(columns=columns)
    matrix, labels, _ = cluster_membership(papers, tags)
    m = matrix.to_numpy()
    k_old, k_new = m[old_mask].sum(axis=0), m[new_mask].sum(axis=0)
    n_old, n_new = int(old_mask.sum()), int(new_mask.sum())
    # papers of one month are no independent draws: intervals as wide as the months' own variation,
    # as rising_themes makes them with its periods; a verdict needs two months on each side
    d_old, months_old = _dispersions(m, old_mask, groups)
    d_new, months_new = _dispersions(m, new_mask, groups)
    old_low, old_high = wilson_interval(k_old / d_old, n_old / d_old, confidence)
    new_low, new_high = wilson_interval(k_new / d_new, n_new / d_new, confidence)
    out = pd.DataFrame({
        "theme": list(matrix.columns), "label": [labels.get(t, t) for t in matrix.columns],
        "before": k_old.astype("int64"), "new": k_new.astype("int64"),
        "before_pct": 100 * k_old / n_old if n_old else np.nan,
        "before_low": 100 * old_low, "before_high": 100 * old_high,
        "new_pct": 100 * k_new / n_new if n_new else np.nan, "new_low": 100 * new_low, "new_high": 100 * new_high,
    })
    pct = ["before_pct", "before_low", "before_high", "new_pct", "new_low", "new_high"]
    out[pct] = out[pct].round(2)
    out["change_pp"] = (out["new_pct"] - out["before_pct"]).round(2)
    change_low, change_high = newcombe_interval(k_old / d_old, n_old / d_old, k_new / d_new, n_new / d_new,
                                                confidence)
    out["change_low"], out["change_high"] = (100 * change_low).round(2), (100 * change_high).round(2)
    # compared after rounding to 0.01 pp: CPU float noise cannot flip the verdict
    out["clear"] = ((out["change_low"] > 0) | (out["change_high"] < 0)) & (min(months_old, months_new) >= 2)
    out = out[(out["before"] + out["new"]) > 0]
    out = out.sort_values(["change_pp", "theme"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs.update(months_before=months_old, months_new=months_new)
    return out


def _months(dates: pd.Series, date: str) -> np.ndarray:
    """Each paper's month ("2026-03"; its year for year-only dates; "" undated): the clusters of the intervals."""
    unit = "Y" if date == "year" else "M"
    return dates.dt.to_period(unit).astype("string").fillna("").to_numpy(dtype=object)


def whats_new(
    papers: pd.DataFrame,
    since: Any,
    *,
    tags: Any = None,
    topics: Any = None,
    date: str | None = None,
    confidence: float = 0.95,
    min_share: float = 0.5,
    min_lift: float = 1.25,
) -> WhatsNew:
    """What the papers dated on or after ``since`` bring: new papers, new topics, themes that moved.

    Parameters
    ----------
    papers
        Schema frame.
    since
        A date (``"2026-01-01"``, a ``Timestamp``) or a year (``2026``): papers dated on or after it
        are new.
    tags
        Theme tags (:func:`paperscope.tag_themes`, or an object with ``.frame``), to compare theme shares.
    topics
        :class:`paperscope.Topics`, to find topics made mostly of new papers.
    date
        Date column; default ``listed_on`` when it has any date, else ``published``.
    confidence
        Level of the Wilson intervals; 1 − ``confidence`` is the false discovery rate of the mostly-new topics.
    min_share
        A topic is "mostly new" when more than this share of its dated papers is new
        (0 ≤ ``min_share`` < 1; 0.5: more than half — 4 of 8 is not mostly new) …
    min_lift
        … and its share of new papers is at least this many times the corpus's (with 60 % of all
        papers new, a topic at 62 % says nothing; with every paper new, no topic is new).

    Returns
    -------
    WhatsNew

    Raises
    ------
    PaperscopeError
        When ``since`` is not a date or no paper is dated.
    """
    cut = since_date(since)
    checks.number("min_share", min_share, 0, 1, high_open=True, what="a share from 0 up to (not including) 1")
    checks.number("min_lift", min_lift, 0, what="a ratio of 0 or more (1: no more than the corpus)")
    missing = {"paper_id", "title"} - set(papers.columns)
    if missing:
        raise PaperscopeError(f"papers need the columns {sorted(missing)} (a frame from paperscope.load has them)")
    dates, date = paper_dates(papers, date)
    dates = dates.reset_index(drop=True)
    if date == "year" and (cut.month, cut.day) != (1, 1):
        raise PaperscopeError(f"the papers are dated by year only: since={cut:%Y-%m-%d} would count the papers of "
                              f"{cut.year} as before it; give a year (since={cut.year} or {cut.year + 1})")
    if topics is not None:
        check_topics_cover(papers, topics)
    if not dates.notna().any():
        hint = (" (a copied page without a year: pass year= to load)"
                if "listing_label" in papers.columns and papers["listing_label"].notna().any() else "")
        raise PaperscopeError(f"no paper has a date in {date!r}; 'what is new' needs dated papers{hint}")
    dated = dates.notna().to_numpy()
    new_mask = dated & (dates >= cut).to_numpy()
    old_mask = dated & ~new_mask
    ids = papers["paper_id"].astype(str).to_numpy()
    new_papers = pd.DataFrame({"paper_id": ids[new_mask], "title": papers["title"].to_numpy()[new_mask],
                               "date": dates[new_mask].to_numpy()})
    new_papers = new_papers.sort_values(["date", "paper_id"], ascending=[False, True],
                                        kind="stable").reset_index(drop=True)
    is_new = {p: bool(n) for p, n, d in zip(ids, new_mask, dated, strict=True) if d}
    return WhatsNew(
        since=cut, new_papers=new_papers,
        counts={"new": int(new_mask.sum()), "before": int(old_mask.sum()), "undated": int((~dated).sum())},
        topics=_topic_table(topics, is_new, min_share, min_lift, confidence),
        themes=_theme_table(papers, tags, new_mask, old_mask, confidence,
                            _months(dates, date)),
        params={"date": date, "confidence": confidence, "min_share": min_share, "min_lift": min_lift},
    )
