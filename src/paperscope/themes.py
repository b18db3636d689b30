"""Curated research themes: load an editable taxonomy, tag papers with evidence, score tags.

The taxonomy is data (``taxonomies/default.toml``; its header documents the
format). A theme is tagged when the title names it, or when the abstract
mentions it at least ``min_abstract`` times — a theme must be the paper's
subject, method or application, not a passing mention. Phrases are matched as
whole words, case-insensitively; acronyms case-sensitively ("PINNs" is not
"pins"); a match inside an ``exclude`` context ("diffusion equation") is dropped.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import TaxonomyError

DEFAULT_TAXONOMY = files("paperscope") / "taxonomies" / "default.toml"
_KEYS = {"label", "description", "parent", "phrases", "acronyms", "exclude", "min_abstract"}
_EDGE_L, _EDGE_R = r"(?<![A-Za-z0-9])", r"(?![A-Za-z0-9])"
CONTEXT = 50  # characters of context on each side of the evidence


def _needles(pattern: str, flags: int, *, lower: bool = True,
             shortest: int = 3) -> frozenset[str] | None:
    """Strings (lower-cased unless ``lower=False``) of which every match of ``pattern`` contains one.

    Read from the pattern's parse tree: literals in a mandatory sequence, a
    group, each arm of an alternation, or a repeat of at least one. Of the
    candidate sets, the one whose shortest string is longest is kept (the most
    selective); ``None`` when none has strings of ``shortest`` characters or
    more, or the parse is unavailable: then the pattern is always run, which
    is merely slower.
    """
    try:
        from re import _constants as c
        from re import _parser as sre_parse  # Python >= 3.11
        tree = sre_parse.parse(pattern, flags)
    except Exception:  # pragma: no cover - a Python without the private parser
        return None

    def best(seq) -> frozenset[str] | None:
        candidates: list[frozenset[str]] = []
        run = ""
        for op, arg in seq:
            if op is c.LITERAL:
                run += chr(arg)
                continue
            if run:
                candidates.append(frozenset([run]))
            run = ""
            sub = None
            if op is c.SUBPATTERN:
                sub = best(arg[3].data)
            elif op is c.BRANCH:
                arms = [best(a.data) for a in arg[1]]
                sub = None if None in arms else frozenset().union(*arms)
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and arg[0] >= 1:
                sub = best(arg[2].data)
            if sub:
                candidates.append(sub)
        if run:
            candidates.append(frozenset([run]))
        if not candidates:
            return None
        return max(candidates, key=lambda s: min(map(len, s)))

    found = best(tree.data)
    if not found or min(map(len, found)) < shortest:
        return None
    return frozenset(s.lower() for s in found) if lower else found


@dataclass(frozen=True)
class Theme:
    """One theme of a taxonomy (see ``taxonomies/default.toml`` for the fields)."""

    id: str
    label: str
    description: str
    phrases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    parent: str | None = None
    min_abstract: int = 2
    origin: str = ""
    _match: re.Pattern[str] = field(init=False, repr=False, compare=False)
    _exclude: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _needles: tuple[str, ...] | None = field(init=False, repr=False, compare=False)
    _acronym_needles: tuple[str, ...] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        parts = [f"(?i:{p})" for p in self.phrases] + [f"(?:{a})" for a in self.acronyms]
        try:
            match = re.compile(_EDGE_L + "(?:" + "|".join(parts) + ")" + _EDGE_R) if parts else None
            exclude = (re.compile("(?i:" + "|".join(self.exclude) + ")") if self.exclude else None)
        except re.error as exc:
            raise TaxonomyError(f"{self.origin}: theme {self.id!r}: bad pattern: {exc}") from None
        if match is None:
            raise TaxonomyError(f"{self.origin}: theme {self.id!r} has no phrases or acronyms")
        object.__setattr__(self, "_match", match)
        object.__setattr__(self, "_exclude", exclude)
        # Phrases are looked for in lower-cased text, acronyms in the text as written
        # (far more selective: "BO" is rare, "bo" is in "both").
        sets = [_needles(p, re.IGNORECASE) for p in self.phrases]
        acronym_sets = [_needles(a, 0, lower=False, shortest=2) for a in self.acronyms]
        for name, found in (("_needles", sets), ("_acronym_needles", acronym_sets)):
            value = None if None in found else tuple(sorted(frozenset().union(*found)))
            object.__setattr__(self, name, value)

    def find(self, text: str) -> list[re.Match[str]]:
        """Matches of this theme in ``text``, minus those inside an excluded context.

        A text that contains none of the theme's needles (see :func:`_needles`)
        cannot match; :func:`tag_themes` uses that to skip most texts.
        """
        found = list(self._match.finditer(text))
        if found and self._exclude is not None:
            vetoes = [m.span() for m in self._exclude.finditer(text)]
            found = [m for m in found if not any(a < m.end() and m.start() < b for a, b in vetoes)]
        return found


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of themes; build it with :func:`load_taxonomy`."""

    themes: tuple[Theme, ...]

    @property
    def ids(self) -> list[str]:
        return [t.id for t in self.themes]

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def table(self) -> pd.DataFrame:
        """The themes as a DataFrame: id, label, parent, description."""
        return pd.DataFrame(
            [(t.id, t.label, t.parent, t.description) for t in self.themes],
            columns=["theme", "label", "parent", "description"],
        ).astype("string")


