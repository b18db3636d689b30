"""The taxonomy: themes read from TOML files, every mistake in them a :class:`TaxonomyError`.

The taxonomy is data (``taxonomies/default.toml``; its header and
``docs/themes.md`` document the format). A theme is tagged when the title
names it, or when the abstract mentions it at least ``min_abstract`` times.
Phrases are matched as whole words, case-insensitively; acronyms
case-sensitively ("PINNs" is not "pins"); a match inside an ``exclude``
context ("diffusion equation") is dropped. Patterns run with RE2 (see
:mod:`.patterns`), in time linear in the text whatever the pattern.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path

import pandas as pd

from ..errors import TaxonomyError
from .patterns import PatternError, Vetoes, WordMatcher, check, needles
from .semantic import SemanticSettings, read_settings

DEFAULT_TAXONOMY = files("paperscope") / "taxonomies" / "default.toml"
_KEYS = {"label", "description", "parent", "phrases", "acronyms", "strong", "exclude", "requires",
         "min_abstract", "examples", "own_method", "since", "first_sentence", "weak",
         "weak_context"}
_PATTERN_KEYS = ("phrases", "acronyms", "strong", "exclude", "requires", "weak", "weak_context")
# "(TTS)", "(LLMs)", "(tts)": the acronym an exclude match defines (compared in lower case)
_DEFINED = re.compile(r"\(\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*?)s?\s*\)")


@dataclass(frozen=True)
class Theme:
    """One theme of a taxonomy (see ``docs/themes.md`` for the fields).

    Built by :func:`load_taxonomy`, which checks the types; building one by
    hand checks the patterns (each must compile with RE2 and match no empty
    string) and raises :class:`TaxonomyError` naming ``origin``, the theme and the key.
    """

    id: str
    label: str
    description: str
    phrases: tuple[str, ...] = ()
    acronyms: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    parent: str | None = None
    min_abstract: int = 2
    strong: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    own_method: bool = False
    since: int | None = None
    first_sentence: bool | None = None  # None: the taxonomy's [rules] first_sentence
    weak: tuple[str, ...] = ()
    weak_context: tuple[str, ...] = ()
    origin: str = field(default="", compare=False)  # the same theme read from another path is the same theme
    _match: WordMatcher = field(init=False, repr=False, compare=False)
    _strong: WordMatcher | None = field(init=False, repr=False, compare=False)
    _weak: WordMatcher | None = field(init=False, repr=False, compare=False)
    _weak_context: WordMatcher | None = field(init=False, repr=False, compare=False)
    _requires: WordMatcher | None = field(init=False, repr=False, compare=False)
    _exclude: Vetoes | None = field(init=False, repr=False, compare=False)
    _needles: tuple[str, ...] | None = field(init=False, repr=False, compare=False)
    _acronym_needles: tuple[str, ...] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.since is not None and (type(self.since) is not int or not 1000 <= self.since <= 9999):
            raise TaxonomyError(self.origin or None, f"must be a year (a whole number such as 2018), "
                                                     f"found {self.since!r}", theme=self.id, key="since")
        if not self.phrases and not self.acronyms:
            raise TaxonomyError(self.origin or None, "has no phrases or acronyms: nothing could tag it",
                                theme=self.id, key="phrases")
        for key in _PATTERN_KEYS:
            if isinstance(getattr(self, key), str):  # would be read one character at a time
                raise TaxonomyError(self.origin or None, "must be a sequence of patterns, not one string",
                                    theme=self.id, key=key)
            for i, pattern in enumerate(getattr(self, key)):
                try:
                    check(pattern)
                except PatternError as exc:
                    raise TaxonomyError(self.origin or None, f"item {i + 1} '{pattern}': {exc}",
                                        theme=self.id, key=key) from None
        parts = [f"(?i:{p})" for p in self.phrases] + [f"(?:{a})" for a in self.acronyms]
        strong = [f"(?i:{p})" for p in self.strong]
        weak = [f"(?i:{p})" for p in self.weak]
        weak_context = [f"(?i:{p})" for p in self.weak_context]
        requires = [f"(?i:{p})" for p in self.requires]  # whole words: 'trained' is not in 'constrained'
        for key, build, arg, attr in (("phrases", WordMatcher, parts, "_match"),
                                      ("strong", WordMatcher, strong, "_strong"),
                                      ("weak", WordMatcher, weak, "_weak"),
                                      ("weak_context", WordMatcher, weak_context, "_weak_context"),
                                      ("exclude", Vetoes, self.exclude, "_exclude"),
                                      ("requires", WordMatcher, requires, "_requires")):
            try:
                value = build(arg) if arg else None
            except PatternError as exc:
                raise TaxonomyError(self.origin or None, f"the patterns together: {exc}",
                                    theme=self.id, key=key) from None
            object.__setattr__(self, attr, value)
        # Phrases are looked for in lower-cased text, acronyms in the text as written
        # (far more selective: "BO" is rare, "bo" is in "both").
        sets = [needles(p, ignore_case=True) for p in (*self.phrases, *self.strong, *self.weak)]
        acronym_sets = [needles(a, ignore_case=False, shortest=2) for a in self.acronyms]
        for name, found in (("_needles", sets), ("_acronym_needles", acronym_sets)):
            value = None if None in found else tuple(sorted(frozenset().union(*found)))
            object.__setattr__(self, name, value)

    def find(self, text: str) -> list[tuple[int, int]]:
        """Spans ``(start, end)`` of this theme's matches in ``text``, minus those inside an excluded context.

        A text that contains none of the theme's needles (see
        :func:`.patterns.needles`) cannot match; :func:`tag_themes` uses that to
        skip most texts.
        """
        return self._find(self._match, text)

    def context_ok(self, text: str) -> bool:
        """Whether ``text`` (title and abstract) holds one of the theme's ``requires`` patterns, if it has any."""
        return self._requires is None or bool(self._requires.spans(text.encode("utf-8")))

    def defined_away(self, text: str) -> frozenset[str]:
        """Acronyms that an ``exclude`` match of ``text`` defines: in ``'test-time scaling (TTS)'``,
        ``TTS`` means something else than the theme's, everywhere in that paper."""
        if self._exclude is None or "(" not in text:
            return frozenset()
        data = text.encode("utf-8")
        found = set()
        for start, end in self._exclude.spans(data):
            found.update(w.lower() for w in _DEFINED.findall(data[start:end].decode("utf-8", "replace"))
                         if len(w) >= 2)
        return frozenset(found)

    def find_strong(self, text: str) -> list[tuple[int, int]]:
        """Spans of this theme's ``strong`` phrases in ``text`` (one in the abstract is enough), minus excluded ones."""
        return self._find(self._strong, text) if self._strong is not None else []

    def find_weak(self, text: str, found: list[tuple[int, int]] | None = None) -> list[tuple[int, int]]:
        """Spans of this theme's ``weak`` patterns in ``text`` that no phrase or acronym match
        (``found``, else :meth:`find`'s) overlaps."""
        if self._weak is None:
            return []
        weak = self._find(self._weak, text)
        if weak:
            found = self.find(text) if found is None else found
            weak = [(s, e) for s, e in weak if not any(a < e and s < b for a, b in found)]
        return weak

    def weak_context_in(self, text: str) -> bool:
        """Whether ``text`` holds one of the theme's ``weak_context`` patterns."""
        return self._weak_context is not None and bool(self._weak_context.spans(text.encode("utf-8")))

    def _find(self, matcher: WordMatcher, text: str) -> list[tuple[int, int]]:
        data = text.encode("utf-8")
        found = matcher.spans(data)
        if found and self._exclude is not None:
            vetoes = self._exclude.spans(data)
            found = [(s, e) for s, e in found if not any(a < e and s < b for a, b in vetoes)]
        if found and len(data) != len(text):  # not ASCII: byte offsets to character offsets
            found = [(len(data[:s].decode("utf-8")), len(data[:e].decode("utf-8"))) for s, e in found]
        return found


