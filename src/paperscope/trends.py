"""Themes over time: the share of papers per period, with a binomial confidence interval.

Raw counts rise whenever a listing grows; the share of papers carrying a theme
does not, so trends are shares. A share from 3 papers and one from 300 are not
equally sure: each carries a Wilson score interval.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.stats import norm

from .errors import PaperscopeError
from .themes import Taxonomy, ThemeTags, as_theme_tags


def wilson_interval(successes, trials, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions (vectorized).

    Unlike the normal approximation it stays inside [0, 1] and behaves for
    small counts and shares near 0 or 1. ``trials == 0`` gives NaN.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = norm.ppf(0.5 + confidence / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # Exact at the edges (rounding would leave 1e-16 off): no successes, all successes.
    low = np.where(k == 0, 0.0, np.clip(center - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(center + half, 0, 1))
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def theme_trends(
    papers: pd.DataFrame,
    tags: ThemeTags | pd.DataFrame,
    *,
    freq: str = "M",
    date: str | None = None,
    taxonomy: Taxonomy | None = None,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of papers per period that carry each theme, with a Wilson interval.

    The same as ``tags.trends(...)`` on the result of :func:`paperscope.tag_themes`.

    Parameters
    ----------
    papers, tags
        Schema frame and the result of :func:`paperscope.tag_themes` (or its
        frame; then ``taxonomy`` may say which made it).
    freq
        Period length as a pandas period alias: ``"M"`` months (default),
        ``"Q"`` quarters, ``"Y"`` years, ``"W"`` weeks, ``"D"`` days.
    date
        Date column to use; default ``listed_on`` when it has any date, else ``published``.
    confidence
        Level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per (period, theme), periods without papers left out:
        ``period`` (start), ``theme``, ``label``, ``papers`` (dated papers in the
        period), ``tagged``, ``share``, ``ci_low``, ``ci_high``. Papers without
        a date cannot be placed in time; their count is in ``.attrs["undated"]``.

    Raises
    ------
    PaperscopeError
        When no paper has a date in the chosen column.
    """
    return as_theme_tags(tags, papers, taxonomy).trends(freq=freq, date=date, confidence=confidence)


def share_trends(papers: pd.DataFrame, matrix: pd.DataFrame, labels: dict[str, str], *, freq: str = "M",
                 date: str | None = None, confidence: float = 0.95) -> pd.DataFrame:
    """Share of papers per period for each column of a paper × theme boolean ``matrix``.

    ``matrix`` has one row per paper of ``papers``, in the same order, and its
    columns (in the order wanted) are keys of ``labels``. Parameters and
    result as in :func:`theme_trends`.
    """
    if date is None:
        date = "listed_on" if papers["listed_on"].notna().any() else "published"
    dates = pd.to_datetime(papers[date])
    if not dates.notna().any():
        raise PaperscopeError(
            f"no paper has a date in {date!r}; trends need dated papers "
            "(a copied page without a year: pass year= to load)"
        )
    dated = dates.notna().to_numpy()
    periods = dates[dated].dt.to_period(freq).dt.start_time.to_numpy()
    m = matrix.to_numpy()[dated]
    frame = pd.DataFrame(m, columns=matrix.columns)
    frame["period"] = periods
    per = frame.groupby("period", sort=True)
    tagged = per[list(matrix.columns)].sum()
    counts = per.size()
    long = tagged.stack().rename("tagged").reset_index().rename(columns={"level_1": "theme"})
    long.columns = ["period", "theme", "tagged"]
    long["papers"] = long["period"].map(counts).astype("int64")
    long["tagged"] = long["tagged"].astype("int64")
    long["share"] = long["tagged"] / long["papers"]
    long["ci_low"], long["ci_high"] = wilson_interval(long["tagged"], long["papers"], confidence)
    long["label"] = long["theme"].map(labels)
    order = {t: i for i, t in enumerate(matrix.columns)}
    long = long.sort_values(["theme", "period"], key=lambda s: s.map(order) if s.name == "theme" else s)
    out = long[["period", "theme", "label", "papers", "tagged", "share", "ci_low", "ci_high"]]
    out = out.reset_index(drop=True)
    out.attrs["undated"] = int((~dated).sum())
    return out


def papers_per_period(papers: pd.DataFrame, *, freq: str = "M", date: str | None = None) -> pd.DataFrame:
    """How many papers fall in each period: ``period`` (start) and ``papers``, empty periods included.

    ``date`` defaults as in :func:`theme_trends`; undated papers are counted in ``.attrs["undated"]``.
    """
    if date is None:
        date = "listed_on" if papers["listed_on"].notna().any() else "published"
    dates = pd.to_datetime(papers[date]).dropna()
    if dates.empty:
        out = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "papers": pd.Series(dtype="int64")})
    else:
        periods = dates.dt.to_period(freq)
        full = pd.period_range(periods.min(), periods.max(), freq=freq)
        counts = periods.value_counts().reindex(full, fill_value=0)
        out = pd.DataFrame({"period": full.start_time, "papers": counts.to_numpy().astype("int64")})
    out.attrs["undated"] = int(len(papers) - len(dates))
    return out


def rising_themes(trends: pd.DataFrame, *, recent: int = 4, confidence: float = 0.95) -> pd.DataFrame:
    """Which themes gained share: the last ``recent`` periods pooled against all earlier ones.

    Takes :func:`theme_trends`. Returns one row per theme: ``label``, ``earlier_share``,
    ``recent_share``, ``change`` (percentage points as a fraction), both Wilson
    intervals, and ``clear`` — True when the two intervals do not overlap, so the
    change is larger than the uncertainty of either share. Sorted by ``change``.
    """
    periods = sorted(trends["period"].unique())
    if len(periods) <= recent:
        raise PaperscopeError(f"{len(periods)} periods: need more than recent={recent} to compare")
    cut = periods[-recent]
    part = np.where(trends["period"] >= cut, "recent", "earlier")
    pooled = trends.assign(part=part).groupby(["theme", "label", "part"], sort=False)[
        ["tagged", "papers"]].sum().unstack("part")
    out = pd.DataFrame(index=pooled.index)
    for side in ("earlier", "recent"):
        k, n = pooled[("tagged", side)], pooled[("papers", side)]
        out[f"{side}_share"] = k / n
        out[f"{side}_low"], out[f"{side}_high"] = wilson_interval(k, n, confidence)
    out["change"] = out["recent_share"] - out["earlier_share"]
    out["clear"] = (out["recent_low"] > out["earlier_high"]) | (out["recent_high"] < out["earlier_low"])
    out = out.reset_index().sort_values(["change", "theme"], ascending=[False, True], kind="stable")
    out.attrs["split"] = pd.Timestamp(cut)
    return out.reset_index(drop=True)