def _read(path: os.PathLike[str] | str) -> dict[str, Theme]:
    origin = str(path)
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{origin}: not valid TOML: {exc}") from None
    table = data.get("themes")
    if not isinstance(table, dict) or not table:
        raise TaxonomyError(f"{origin}: expected [themes.<id>] tables, found none")
    themes = {}
    for theme_id, spec in table.items():
        if not re.fullmatch(r"[a-z][a-z0-9_]*", theme_id):
            raise TaxonomyError(f"{origin}: theme id {theme_id!r} must be lower_snake_case")
        unknown = set(spec) - _KEYS
        if unknown:
            raise TaxonomyError(f"{origin}: theme {theme_id!r}: unknown keys {sorted(unknown)}")
        for key in ("label", "description"):
            if not isinstance(spec.get(key), str) or not spec[key].strip():
                raise TaxonomyError(f"{origin}: theme {theme_id!r}: {key!r} is required")
        themes[theme_id] = Theme(
            id=theme_id, label=spec["label"], description=spec["description"],
            phrases=tuple(spec.get("phrases", ())), acronyms=tuple(spec.get("acronyms", ())),
            exclude=tuple(spec.get("exclude", ())), parent=spec.get("parent"),
            min_abstract=int(spec.get("min_abstract", 2)), origin=origin,
        )
    return themes


def load_taxonomy(*paths: str | os.PathLike[str], include_default: bool = True) -> Taxonomy:
    """Load themes from TOML files.

    Parameters
    ----------
    *paths
        User taxonomy files, read in order. A theme whose id already exists
        replaces the earlier definition (so a user can refine a default theme).
    include_default
        Start from paperscope's default taxonomy (``True``) or only the files given.

    Raises
    ------
    TaxonomyError
        Naming the file and theme: invalid TOML, unknown keys, missing label or
        description, a bad regular expression, or a parent that does not exist.

    Examples
    --------
    >>> import paperscope as ps
    >>> tax = ps.load_taxonomy()                       # the default themes
    >>> tax = ps.load_taxonomy("my_themes.toml")       # doctest: +SKIP
    """
    themes: dict[str, Theme] = {}
    sources: list[str | os.PathLike[str]] = [str(DEFAULT_TAXONOMY)] if include_default else []
    for path in [*sources, *paths]:
        themes.update(_read(path))
    if not themes:
        raise TaxonomyError("no themes: pass a taxonomy file or include_default=True")
    for theme in themes.values():
        if theme.parent is not None and theme.parent not in themes:
            raise TaxonomyError(f"{theme.origin}: theme {theme.id!r}: unknown parent {theme.parent!r}")
    return Taxonomy(tuple(themes.values()))


def _resolve(taxonomy: Taxonomy | str | os.PathLike[str] | Sequence | None) -> Taxonomy:
    if taxonomy is None:
        return load_taxonomy()
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if isinstance(taxonomy, (str, os.PathLike)):
        return load_taxonomy(taxonomy)
    return load_taxonomy(*taxonomy)