@dataclass(frozen=True)
class Taxonomy:
    """An ordered set of themes; build it with :func:`load_taxonomy`.

    Ids and labels must be unique, every parent must be a theme of the
    taxonomy, and following parents must never come back to a theme (a
    cycle): all are checked here. Two taxonomies are equal when their
    themes and settings are, whatever paths they were read from.
    """

    themes: tuple[Theme, ...]
    sources: tuple[str, ...] = field(default=(), compare=False)  # equal themes from other paths: equal
    semantic: SemanticSettings = field(default_factory=SemanticSettings)
    first_sentence: bool = False

    def __post_init__(self) -> None:
        by_id: dict[str, Theme] = {}
        named: dict[str, str] = {}
        for theme in self.themes:
            if theme.id in by_id:
                raise TaxonomyError(theme.origin or None, "a second theme with this id: every tag and count "
                                    "would be made twice (a file read later replaces a theme of an "
                                    "earlier one; a taxonomy built by hand must leave the first out)",
                                    theme=theme.id, key="id")
            by_id[theme.id] = theme
            other = named.setdefault(theme.label.casefold(), theme.id)
            if other != theme.id:
                raise TaxonomyError(theme.origin or None, f"themes {other!r} and {theme.id!r} have the same "
                                    f"label {theme.label!r}: charts and tables could not tell them apart",
                                    theme=theme.id, key="label")
        for theme in self.themes:
            if theme.parent is not None and theme.parent not in by_id:
                raise TaxonomyError(theme.origin or None, f"unknown parent {theme.parent!r}",
                                    theme=theme.id, key="parent")
        read = {source: i for i, source in enumerate(self.sources)}
        for theme in self.themes:
            chain = [theme.id]
            parent = theme.parent
            while parent is not None:
                if parent in chain:
                    # Blame the theme of the cycle that the latest file wrote: the edge that closed it
                    members = chain[chain.index(parent):]
                    culprit = max(members, key=lambda t: read.get(by_id[t].origin, -1))
                    at = members.index(culprit)
                    cycle = " → ".join([*members[at:], *members[:at], culprit])
                    raise TaxonomyError(by_id[culprit].origin or None,
                                        f"parents form a cycle ({cycle}); a theme cannot be its own "
                                        "ancestor", theme=culprit, key="parent")
                chain.append(parent)
                parent = by_id[parent].parent

    @property
    def ids(self) -> list[str]:
        """Theme ids, in taxonomy order."""
        return [t.id for t in self.themes]

    @property
    def labels(self) -> dict[str, str]:
        """Theme id → label, in taxonomy order."""
        return {t.id: t.label for t in self.themes}

    def __getitem__(self, theme_id: str) -> Theme:
        for theme in self.themes:
            if theme.id == theme_id:
                return theme
        raise KeyError(theme_id)

    def __repr__(self) -> str:
        names = ", ".join(Path(s).name for s in self.sources) or "built by hand"
        return f"Taxonomy({len(self.themes)} themes from {names})"

    def table(self) -> pd.DataFrame:
        """The themes as a DataFrame: id, label, parent, description."""
        return pd.DataFrame(
            [(t.id, t.label, t.parent, t.description) for t in self.themes],
            columns=["theme", "label", "parent", "description"],
        ).astype("string")


