"""Theme patterns, matched in guaranteed linear time with RE2.

A taxonomy file is code that runs on every title and abstract. With Python's
backtracking ``re`` a pattern such as ``(a+)+$`` runs for minutes on a
40-character text, and ``re`` has no timeout. RE2 (PyPI ``google-re2``) matches
in time linear in the text for every pattern it accepts; the price is that it
has no backreferences and no lookaround. Its syntax is otherwise Python's, with
two differences that matter for themes: ``\\w``, ``\\d``, ``\\s`` and ``\\b`` are
ASCII-only (``\\p{L}`` is any letter), and ``$`` is the end of the text.

Phrases and acronyms are matched as whole words. Without lookaround the word
edges are characters the match consumes — ``(?:^|[^A-Za-z0-9])(…)(?:$|[^A-Za-z0-9])``
— so the next search restarts at the last character of the previous match,
which may be the next match's left edge (``"LLMs, RL"``).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # RE2 would print every rejected pattern to stderr; we raise instead

_ALNUM = "A-Za-z0-9"
_FIRST = f"(?:^|[^{_ALNUM}])"
_NEXT = f"[^{_ALNUM}]"
_LAST = f"(?:$|[^{_ALNUM}])"

# Whether a pattern can match the empty string depends only on what surrounds a
# position (text start or end, a word character, another character, a newline),
# so trying every position of these texts tries every case.
_PROBE_CHARS = ("a", " ", "\n")
_PROBES = tuple(p.encode() for p in ("", *_PROBE_CHARS, *(a + b for a in _PROBE_CHARS for b in _PROBE_CHARS)))

_WHY = (
    ("invalid escape sequence: \\1", "backreferences (\\1 …) are not supported"),
    ("invalid named capture group", "this named-group syntax is not supported; write (?P<name>…)"),
    ("invalid perl operator: (?P", "named backreferences (?P=name) are not supported"),
    ("invalid escape sequence: \\Z", "\\Z is Python's; write $ (the end of the text)"),
    ("invalid escape sequence: \\u", "\\u escapes are Python's; write the character itself (é), or \\x{e9}"),
    ("invalid escape sequence: \\U", "\\U escapes are Python's; write the character itself, or \\x{1F600}"),
    ("invalid escape sequence: \\N", "\\N{…} names are Python's; write the character itself, or \\x{e9}"),
    ("invalid perl operator: (?=", "lookahead (?=…) is not supported"),
    ("invalid perl operator: (?!", "lookahead (?!…) is not supported"),
    ("invalid perl operator: (?<", "lookbehind (?<=…)/(?<!…) is not supported"),
    ("invalid perl operator: (?>", "atomic groups (?>…) are not supported"),
    ("invalid perl operator: (?(", "conditionals (?(…)…) are not supported"),
    ("bad repetition operator", "a repetition of a repetition (a**, a++, a{2}{3}) is not supported"),
    ("pattern too large", "the pattern is too large (a big counted repetition such as {1000}?)"),
)


@functools.lru_cache(maxsize=4096)  # re2's own cache holds 128; the default taxonomy alone has ~350
def _compile(pattern: str) -> re2._Regexp:
    return re2.compile(pattern, _OPTIONS)


class PatternError(ValueError):
    """A pattern RE2 cannot run, or one that matches the empty string; the message says why."""


# Python reads "{,n}" as "{0,n}"; RE2 reads it as the text "{,n}" (so the pattern would silently never match).
_OPEN_REPEAT = re2.compile(r"(?:^|[^\\])(?:\\\\)*\{,[0-9]*\}")


def check(pattern: str) -> None:
    """Raise :class:`PatternError` saying why ``pattern`` cannot be used: RE2 cannot compile it, it
    holds a Python-only ``{,n}``, or it can match the empty string. (Case-insensitivity changes
    none of these, so it is not asked.)"""
    if _OPEN_REPEAT.search(pattern):
        raise PatternError("'{,n}' means 'at most n' only in Python's re; RE2 reads it as the text "
                           "'{,n}', so the pattern would never match: write {0,n}")
    try:
        compiled = _compile(pattern)  # alone, so that 'a)|(b' cannot escape a group
    except re2.error as exc:
        raise PatternError(_explain(exc)) from None
    if needles(pattern, ignore_case=False, shortest=1) is not None:
        return  # every match contains a literal: never empty
    for probe in _PROBES:
        for pos in range(len(probe) + 1):
            if compiled.fullmatch(probe, pos, pos) is not None:
                raise PatternError("matches the empty string (so it would tag every paper): "
                                   "some part of it must be required")


def _explain(exc: re2.error) -> str:
    message = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) \
        else str(exc)
    why = next((w for key, w in _WHY if message.startswith(key)), None)
    engine = "paperscope runs patterns with RE2, in linear time, which has no backreferences or lookaround"
    return f"{why} ({engine}; RE2 says: {message})" if why else f"RE2 cannot compile it: {message} ({engine})"


class WordMatcher:
    """Whole-word, non-overlapping matches of an alternation of patterns (each already :func:`check` ed)."""

    def __init__(self, parts: Sequence[str]) -> None:
        body = "(" + "|".join(parts) + ")"
        try:
            self._first = _compile(_FIRST + body + _LAST)
            self._next = _compile(_NEXT + body + _LAST)
        except re2.error as exc:  # each part compiled alone; together e.g. a group name repeats
            raise PatternError(_explain(exc)) from None

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        """Byte spans of the matches in UTF-8 ``data``, left to right, as Python's ``finditer`` gives them."""
        out = []
        match = self._first.search(data)
        while match is not None:
            start, end = match.span(1)
            out.append((start, end))
            # Restart on the match's last character (not after the consumed right edge):
            # if it is not a letter or digit it is the left edge of a match that follows.
            last = end - 1
            while last > start and 0x80 <= data[last] < 0xC0:  # a UTF-8 continuation byte
                last -= 1
            match = self._next.search(data, last)
        return out