def _evidence(text: str, match: re.Match[str]) -> str:
    start, end = match.span()
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    return (("…" if left else "") + text[left:start] + "[" + match.group(0) + "]"
            + text[end:right] + ("…" if right < len(text) else ""))


TAG_COLUMNS = ["paper_id", "theme", "field", "evidence", "title_matches", "abstract_matches", "score"]


def tag_themes(
    papers: pd.DataFrame,
    taxonomy: Taxonomy | str | os.PathLike[str] | Iterable | None = None,
) -> pd.DataFrame:
    """Tag papers with curated themes, with the evidence for each tag.

    Parameters
    ----------
    papers
        Schema frame (needs ``paper_id``, ``title``, ``abstract``).
    taxonomy
        A :class:`Taxonomy`, a user TOML file (added to the defaults), a list
        of files, or ``None`` for the default taxonomy.

    Returns
    -------
    pandas.DataFrame
        One row per (paper, theme) tag, in paper order then taxonomy order:
        ``paper_id``, ``theme``, ``field`` (``title``, ``abstract`` or
        ``via <child theme>`` for a parent), ``evidence`` (the first match in
        its context, the match in ``[brackets]``), ``title_matches``,
        ``abstract_matches`` and ``score`` (title matches weigh 2, abstract 1).
        A paper with no theme has one row with ``theme`` NA, so it stays visible.
    """
    tax = _resolve(taxonomy)
    ids = papers["paper_id"].tolist()
    titles = papers["title"].tolist()
    abstracts = papers["abstract"].fillna("").tolist()
    # One vectorized substring scan per theme (pyarrow's RE2 on literals) finds the
    # few papers that can match; only those run the full pattern.
    full = (papers["title"] + "\n" + papers["abstract"].fillna("")).astype(pd.StringDtype("pyarrow"))
    full = full.reset_index(drop=True)
    lowered = full.str.lower()

    def containing(series: pd.Series, needles: tuple[str, ...] | None) -> np.ndarray:
        if needles is None:
            return np.ones(len(series), dtype=bool)
        if not needles:
            return np.zeros(len(series), dtype=bool)
        return series.str.contains("|".join(map(re.escape, needles)), regex=True).to_numpy(bool)

    direct: dict[int, dict[str, tuple]] = {}
    for theme in tax.themes:
        mask = containing(lowered, theme._needles) | containing(full, theme._acronym_needles)
        for i in np.flatnonzero(mask):
            title, abstract = titles[i], abstracts[i]
            in_title = theme.find(title)
            in_abstract = theme.find(abstract)
            if in_title or len(in_abstract) >= theme.min_abstract:
                first, text, where = ((in_title[0], title, "title") if in_title
                                      else (in_abstract[0], abstract, "abstract"))
                direct.setdefault(int(i), {})[theme.id] = (
                    ids[i], theme.id, where, _evidence(text, first),
                    len(in_title), len(in_abstract), 2 * len(in_title) + len(in_abstract))

    rows: list[tuple] = []
    for i, pid in enumerate(ids):
        tagged = direct.get(i, {})
        # Parents inherit their children's tags (transitively), after the direct ones.
        for theme in tax.themes:
            child = theme.id
            parent = theme.parent
            while child in tagged and parent is not None:
                if parent not in tagged:
                    tagged[parent] = (pid, parent, f"via {child}", tagged[child][3], 0, 0,
                                      tagged[child][6])
                child, parent = parent, tax[parent].parent
        if tagged:
            rows.extend(tagged[t] for t in tax.ids if t in tagged)
        else:
            rows.append((pid, None, None, None, 0, 0, 0))
    out = pd.DataFrame(rows, columns=TAG_COLUMNS)
    return out.astype({"paper_id": "string", "theme": "string", "field": "string",
                       "evidence": "string", "title_matches": "int64",
                       "abstract_matches": "int64", "score": "int64"})