def _text(path: str | os.PathLike[str]) -> str:
    origin = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise TaxonomyError(origin, "no such taxonomy file") from None
    except OSError as exc:
        raise TaxonomyError(origin, f"cannot read the taxonomy file: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8").removeprefix("\ufeff")  # a byte-order mark, as Notepad writes one
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise TaxonomyError(origin, f"line {line}: not UTF-8 text (byte {data[exc.start]:#04x}); "
                                    "save the file as UTF-8") from None


def _strings(origin: str, theme_id: str, key: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        raise TaxonomyError(origin, f"must be a list of strings, found the string {value!r}: "
                                    f"write {key} = [{value!r}]", theme=theme_id, key=key)
    if not isinstance(value, list):
        raise TaxonomyError(origin, f"must be a list of strings, found {type(value).__name__} {value!r}",
                            theme=theme_id, key=key)
    for i, item in enumerate(value):
        if not isinstance(item, str):
            raise TaxonomyError(origin, f"item {i + 1} must be a string, found {type(item).__name__} "
                                        f"{item!r}", theme=theme_id, key=key)
        if not item.strip():
            raise TaxonomyError(origin, f"item {i + 1} is empty: an empty pattern would match "
                                        "everywhere", theme=theme_id, key=key)
    return tuple(value)


def _theme(origin: str, theme_id: str, spec: object) -> Theme:
    if not re.fullmatch(r"[a-z][a-z0-9_]*", theme_id):
        suggestion = re.sub(r"[^a-z0-9]+", "_", theme_id.lower()).strip("_")
        raise TaxonomyError(origin, "the id must be lower_snake_case (a-z, 0-9 and _, starting with a letter)"
                            + (f": write [themes.{suggestion}]" if re.fullmatch(r"[a-z][a-z0-9_]*", suggestion)
                               else ""), theme=theme_id)
    if not isinstance(spec, dict):
        raise TaxonomyError(origin, f"must be a table [themes.{theme_id}], found {spec!r}", theme=theme_id)
    unknown = set(spec) - _KEYS
    if unknown:
        raise TaxonomyError(origin, f"unknown keys {sorted(unknown)} (known: {sorted(_KEYS)})",
                            theme=theme_id)
    for key in ("label", "description"):
        if not isinstance(spec.get(key), str) or not spec[key].strip():
            raise TaxonomyError(origin, "is required: a non-empty string", theme=theme_id, key=key)
    parent = spec.get("parent")
    if parent is not None and (not isinstance(parent, str) or not parent):
        raise TaxonomyError(origin, f"must be the id of another theme, found {parent!r}",
                            theme=theme_id, key="parent")
    min_abstract = spec.get("min_abstract", 2)
    if type(min_abstract) is not int or min_abstract < 1:
        raise TaxonomyError(origin, f"must be a positive whole number (mentions in the abstract), "
                                    f"found {min_abstract!r}", theme=theme_id, key="min_abstract")
    own_method = spec.get("own_method", False)
    if not isinstance(own_method, bool):
        raise TaxonomyError(origin, f"must be true or false, found {own_method!r}", theme=theme_id, key="own_method")
    first_sentence = spec.get("first_sentence")
    if first_sentence is not None and not isinstance(first_sentence, bool):
        raise TaxonomyError(origin, f"must be true or false, found {first_sentence!r}", theme=theme_id,
                            key="first_sentence")
    patterns = {key: _strings(origin, theme_id, key, spec.get(key, [])) for key in _PATTERN_KEYS}
    if patterns["weak_context"] and not patterns["weak"]:
        raise TaxonomyError(origin, "has no effect without weak words: add weak = [...] or remove it",
                            theme=theme_id, key="weak_context")
    examples = _strings(origin, theme_id, "examples", spec.get("examples", []))
    return Theme(id=theme_id, label=spec["label"], description=spec["description"], parent=parent,
                 min_abstract=min_abstract, examples=examples, own_method=own_method,
                 since=spec.get("since"), first_sentence=first_sentence, origin=origin, **patterns)


def _read(path: str | os.PathLike[str], semantic: SemanticSettings,
          rules: dict[str, bool]) -> tuple[dict[str, Theme], SemanticSettings]:
    origin = os.fspath(path)
    try:
        data = tomllib.loads(_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(origin, f"not valid TOML: {exc}") from None
    unknown = set(data) - {"themes", "semantic", "rules"}
    if unknown:
        raise TaxonomyError(origin, f"unknown top-level tables {sorted(unknown)} (known: rules, semantic, themes)")
    table = data.get("rules", {})
    if not isinstance(table, dict) or set(table) - {"first_sentence"}:
        raise TaxonomyError(origin, f"[rules] may only hold first_sentence = true/false, found {table!r}")
    if not isinstance(table.get("first_sentence", False), bool):
        raise TaxonomyError(origin, f"[rules] first_sentence must be true or false, found {table['first_sentence']!r}")
    rules.update(table)
    table = data.get("themes", {})
    if not isinstance(table, dict) or not (table or "rules" in data or "semantic" in data):
        # A file of settings alone ([rules], [semantic]) refines the files before it.
        raise TaxonomyError(origin, "expected [themes.<id>] tables (or [rules] / [semantic] settings), found none")
    if "semantic" in data:
        semantic = read_settings(origin, data["semantic"], semantic)
    return {theme_id: _theme(origin, theme_id, spec) for theme_id, spec in table.items()}, semantic


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
        Naming the file, the theme and the key: a missing, unreadable or
        non-UTF-8 file, invalid TOML, unknown keys, a missing label or
        description, ``phrases``/``acronyms``/``exclude`` that are not lists of
        non-empty strings, a pattern RE2 cannot compile (backreferences,
        lookaround) or one that matches the empty string, a ``min_abstract``
        that is not a positive whole number, a parent that does not exist, or
        parents that form a cycle.

    Examples
    --------
    >>> import paperscope as ps
    >>> tax = ps.load_taxonomy()                       # the default themes
    >>> tax = ps.load_taxonomy("my_themes.toml")       # doctest: +SKIP
    """
    themes: dict[str, Theme] = {}
    semantic = SemanticSettings()
    rules: dict[str, bool] = {}
    sources = [*([str(DEFAULT_TAXONOMY)] if include_default else []), *map(os.fspath, paths)]
    overrides: dict[str, str] = {}  # a [semantic.themes.<id>] table → the file that wrote it
    for path in sources:
        found, semantic = _read(path, semantic, rules)
        themes.update(found)
        overrides.update({t: path for t in semantic.themes if t not in overrides})
    if not themes:
        raise TaxonomyError(None, "no themes: pass a taxonomy file, or keep the default themes "
                            "(include_default=True in Python; leave out --only on the command line)")
    unknown = sorted(set(semantic.themes) - set(themes))
    if unknown:
        raise TaxonomyError(overrides[unknown[0]], f"[semantic.themes] names no theme of the taxonomy: "
                                                   f"{[t for t in unknown if overrides[t] == overrides[unknown[0]]]}",
                            key="semantic.themes")
    return Taxonomy(tuple(themes.values()), tuple(sources), semantic, rules.get("first_sentence", False))


def resolve_taxonomy(taxonomy: Taxonomy | str | os.PathLike[str] | list | tuple | None) -> Taxonomy:
    """A :class:`Taxonomy` from what :func:`tag_themes` accepts: ``None`` (the defaults), a file, files."""
    if taxonomy is None:
        return load_taxonomy()
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if isinstance(taxonomy, (str, os.PathLike)):
        return load_taxonomy(taxonomy)
    try:
        files = list(taxonomy)
    except TypeError:
        files = None
    if files is not None and all(isinstance(p, (str, os.PathLike)) for p in files):
        return load_taxonomy(*files)
    raise TaxonomyError(None, f"taxonomy must be a Taxonomy, a file or a list of files, not "
                              f"{type(taxonomy).__name__} {taxonomy!r:.60}")