class Vetoes:
    """Non-overlapping matches of the ``exclude`` patterns, case-insensitive, anywhere in the text."""

    def __init__(self, parts: Sequence[str]) -> None:
        try:
            self._pattern = _compile("(?i:" + "|".join(parts) + ")")
        except re2.error as exc:
            raise PatternError(_explain(exc)) from None

    def spans(self, data: bytes) -> list[tuple[int, int]]:
        return [m.span() for m in self._pattern.finditer(data)]


def needles(pattern: str, *, ignore_case: bool, shortest: int = 3) -> frozenset[str] | None:
    """Strings (lower-cased when ``ignore_case``) of which every match of ``pattern`` contains one.

    With ``ignore_case`` they are ASCII and meant for text lowered by pyarrow with "ſ" as "s"
    (the one character RE2 folds onto an ASCII letter that lowering leaves alone; the Kelvin
    sign lowers to "k").

    Read from the pattern's parse tree (Python's parser: RE2's syntax is a
    subset of it for the patterns it reads): literals in a mandatory sequence,
    a group, each arm of an alternation, or a repeat of at least one. Of the
    candidate sets, the one whose shortest string is longest is kept (the most
    selective); ``None`` when none has strings of ``shortest`` characters or
    more, or the parse is unavailable: then the pattern is always run, which
    is merely slower.
    """
    if not ignore_case and "(?" in pattern and re2.search(r"\(\?[a-zA-Z-]*i", pattern):
        return None  # a case-sensitive scan cannot stand in for a pattern that ignores case in part
    found = _literals(pattern)
    if not found or min(map(len, found)) < shortest:
        return None
    if ignore_case and not all(s.isascii() for s in found):
        # Beyond ASCII, RE2's case folding is no lowering ("µ" matches "μ", "Σ" a final "ς", and
        # pyarrow lowers "İ" to "i" where Python gives "i̇"): a scan of lowered text could miss a match
        return None
    return frozenset(s.lower() for s in found) if ignore_case else found


@functools.lru_cache(maxsize=4096)  # every load of the default taxonomy reads the same patterns
def _literals(pattern: str) -> frozenset[str] | None:
    if "[:" in pattern:  # POSIX classes [[:alpha:]]: RE2 reads them, Python's parser misreads them
        return None
    try:
        from re import _constants as c
        from re import _parser as sre_parse  # Python >= 3.11
        tree = sre_parse.parse(pattern)
    except Exception:  # a Python without the private parser, or RE2-only syntax such as \pL
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

    return best(tree.data)