def theme_matrix(papers: pd.DataFrame, tags: pd.DataFrame,
                 taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Wide boolean view: one row per paper (index ``paper_id``), one column per theme.

    Every paper appears, also those with no theme (all False); every theme of
    the taxonomy appears, also those no paper has, and so does any other theme
    found in ``tags`` (tags made with a user taxonomy are never dropped).
    """
    hits = tags.dropna(subset=["theme"])
    themes = (taxonomy or _resolve(None)).ids
    themes += sorted(set(hits["theme"]) - set(themes))  # tagged with a taxonomy not passed here
    matrix = pd.crosstab(hits["paper_id"], hits["theme"]).astype(bool)
    matrix = matrix.reindex(index=papers["paper_id"], columns=themes, fill_value=False)
    matrix.index.name, matrix.columns.name = "paper_id", "theme"
    return matrix.astype(bool)


def untagged(papers: pd.DataFrame, tags: pd.DataFrame) -> pd.DataFrame:
    """The papers that carry no theme (a hint at what the taxonomy misses)."""
    none = set(tags.loc[tags["theme"].isna(), "paper_id"])
    return papers[papers["paper_id"].isin(none)]


def theme_prevalence(papers: pd.DataFrame, tags: pd.DataFrame,
                     taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """How many papers carry each theme: ``theme``, ``label``, ``papers``, ``share``.

    Sorted by count, most common first; themes with no paper are kept (count 0).
    """
    tax = taxonomy or _resolve(None)
    matrix = theme_matrix(papers, tags, tax)
    counts = matrix.sum(axis=0).astype("int64")
    labels = {t.id: t.label for t in tax.themes}
    out = pd.DataFrame({"theme": counts.index, "label": [labels[t] for t in counts.index],
                        "papers": counts.to_numpy()})
    out["share"] = out["papers"] / max(len(papers), 1)
    out["_order"] = np.arange(len(out))
    out = out.sort_values(["papers", "_order"], ascending=[False, True]).drop(columns="_order")
    return out.reset_index(drop=True)


def theme_cooccurrence(papers: pd.DataFrame, tags: pd.DataFrame,
                       taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Theme × theme matrix of how many papers carry both (diagonal: papers with the theme)."""
    matrix = theme_matrix(papers, tags, taxonomy).astype("int64")
    co = matrix.T @ matrix
    co.index.name, co.columns.name = "theme", "theme"
    return co


def evaluate_themes(papers: pd.DataFrame, tags: pd.DataFrame, gold: str | os.PathLike[str] | pd.DataFrame,
                    ) -> pd.DataFrame:
    """Score tags against hand labels: precision, recall, F1 and support per theme, and micro.

    Parameters
    ----------
    papers
        The papers that were tagged.
    tags
        Output of :func:`tag_themes`.
    gold
        CSV (or DataFrame) with a ``title`` column and one column per theme
        holding ``1`` (the theme is the paper's main subject, method or
        application), ``0`` (it is not) or ``?`` (ambiguous: not scored).
        Papers are matched by folded title; a gold title that is not among
        the papers is an error.

    Returns
    -------
    pandas.DataFrame
        One row per gold theme plus a ``micro`` row: ``theme``, ``support``
        (gold positives), ``predicted``, ``tp``, ``fp``, ``fn``, ``ignored``
        (``?`` labels), ``precision``, ``recall``, ``f1``.
    """
    from .errors import PaperscopeError
    from .text import fold_title

    frame = gold if isinstance(gold, pd.DataFrame) else pd.read_csv(gold, dtype=str, keep_default_na=False)
    if "title" not in frame.columns:
        raise PaperscopeError(f"{gold}: gold labels need a 'title' column")
    by_title = dict(zip(papers["title"].map(fold_title), papers["paper_id"], strict=True))
    keys = frame["title"].map(fold_title)
    missing = frame.loc[~keys.isin(list(by_title)), "title"].tolist()
    if missing:
        raise PaperscopeError(f"{len(missing)} gold title(s) are not among the papers, e.g. {missing[0]!r}")
    ids = keys.map(by_title)
    matrix = theme_matrix(papers, tags)
    rows = []
    for theme in [c for c in frame.columns if c != "title"]:
        labels = frame[theme].str.strip()
        bad = labels[~labels.isin(["0", "1", "?"])]
        if len(bad):
            raise PaperscopeError(f"gold column {theme!r}, row {bad.index[0] + 2}: "
                                  f"expected 1, 0 or ?, found {bad.iloc[0]!r}")
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
