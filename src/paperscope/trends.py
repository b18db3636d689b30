"""Themes and topics over time: shares per period, with binomial confidence intervals.

Raw counts rise whenever a listing grows; the share of papers carrying a theme
does not, so trends are shares. A share from 3 papers and one from 300 are not
equally sure: each carries a Wilson score interval, and a change between two
shares carries Newcombe's interval for a difference of proportions.

Periods adapt to the data (:func:`adaptive_periods`): a period with fewer than
:data:`MIN_PAPERS` papers gives a share too unsure to read (one paper is a 0 %
or 100 % share), so sparse quarters are pooled into their year and sparse years
into multi-year spans, and a span that still has too few papers is not drawn.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from . import checks
from .errors import PaperscopeError
from .themes import Taxonomy, ThemeTags, as_theme_tags

#: Fewest papers a period needs before its share is drawn (20 papers: a 95 % Wilson
#: interval at most ±21 points wide; with 5 papers it would be ±35, with 1 paper 0–79 %).
MIN_PAPERS = 20

_FREQ_NAMES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
_DATE_COLUMNS = ("listed_on", "published", "year")


def check_freq(freq: Any) -> str:
    """``freq`` when it is one of the period codes (``D W M Q Y``), else a :class:`PaperscopeError`."""
    if freq not in _FREQ_NAMES:
        raise PaperscopeError(f"freq={freq!r}: choose one of {sorted(_FREQ_NAMES)}")
    return freq


def wilson_interval(successes, trials, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval for binomial proportions (vectorized).

    Unlike the normal approximation it stays inside [0, 1] and behaves for
    small counts and shares near 0 or 1. ``trials == 0`` gives NaN.
    """
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = norm.ppf(0.5 + checks.confidence(confidence) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z**2 / n
        center = (p + z**2 / (2 * n)) / denom
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / denom
    # Exact at the edges (rounding would leave 1e-16 off): no successes, all successes.
    low = np.where(k == 0, 0.0, np.clip(center - half, 0, 1))
    high = np.where(k == n, 1.0, np.clip(center + half, 0, 1))
    return np.where(n > 0, low, np.nan), np.where(n > 0, high, np.nan)


def newcombe_interval(k1, n1, k2, n2, confidence: float = 0.95) -> tuple[np.ndarray, np.ndarray]:
    """Interval for the difference of two proportions ``k2/n2 - k1/n1`` (vectorized).

    Newcombe's hybrid score method (his method 10, 1998): it combines the two
    Wilson intervals, so it stays sensible for small counts and shares near 0
    or 1, where the textbook normal interval fails.

    Examples
    --------
    >>> low, high = newcombe_interval(10, 100, 25, 100)   # 10 % -> 25 %
    >>> round(float(low), 3), round(float(high), 3)
    (0.045, 0.253)
    """
    k1, n1, k2, n2 = (np.asarray(v, dtype=float) for v in (k1, n1, k2, n2))
    if (k1 > n1).any() or (k2 > n2).any() or (k1 < 0).any() or (k2 < 0).any():
        raise PaperscopeError("newcombe_interval(k1, n1, k2, n2): a count of tagged papers (k) must lie "
                              f"between 0 and its number of papers (n); got k1={k1}, n1={n1}, k2={k2}, n2={n2}")
    l1, u1 = wilson_interval(k1, n1, confidence)
    l2, u2 = wilson_interval(k2, n2, confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        p1, p2 = k1 / n1, k2 / n2
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return low, high


def date_column(papers: pd.DataFrame, date: str | None = None) -> str:
    """The date column trends use: ``date`` when given, else the first of ``listed_on``,
    ``published``, ``year`` that has any value (the finest date the corpus has).

    A corpus that mixes sources (HF day files with a listing day, exports with a year only) is
    dated by the finest column, and a :class:`UserWarning` says how many papers it leaves undated
    and which column would date them (``date="year"``: coarser, but every paper).

    Raises
    ------
    PaperscopeError
        When ``date`` is not a column of ``papers``.
    """
    if date is not None:
        if date not in papers.columns:
            raise PaperscopeError(f"date={date!r} is not a column of the papers; use one of "
                                  f"{[c for c in _DATE_COLUMNS if c in papers.columns] or list(_DATE_COLUMNS)}")
        return date
    counts = {name: int(papers[name].notna().sum()) for name in _DATE_COLUMNS if name in papers.columns}
    if not counts:
        raise PaperscopeError(f"the papers have no date column ({', '.join(_DATE_COLUMNS)}); "
                              "a frame from paperscope.load has them")
    chosen = next((name for name, n in counts.items() if n), next(iter(counts)))
    best = max(counts, key=counts.__getitem__)
    if counts[best] > counts[chosen]:
        warnings.warn(f"{len(papers) - counts[chosen]:,} of {len(papers):,} papers have no {chosen!r} date and "
                      f"count as undated; date={best!r} dates {counts[best]:,} of them (coarser)",
                      UserWarning, stacklevel=3)
    return chosen


def date_format(column: str) -> str:
    """How to write a date from :func:`paper_dates`' ``column``: the year alone for year-only dates
    (they say nothing finer, and no made-up 1 January), else the day."""
    return "%Y" if column == "year" else "%Y-%m-%d"


def paper_dates(papers: pd.DataFrame, date: str | None = None) -> tuple[pd.Series, str]:
    """Each paper's date (NaT when unknown) and the column it came from.

    A ``year`` becomes 1 January of that year; such dates say nothing finer than the year.
    """
    column = date_column(papers, date)
    values = papers[column]
    if pd.api.types.is_numeric_dtype(values) and column != "year" and not pd.api.types.is_bool_dtype(values):
        raise PaperscopeError(f"date={column!r} holds numbers, not dates: choose a date column "
                              f"({', '.join(c for c in _DATE_COLUMNS if c in papers.columns)})")
    if column == "year":
        years = pd.to_numeric(values, errors="coerce").astype("Float64")
        dates = pd.to_datetime(years.astype("Int64").astype("string") + "-01-01", errors="coerce")
    else:
        try:
            with warnings.catch_warnings():  # (text that is no date: the error below says so)
                warnings.simplefilter("ignore", UserWarning)
                dates = pd.to_datetime(values)
        except (TypeError, ValueError, OverflowError) as exc:
            raise PaperscopeError(f"date={column!r}: its values are not dates ({exc})") from None
        if getattr(dates.dt, "tz", None) is not None:
            dates = dates.dt.tz_convert("UTC").dt.tz_localize(None)
    return pd.Series(dates.to_numpy(), index=papers.index, name=column), column


def _year_span_label(first: int, last: int) -> str:
    return str(first) if first == last else f"{first}–{last}"


def adaptive_periods(dates: pd.Series, *, freq: str = "Q", min_papers: int = MIN_PAPERS,
                     resolution: str | None = None) -> pd.DataFrame:
    """Place dated papers in periods that widen where the data is sparse.

    Rules, in order (each is deterministic and depends on counts only):

    1. Every paper falls in a period of length ``freq`` (``"M"``, ``"Q"`` …). A week
       that spans the new year is cut there (``2025-12-29`` ends on 1 January and
       ``2026-01-01`` takes the rest), so that no period spans two years.
    2. A calendar year keeps those periods only when each of its non-empty
       periods has at least ``min_papers`` papers; otherwise, for a ``freq``
       finer than a quarter, it is split into quarters when each of its
       non-empty quarters has that many (month → quarter), and else the whole
       year is one period (month or quarter → year).
    3. Consecutive whole-year periods with fewer than ``min_papers`` papers are
       pooled, oldest first, until the pool has ``min_papers`` (year → multi-year,
       e.g. ``1987–1991``); a year that has ``min_papers`` on its own is never
       pooled. A last pool that stays short joins the whole-year period just
       before it when there is one.
    4. A period that still has fewer than ``min_papers`` papers keeps its
       count but ``drawn`` is False: charts leave its share out.

    Parameters
    ----------
    dates
        One date per paper (NaT when unknown), e.g. from :func:`paper_dates`.
    freq
        The finest period: ``"D"``, ``"W"``, ``"M"``, ``"Q"`` or ``"Y"``.
    min_papers
        Fewest papers a period needs (default :data:`MIN_PAPERS`); ``1`` keeps
        every ``freq`` period as it is.
    resolution
        ``"Y"`` when the dates only know the year (as from the ``year`` column):
        periods are then never finer than a year.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``dates``: ``period`` (start), ``period_end`` (exclusive),
        ``period_label`` (``2025-Q3``, ``2024``, ``1987–1991``) and ``drawn``;
        NaT / NA for undated papers. ``.attrs["periods"]`` lists the periods:
        ``period``, ``period_end``, ``period_label``, ``papers``, ``drawn``.
    """
    check_freq(freq)
    min_papers = checks.count("min_papers", min_papers)
    if resolution == "Y":
        freq = "Y"
    try:
        dates = pd.to_datetime(dates)
    except (ValueError, TypeError) as exc:
        raise PaperscopeError(f"adaptive_periods takes one date per paper (NaT when unknown), e.g. from "
                              f"ps.paper_dates: {str(exc).splitlines()[0]}") from None
    dated = dates.dropna()
    base = dated.dt.to_period(freq)
    years = dated.dt.year
    # A week can start in one year and end in the next: as a period it is cut at the new year, so
    # that no period spans two years (whether a year is fine enough is decided on whole weeks; a
    # cut week too thin to chart is left undrawn by rule 4).
    fine_start = base.dt.start_time.dt.normalize()
    fine_end = (base + 1).dt.start_time.dt.normalize()
    if freq == "W":
        year_start = pd.to_datetime(years.astype(str) + "-01-01")
        next_year = pd.to_datetime((years + 1).astype(str) + "-01-01")
        fine_start = fine_start.where(fine_start >= year_start, year_start)
        fine_end = fine_end.where(fine_end <= next_year, next_year)
    # Rule 2: a year keeps its fine periods only when each non-empty one is full enough; else,
    # below a quarter, its quarters when each of those is.
    fine_years = _full_years(years, base, min_papers) if freq != "Y" else set()
    quarters = dated.dt.to_period("Q")
    quarter_years = _full_years(years, quarters, min_papers) - fine_years if freq in ("D", "W", "M") else set()
    fine_years |= quarter_years  # never pooled with other years, like a fine-grained year
    # Rule 3: pool the remaining (whole-year) years, oldest first.
    year_counts = years.value_counts().sort_index()
    coarse = [int(y) for y in year_counts.index if int(y) not in fine_years]
    groups: list[list[int]] = []
    pool: list[int] = []
    for year in coarse:
        if pool and year - pool[-1] > 1 and any(f in fine_years for f in range(pool[-1] + 1, year)):
            groups.append(pool)  # a fine-grained year lies between: never pool across it
            pool = []
        if pool and int(year_counts[year]) >= min_papers:
            groups.append(pool)  # a full year stands alone; the short pool before it is not drawn
            pool = []
        pool.append(year)
        if sum(int(year_counts[y]) for y in pool) >= min_papers:
            groups.append(pool)
            pool = []
    if pool:
        prev = groups[-1] if groups else None
        if prev is not None and not any(f in fine_years for f in range(prev[-1] + 1, pool[0])):
            prev.extend(pool)
        else:
            groups.append(pool)
    span = {y: (g[0], g[-1]) for g in groups for y in g}

    starts, ends, labels = [], [], []
    for per, start, end, quarter, year in zip(base, fine_start, fine_end, quarters, years, strict=True):
        if int(year) in quarter_years:
            starts.append(quarter.start_time)
            ends.append((quarter + 1).start_time)
            labels.append(_period_label(quarter, "Q"))
        elif int(year) in fine_years:
            starts.append(start)
            ends.append(end)
            labels.append(f"{start:%Y-%m-%d}" if freq in ("D", "W") else _period_label(per, freq))
        else:
            first, last = span[int(year)]
            starts.append(pd.Timestamp(first, 1, 1))
            ends.append(pd.Timestamp(last + 1, 1, 1))
            labels.append(_year_span_label(first, last))
    out = pd.DataFrame({"period": pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]"),
                        "period_end": pd.Series(pd.NaT, index=dates.index, dtype="datetime64[ns]"),
                        "period_label": pd.Series(pd.NA, index=dates.index, dtype="string")})
    out.loc[dated.index, "period"] = pd.to_datetime(starts).astype("datetime64[ns]")
    out.loc[dated.index, "period_end"] = pd.to_datetime(ends).astype("datetime64[ns]")
    out.loc[dated.index, "period_label"] = labels
    periods = (out.dropna(subset=["period"]).groupby(["period", "period_end", "period_label"])
               .size().rename("papers").reset_index().sort_values("period", kind="stable"))
    periods["papers"] = periods["papers"].astype("int64")
    periods["drawn"] = periods["papers"] >= min_papers
    drawn = dict(zip(periods["period"], periods["drawn"], strict=True))
    out["drawn"] = out["period"].map(drawn).astype("boolean")
    out.attrs["periods"] = periods.reset_index(drop=True)
    out.attrs["min_papers"] = int(min_papers)
    out.attrs["freq"] = freq
    return out


def _full_years(years: pd.Series, periods: pd.Series, min_papers: int) -> set[int]:
    """The years each of whose non-empty periods holds at least ``min_papers`` papers."""
    pairs = pd.DataFrame({"year": years, "p": periods}).drop_duplicates()
    pairs["n"] = pairs["p"].map(periods.value_counts())
    return {int(y) for y, g in pairs.groupby("year") if (g["n"] >= min_papers).all()}


def _period_label(per: pd.Period, freq: str) -> str:
    if freq == "Q":
        return f"{per.year}-Q{per.quarter}"
    if freq == "M":
        return f"{per.year}-{per.month:02d}"
    if freq == "Y":
        return str(per.year)
    return f"{per.start_time:%Y-%m-%d}"


def theme_trends(
    papers: pd.DataFrame,
    tags: ThemeTags | pd.DataFrame,
    *,
    freq: str = "Q",
    min_papers: int = MIN_PAPERS,
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
        The finest period, a pandas period alias: ``"Q"`` quarters (default),
        ``"M"`` months, ``"Y"`` years, ``"W"`` weeks, ``"D"`` days.
    min_papers
        Periods widen until they hold this many papers (see
        :func:`adaptive_periods`); ``1`` keeps fixed ``freq`` periods.
    date
        Date column; default the first of ``listed_on``, ``published``, ``year``
        that has any value.
    confidence
        Level of the interval.

    Returns
    -------
    pandas.DataFrame
        One row per (period, theme), periods without papers left out:
        ``period`` (start), ``period_end``, ``period_label``, ``theme``,
        ``label``, ``papers`` (dated papers in the period), ``tagged``,
        ``share``, ``ci_low``, ``ci_high`` and ``drawn`` (the period has at
        least ``min_papers``). Papers without a date cannot be placed in time;
        their count is in ``.attrs["undated"]``; ``.attrs`` also holds
        ``date``, ``freq``, ``min_papers`` and ``confidence``.

    Raises
    ------
    PaperscopeError
        When no paper has a date in the chosen column.
    """
    return as_theme_tags(tags, papers, taxonomy).trends(freq=freq, min_papers=min_papers, date=date,
                                                        confidence=confidence)


def share_trends(papers: pd.DataFrame, matrix: pd.DataFrame, labels: dict[str, str], *, freq: str = "Q",
                 min_papers: int = MIN_PAPERS, date: str | None = None,
                 confidence: float = 0.95) -> pd.DataFrame:
    """Share of papers per period for each column of a paper × theme boolean ``matrix``.

    ``matrix`` has one row per paper of ``papers``, in the same order, and its
    columns (in the order wanted) are keys of ``labels``. Parameters and
    result as in :func:`theme_trends`.
    """
    dates, column = paper_dates(papers, date)
    if not dates.notna().any():
        raise PaperscopeError(
            f"no paper has a date in {column!r}; trends need dated papers "
            "(a copied page without a year: pass year= to load)"
        )
    bins = adaptive_periods(dates, freq=freq, min_papers=min_papers,
                            resolution="Y" if column == "year" else None)
    dated = dates.notna().to_numpy()
    frame = pd.DataFrame(matrix.to_numpy()[dated], columns=matrix.columns)
    keys = ["period", "period_end", "period_label"]
    for key in keys:
        frame[key] = bins[key].to_numpy()[dated]
    per = frame.groupby(keys, sort=True)
    tagged = per[list(matrix.columns)].sum()
    counts = per.size()
    long = tagged.stack().rename("tagged").reset_index()
    long.columns = [*keys, "theme", "tagged"]
    long["papers"] = [int(counts[k]) for k in zip(long["period"], long["period_end"], long["period_label"],
                                                  strict=True)]
    long["tagged"] = long["tagged"].astype("int64")
    long["papers"] = long["papers"].astype("int64")
    long["share"] = long["tagged"] / long["papers"]
    long["ci_low"], long["ci_high"] = wilson_interval(long["tagged"], long["papers"], confidence)
    long["drawn"] = long["papers"] >= min_papers
    long["label"] = long["theme"].map(labels).fillna(long["theme"])
    order = {t: i for i, t in enumerate(matrix.columns)}
    long = long.sort_values(["theme", "period"], key=lambda s: s.map(order) if s.name == "theme" else s,
                            kind="stable")
    out = long[[*keys, "theme", "label", "papers", "tagged", "share", "ci_low", "ci_high", "drawn"]]
    out = out.reset_index(drop=True)
    out.attrs.update(undated=int((~dated).sum()), date=column, freq=bins.attrs["freq"],
                     min_papers=int(min_papers), confidence=confidence)
    return out


def papers_per_period(papers: pd.DataFrame, *, freq: str = "M", date: str | None = None) -> pd.DataFrame:
    """How many papers fall in each period, empty periods included.

    Returns ``period`` (start), ``papers`` and ``days`` (distinct dates with
    papers in the period). ``date`` defaults as in :func:`theme_trends`.
    ``.attrs``: ``undated`` (papers without a date), ``date`` (the column) and
    ``sampled`` — True when the papers are *listings* of a sample of days
    (fewer than half the weekdays between the first and the last listing carry
    papers, as with one Daily Papers file a month): the counts are then of the
    sampled days, not of everything published in the period; ``freq`` — the
    period used: a corpus dated by ``year`` alone is counted by year whatever
    ``freq`` asks (a quarter with no paper would be a guess).
    """
    check_freq(freq)
    dates, column = paper_dates(papers, date)
    if column == "year" and freq != "Y":  # a year says nothing finer: no quarter is known to be empty
        freq = "Y"
    dates = dates.dropna()
    if dates.empty:
        out = pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]"), "papers": pd.Series(dtype="int64"),
                            "days": pd.Series(dtype="int64")})
    else:
        periods = dates.dt.to_period(freq)
        full = pd.period_range(periods.min(), periods.max(), freq=freq)
        counts = periods.value_counts().reindex(full, fill_value=0)
        days = dates.dt.normalize().groupby(periods).nunique().reindex(full, fill_value=0)
        out = pd.DataFrame({"period": full.start_time, "papers": counts.to_numpy().astype("int64"),
                            "days": days.to_numpy().astype("int64")})
    sampled = False
    if column == "listed_on" and len(dates):
        weekdays = len(pd.bdate_range(dates.min().normalize(), dates.max().normalize()))
        listed = dates.dt.normalize().nunique()
        sampled = weekdays > 1 and listed < weekdays / 2
    out.attrs.update(undated=int(len(papers) - len(dates)), date=column, sampled=bool(sampled), freq=freq)
    return out


def dispersion(tagged, papers) -> float:
    """How much more a share varies from period to period than papers drawn at random would make it:
    the variance of the pooled share with the periods as clusters (the ratio estimator's), over the
    binomial variance; at least 1, NaN with fewer than two periods.

    Papers of one listing day or one quarter are no independent draws: a crawl's mix of categories
    changes from day to day (computer vision 39–57 % of a day's cs listings). Counting every paper as
    a draw makes an interval too narrow; dividing the counts by this factor (the design effect) gives
    the interval the periods' own variation allows.
    """
    k = np.asarray(tagged, dtype=float)
    n = np.asarray(papers, dtype=float)
    keep = n > 0
    k, n = k[keep], n[keep]
    m, total = len(n), n.sum()
    if m < 2:
        return float("nan")
    p = k.sum() / total
    binomial = p * (1 - p) / total
    if binomial <= 0:
        return 1.0
    clustered = m / (m - 1) * float(((k - p * n) ** 2).sum()) / total**2
    return max(1.0, clustered / binomial)


def rising_themes(trends: pd.DataFrame, *, recent: int = 4, confidence: float = 0.95) -> pd.DataFrame:
    """Which themes gained or lost share: the last ``recent`` periods pooled against all earlier ones.

    Takes :func:`theme_trends`. The recent side holds fewer than ``recent`` periods when the earlier
    side would otherwise keep under two (five periods: the last three against the first two), and
    the later half of them when there are no more than three; a ``recent`` of 1 is kept (and then
    calls no change: one period is too few). Each side's share varies from period to period more than
    independent papers would make it (a listing day's or a quarter's mix): its counts are divided
    by that side's :func:`dispersion` before the intervals are computed, so they are as wide as the
    periods' own variation. A change is only called with two periods or more on each side — one
    period cannot tell a change from the way periods differ.

    Returns one row per theme: ``theme``, ``label``, ``earlier_share``, ``recent_share`` with their
    Wilson intervals (``*_low``, ``*_high``), the counts (``earlier_tagged``, ``earlier_papers``,
    ``recent_tagged``, ``recent_papers``), ``earlier_periods``, ``recent_periods``,
    ``earlier_dispersion``, ``recent_dispersion``, ``change`` (recent − earlier, as a fraction), its
    Newcombe interval ``change_low``, ``change_high``, and ``clear`` — True when each side has two
    periods or more and that interval excludes 0 (by more than 1e-9, so float noise never
    decides). Sorted by ``change``, largest gain first; ``.attrs``: ``split`` (the first recent
    period's start), ``recent`` (periods pooled as recent), ``earlier`` (as earlier),
    ``confidence``.
    """
    recent = checks.count("recent", recent)
    confidence = checks.confidence(confidence)
    needed = {"theme", "label", "period", "tagged", "papers"}
    if not isinstance(trends, pd.DataFrame) or not needed <= set(trends.columns):
        have = sorted(trends.columns) if isinstance(trends, pd.DataFrame) else type(trends).__name__
        raise PaperscopeError(f"rising_themes takes theme_trends' table (columns {sorted(needed)}); got {have}")
    periods = sorted(trends["period"].unique())
    if len(periods) < 2:
        raise PaperscopeError(f"{len(periods)} period(s): need two or more to compare")
    # two earlier periods whenever there are four: the last `recent` against one earlier period
    # (five quarters, four recent) could never call a change; a `recent` of 1 asked for stays 1
    recent = min(recent, len(periods) - 2) if len(periods) >= 4 else max(1, len(periods) // 2)
    cut = periods[-recent]
    part = np.where(trends["period"] >= cut, "recent", "earlier")
    marked = trends.assign(part=part)
    pooled = marked.groupby(["theme", "label", "part"], sort=False)[["tagged", "papers"]].sum().unstack("part")
    spread = marked.groupby(["theme", "label", "part"], sort=False).apply(
        lambda g: dispersion(g["tagged"], g["papers"]), include_groups=False).unstack("part")
    counted = marked[marked["papers"] > 0].groupby(["theme", "label", "part"], sort=False)["period"].nunique()\
        .unstack("part")
    out = pd.DataFrame(index=pooled.index)
    effective = {}
    for side in ("earlier", "recent"):
        k, n = pooled[("tagged", side)], pooled[("papers", side)]
        factor = spread[side].reindex(out.index).fillna(1.0).to_numpy()
        effective[side] = (k.to_numpy() / factor, n.to_numpy() / factor)
        out[f"{side}_share"] = k / n
        out[f"{side}_low"], out[f"{side}_high"] = wilson_interval(*effective[side], confidence)
        out[f"{side}_tagged"], out[f"{side}_papers"] = k.astype("int64"), n.astype("int64")
        out[f"{side}_periods"] = counted[side].reindex(out.index).fillna(0).astype("int64")
        out[f"{side}_dispersion"] = spread[side].reindex(out.index).round(3)
    out["change"] = out["recent_share"] - out["earlier_share"]
    out["change_low"], out["change_high"] = newcombe_interval(*effective["earlier"], *effective["recent"],
                                                              confidence)
    enough = (out["earlier_periods"] >= 2) & (out["recent_periods"] >= 2)
    out["clear"] = enough & ((out["change_low"] > 1e-9) | (out["change_high"] < -1e-9))
    out = out.reset_index().sort_values(["change", "theme"], ascending=[False, True], kind="stable")
    out.attrs.update(split=pd.Timestamp(cut), recent=recent, earlier=len(periods) - recent, confidence=confidence)
    return out.reset_index(drop=True)


def topics_over_time(papers: pd.DataFrame, assignments: pd.DataFrame, *, freq: str = "Q",
                     min_papers: int = MIN_PAPERS, date: str | None = None,
                     confidence: float = 0.95) -> pd.DataFrame:
    """Share of each period's papers in each topic, periods as in :func:`theme_trends`.

    Parameters
    ----------
    papers
        Schema frame the topics were fitted on.
    assignments
        ``Topics.assignments`` from :func:`paperscope.fit_topics` (``paper_id``,
        ``topic``, ``topic_label``).

    Returns
    -------
    pandas.DataFrame
        One row per (period, topic): ``period``, ``period_end``,
        ``period_label``, ``topic``, ``topic_label``, ``papers`` (in the
        period), ``count`` (of them in the topic), ``share``, ``ci_low``,
        ``ci_high``, ``drawn``. Topics in id order (outliers, ``-1``, last).
    """
    dates, column = paper_dates(papers, date)
    if not dates.notna().any():
        raise PaperscopeError(f"no paper has a date in {column!r}; topics over time need dated papers")
    bins = adaptive_periods(dates, freq=freq, min_papers=min_papers,
                            resolution="Y" if column == "year" else None)
    frame = pd.concat([papers[["paper_id"]].reset_index(drop=True),
                       bins.reset_index(drop=True)], axis=1).dropna(subset=["period"])
    joined = frame.merge(assignments[["paper_id", "topic", "topic_label"]], on="paper_id", how="inner")
    keys = ["period", "period_end", "period_label"]
    totals = joined.groupby(keys).size().rename("papers")
    counts = joined.groupby([*keys, "topic", "topic_label"]).size().rename("count")
    topics = joined[["topic", "topic_label"]].drop_duplicates()
    grid = totals.reset_index().merge(topics, how="cross")
    out = grid.merge(counts.reset_index(), on=[*keys, "topic", "topic_label"], how="left")
    out["count"] = out["count"].fillna(0).astype("int64")
    out["papers"] = out["papers"].astype("int64")
    out["share"] = out["count"] / out["papers"]
    out["ci_low"], out["ci_high"] = wilson_interval(out["count"], out["papers"], confidence)
    out["drawn"] = out["papers"] >= min_papers
    rank = out["topic"].where(out["topic"] >= 0, np.iinfo(np.int64).max)
    out = out.assign(_rank=rank).sort_values(["_rank", "period"], kind="stable").drop(columns="_rank")
    out = out[[*keys, "topic", "topic_label", "papers", "count", "share", "ci_low", "ci_high", "drawn"]]
    out.attrs.update(date=column, freq=bins.attrs["freq"], min_papers=int(min_papers))
    return out.reset_index(drop=True)
