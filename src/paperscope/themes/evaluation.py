"""Scoring tags against hand labels: precision, recall and F1 per theme."""

from __future__ import annotations

import os
import warnings

import numpy as np
import pandas as pd

from ..errors import PaperscopeError
from ..text import fold_title


def _cell(value: object) -> str:
    """A label cell of a DataFrame as the CSV would hold it: NA → '', 1.0 → '1'."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def read_gold(gold: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Hand labels, checked: a ``title`` column, each title once, and ``1``/``0``/``?`` in every other column.

    Raises
    ------
    PaperscopeError
        Naming the file, the row and what is wrong (or that the file cannot be read).
    """
    name = "gold" if isinstance(gold, pd.DataFrame) else os.fspath(gold)
    if isinstance(gold, pd.DataFrame):
        frame = gold.map(_cell)  # a blank cell is '' (and named below), a whole float its number
    else:
        try:
            frame = pd.read_csv(gold, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except FileNotFoundError:
            raise PaperscopeError(f"{name}: gold file not found") from None
        except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as exc:
            raise PaperscopeError(f"{name}: not a CSV of hand labels ({exc})") from None
    if "title" not in frame.columns:
        raise PaperscopeError(f"{name}: gold labels need a 'title' column (the header has "
                              f"{list(frame.columns)[:6]})")
    blank = frame.index[frame["title"].str.strip() == ""]
    if len(blank):
        raise PaperscopeError(f"{name}: row {blank[0] + 2} has no title")
    for theme in [c for c in frame.columns if c != "title"]:
        labels = frame[theme].str.strip()
        bad = labels[~labels.isin(["0", "1", "?"])]
        if len(bad):
            raise PaperscopeError(f"{name}: gold column {theme!r}, row {bad.index[0] + 2}: "
                                  f"expected 1, 0 or ?, found {bad.iloc[0]!r}")
    keys = frame["title"].map(fold_title)
    repeated = keys[keys.duplicated()]
    if len(repeated):  # it would be scored twice
        first = int(keys[keys == repeated.iloc[0]].index[0])
        raise PaperscopeError(f"{name}: the title of row {repeated.index[0] + 2} repeats row {first + 2} "
                              f"({frame['title'].iloc[first]!r}); label each paper once")
    return frame


def score_themes(papers: pd.DataFrame, matrix: pd.DataFrame,
                 gold: str | os.PathLike[str] | pd.DataFrame) -> pd.DataFrame:
    """Score a paper × theme boolean matrix against hand labels.

    Parameters
    ----------
    papers
        The papers that were tagged.
    matrix
        One row per paper (index ``paper_id``), one boolean column per theme,
        as :meth:`ThemeTags.matrix` gives it.
    gold
        CSV (or DataFrame) with a ``title`` column and one column per theme
        holding ``1`` (the theme is the paper's main subject, method or
        application), ``0`` (it is not) or ``?`` (ambiguous: not scored).
        Papers are matched by folded title; a gold title that is not among
        the papers is an error. A gold theme no column of ``matrix`` names
        counts as predicted for no paper, with a warning naming it.

    Returns
    -------
    pandas.DataFrame
        One row per gold theme plus a ``micro`` row: ``theme``, ``support``
        (gold positives), ``predicted``, ``tp``, ``fp``, ``fn``, ``ignored``
        (``?`` labels), ``precision``, ``recall``, ``f1``.
    """
    frame = read_gold(gold)
    by_title = dict(zip(papers["title"].map(fold_title), papers["paper_id"], strict=True))
    keys = frame["title"].map(fold_title)
    missing = frame.loc[~keys.isin(list(by_title)), "title"].tolist()
    if missing:
        raise PaperscopeError(f"{len(missing)} gold title(s) are not among the papers, e.g. {missing[0]!r}")
    ids = keys.map(by_title)
    unknown = [c for c in frame.columns if c != "title" and c not in matrix.columns]
    if unknown:
        warnings.warn(f"gold column(s) {unknown} name no theme of the taxonomy that made the tags: they are "
                      "scored as never predicted (tag with the taxonomy that defines them, e.g. --taxonomy "
                      "FILE, or check the column names)", UserWarning, stacklevel=3)
    rows = []
    for theme in [c for c in frame.columns if c != "title"]:
        labels = frame[theme].str.strip()
        predicted = (matrix[theme].reindex(ids).to_numpy() if theme in matrix.columns
                     else np.zeros(len(ids), dtype=bool))
        scored = (labels != "?").to_numpy()
        truth = (labels == "1").to_numpy()
        tp = int((predicted & truth & scored).sum())
        fp = int((predicted & ~truth & scored).sum())
        fn = int((~predicted & truth & scored).sum())
        rows.append({"theme": theme, "support": tp + fn, "predicted": tp + fp, "tp": tp, "fp": fp,
                     "fn": fn, "ignored": int((~scored).sum())})
    out = pd.DataFrame(rows)
    micro = out[["support", "predicted", "tp", "fp", "fn", "ignored"]].sum()
    out = pd.concat([out, pd.DataFrame([{"theme": "micro", **micro.to_dict()}])], ignore_index=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["precision"] = np.where(out["predicted"] > 0, out["tp"] / out["predicted"], np.nan)
        out["recall"] = np.where(out["support"] > 0, out["tp"] / out["support"], np.nan)
        p, r = out["precision"], out["recall"]
        out["f1"] = np.where((p + r) > 0, 2 * p * r / (p + r), np.nan)
    return out


def label_agreement(first: pd.DataFrame, second: pd.DataFrame, key: str = "title") -> pd.DataFrame:
    """Agreement of two labellers on the papers both labelled: Cohen's kappa and percent agreement.

    Parameters
    ----------
    first, second
        Label tables with a ``key`` column and one ``1``/``0``/``?`` column per
        theme (as ``labels.csv``); only the themes and papers both have are
        compared, and a pair where either label is ``?`` is left out.
    key
        The column that names a paper in both (folded when it is ``title``).

    Returns
    -------
    pandas.DataFrame
        One row per theme plus ``overall`` (every theme's pairs pooled):
        ``theme``, ``pairs``, ``both_1``, ``agree`` (share of equal labels),
        ``kappa`` (NaN where chance agreement is 1: a theme neither labeller
        ever gave, or always gave), ``one_unsure`` (pairs left out because one
        labeller said ``?`` and the other did not).
    """
    def keyed(frame: pd.DataFrame) -> pd.DataFrame:
        if key not in frame.columns:
            raise PaperscopeError(f"label tables need a {key!r} column")
        out = frame.astype(str).copy()
        out.index = out[key].map(fold_title) if key == "title" else out[key]
        return out

    a, b = keyed(first), keyed(second)
    common = [i for i in b.index if i in set(a.index)]
    themes = [c for c in a.columns if c in b.columns and c not in (key, "title", "eval_id")]
    rows, pooled_a, pooled_b = [], [], []
    for theme in themes:
        x, y = a.loc[common, theme].str.strip().to_numpy(), b.loc[common, theme].str.strip().to_numpy()
        keep = (x != "?") & (y != "?")
        unsure = int(((x == "?") != (y == "?")).sum())
        x, y = x[keep] == "1", y[keep] == "1"
        pooled_a.append(x)
        pooled_b.append(y)
        rows.append({"theme": theme, **_kappa(x, y), "one_unsure": unsure})
    rows.append({"theme": "overall", **_kappa(np.concatenate(pooled_a), np.concatenate(pooled_b)),
                 "one_unsure": sum(r["one_unsure"] for r in rows)})
    return pd.DataFrame(rows)


def _kappa(x: np.ndarray, y: np.ndarray) -> dict:
    n = len(x)
    agree = float((x == y).mean()) if n else np.nan
    chance = float(x.mean() * y.mean() + (1 - x.mean()) * (1 - y.mean())) if n else np.nan
    kappa = (agree - chance) / (1 - chance) if n and chance < 1 else np.nan
    return {"pairs": n, "both_1": int((x & y).sum()), "agree": agree, "kappa": kappa}
