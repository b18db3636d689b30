"""Text helpers shared by the loaders, the corpus statistics and the topic labels."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from typing import Any

_URL = re.compile(r"https?://\w[^\s<>\"'()\[\]{}]*", re.IGNORECASE)  # (a host: "http://:" is no link)
# A code host's link written without its scheme ("Code is available at github.com/a/b."), as
# about one arXiv abstract in 500 gives it; only code hosts, where a bare "x.org/y" is no link.
#: Hosts whose links are code (:func:`paperscope.stats.link_summary`).
CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "codeberg.org")
_BARE_HOSTS = tuple(h + "/" for h in CODE_HOSTS)
_BARE = re.compile(r"(?<![\w.@/:\-])(?:www\.)?(?:" + "|".join(map(re.escape, CODE_HOSTS)) + r")"
                   r"/[^\s<>\"'()\[\]{}]+", re.IGNORECASE)
_LATEX_CMD = re.compile(r"\\[a-zA-Z]+\*?|\\.")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_NON_WORD = re.compile(r"[\W_]+")  # not a letter or digit of any script

#: Words that say nothing about what a paper is about: the vocabulary of
#: abstracts in general. Removed (with English stop words) from term counts and
#: topic labels so that what remains is distinctive.
ACADEMIC_STOP_WORDS: frozenset[str] = frozenset(
    """
    abstract achieve achieved achieves achieving addition additionally address addresses
    allow allows analysis approach approaches based benchmark benchmarks better challenge
    challenges challenging code comprehensive conduct conducted demonstrate demonstrates
    demonstrating design designed develop developed different effective effectively
    efficient efficiently enable enables existing experiment experimental experiments
    extensive framework frameworks furthermore github given high however https http improve
    improved improves improving including introduce introduces key large leverage leverages
    leveraging limited method methods model models new novel outperforms paper performance
    present presents previous problem problems propose proposed proposes provide provides
    publicly real recent result results significant significantly show shows shown state
    study studies superior task tasks technique techniques use used uses using various work
    works www com org io html available release released project ii iii iv
    """.split()
)


# The inline markup publishers' exports leave in titles and abstracts (IEEE Xplore's
# "X<sup>e</sup><inf>HPC</inf>", JATS's <inline-formula><tex-math>…</tex-math>): the tags, not their text.
# A numeric superscript is written ^ (10<sup>18</sup> is 10^18, not 1018; "X<sup>e</sup>" stays
# "Xe"); a block (a JATS paragraph or title) ends with a space. Attributes only where the tag has
# some: "a <b and c> d" is mathematics.
_MARKUP = re.compile(r"<(?:jats:)?sup>(?P<sup>\s*[-+−]?\d[^<]*)</(?:jats:)?sup>"
                     r"|</?(?:sup|sub|inf|i|b|em|italic|bold|strong|tt|u|sc)\s*/?>"
                     r"|</?(?:inline-formula|tex-math|mml:[a-z]+)(?:\s[^<>]*)?/?>"
                     r"|</?(?P<block>jats:[a-z-]+)(?:\s[^<>]*)?/?>", re.IGNORECASE)
_ENTITY = re.compile(r"&(?:#\d+|#x[0-9a-f]+|[a-z]+\d*);", re.IGNORECASE)


def _markup(m: re.Match[str]) -> str:
    if m["sup"]:
        return "^" + m["sup"].strip()
    if m["block"] and m["block"].lower() in ("jats:p", "jats:title", "jats:sec", "jats:list-item"):
        return " "
    return ""


def decode_entities(text: str) -> str:
    """``text`` with the HTML entities a site left in it decoded (``&amp;`` → ``&``, ``&lt;`` → ``<``);
    an ampersand that starts no entity ("AT&T") stays."""
    return html.unescape(text) if "&" in text and _ENTITY.search(text) else text


def strip_markup(text: Any) -> Any:
    """``text`` without inline HTML/JATS tags and with HTML entities decoded (``&amp;`` → ``&``);
    anything that is not text is returned as it is (the record's checks name it)."""
    if type(text) is not str or ("<" not in text and "&" not in text):
        return text
    return _MARKUP.sub(_markup, decode_entities(text))  # (first: "&lt;sup&gt;" is markup written so)


def normalize_whitespace(text: str) -> str:
    """Collapse every run of whitespace (line wraps included) to one space and strip."""
    return " ".join(text.split())  # str.split() splits on exactly what ``\s`` matches


# What PDF text extraction leaves in abstracts (NeurIPS 1987-2003: 4,717 in 2,000 papers): a soft
# hyphen where a line broke inside a word ("repro(cid:173) duces"), TeX's ligatures as glyph numbers
# ("classi(cid:12)cation", "e(cid:11)ective", "sta(cid:11) scheduled"; 2 and 3 in other fonts) or as Unicode ligatures
# ("ef\ufb01cient"), and typographic quotes as glyph numbers. A glyph number that is not followed
# by a lower-case letter may be mathematics ("N(cid:2)N", "(cid:15)-tube") and stays.
_PDF_ARTEFACT = re.compile(r"\(cid:173\)\s*|\u00ad\s*|\(cid:(?:1[1-4]|[23])\)(?=[a-z])"
                           r"|(?<=[a-z])\(cid:1[1-4]\)(?=[\s.,;:)])|\(cid:14[78]\)|[\ufb00-\ufb04]")
_PDF_GLYPHS = {"(cid:11)": "ff", "(cid:12)": "fi", "(cid:13)": "fl", "(cid:14)": "ffi", "(cid:2)": "fi",
               "(cid:3)": "fl", "(cid:147)": "\u201c", "(cid:148)": "\u201d", "\ufb00": "ff", "\ufb01": "fi",
               "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"}
_PDF_CHARS = re.compile("[\u00ad\ufb00-\ufb04]")


def has_pdf_artefacts(text: str) -> bool:
    """Whether :func:`repair_pdf_text` may change ``text`` (a quick test for the common case)."""
    return "(cid:" in text or (not text.isascii() and _PDF_CHARS.search(text) is not None)


def repair_pdf_text(text: str) -> str:
    """Undo what PDF text extraction leaves in titles and abstracts.

    A soft hyphen at a line break joins its word again (``"repro(cid:173) duces"`` →
    ``"reproduces"``), ligatures become their letters (``"classi(cid:12)cation"``,
    ``"ef\ufb01cient"`` → ``"classification"``, ``"efficient"``), ``(cid:147)``/``(cid:148)``
    become quotes. Other glyph numbers stay as they are.
    """
    return _PDF_ARTEFACT.sub(lambda m: _PDF_GLYPHS.get(m.group(), ""), text)


def fold_title(title: str) -> str:
    """Fold a title to the key under which two copies of a paper compare equal.

    Case, accents and other unicode variants, LaTeX commands and braces, and
    punctuation are removed, so ``"{\\it PINNs}: Physics-Informed"`` and
    ``"PINNs — physics informed"`` give the same key.
    """
    text = _LATEX_CMD.sub(" ", title) if "\\" in title else title
    if text.isascii():  # ASCII has no accents to strip
        return _NON_ALNUM.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    # letters and digits of every script stay: two Chinese or Russian titles that share a few
    # Latin words ("GPT-4 … LLaMA 2") are different papers
    key = _NON_WORD.sub(" ", text.casefold()).strip()
    return key or " ".join(title.casefold().split())  # a title of symbols only keys as itself


def title_id(title: str) -> str:
    """Paper id derived from the folded title, for papers without an arXiv id."""
    digest = hashlib.sha1(fold_title(title).encode("utf-8")).hexdigest()[:16]
    return f"title:{digest}"


def find_urls(text: str | None) -> list[str]:
    """Links in ``text``, in order, without duplicates or trailing punctuation.

    A code host's link without its scheme (``github.com/a/b``) is found too, as ``https://github.com/a/b``.
    """
    if not text:
        return []
    lower = text.lower()
    hosts = [i for h in _BARE_HOSTS if (i := lower.find(h)) >= 0]
    # The pattern is run from the first host named ("www." may precede it), not over the whole
    # text; positions in ``lower`` are the text's when lowering kept its length. A host is one of
    # CODE_HOSTS in ASCII letters of either case: the pattern's case folding also takes "gıthub.com"
    # (dotless ı), another site.
    start = max(0, min(hosts) - 4) if hosts and len(lower) == len(text) else 0
    bare = [(m.start(), "https://" + m.group().rstrip(".,;:!?")) for m in _BARE.finditer(text, start)
            if m.group().lower().removeprefix("www.").startswith(_BARE_HOSTS)] if hosts else []
    if "://" not in text:
        return list(dict.fromkeys(url for _, url in bare))
    # A link has its "://" 4 or 5 characters after its start ("http" or "https"), so the
    # pattern is tried only there, in order, after the previous link: what findall would
    # find, without running the case-insensitive pattern over every character of the text.
    found: list[tuple[int, str]] = []  # (start, link)
    spans: list[tuple[int, int]] = []
    end = 0
    i = text.find("://")
    while i >= 0:
        for start in (i - 5, i - 4):
            if start >= end and (match := _URL.match(text, start)):
                found.append((start, match.group().rstrip(".,;:!?")))
                spans.append(match.span())
                end = match.end()
                break
        i = text.find("://", max(i + 3, end))
    # a host inside a link ("https://example.org/r?u=github.com/a/b") is part of it, no link of its own
    bare = [(at, url) for at, url in bare if not any(a <= at < b for a, b in spans)]
    return list(dict.fromkeys(url for _, url in sorted(found + bare)))  # in the order of the text, each once


# Chinese and Japanese put no spaces between words: each ideograph or kana counts as a word, as word
# processors count them (a Chinese abstract was one "word"). Korean spaces its words: counted by them.
_UNSPACED = re.compile(r"[\u3040-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9d"
                       r"\U00020000-\U0002fa1f]")  # kana (not the middle dot ・), ideographs, half-width kana


def count_words(text: str | None, words: list[str] | None = None) -> int:
    """Words of ``text`` (0 for missing text): its whitespace-separated runs, except that each Chinese
    or Japanese ideograph or kana is a word. ``words``: ``text.split()``, when the caller has it."""
    if not text:
        return 0
    if words is None:
        words = text.split()
    if text.isascii() or not _UNSPACED.search(text):
        return len(words)
    rest = _UNSPACED.sub(" ", text).split()  # what is left between them: Latin words, numbers, punctuation
    return len(_UNSPACED.findall(text)) + sum(any(ch.isalnum() for ch in w) for w in rest)


#: A word for the topics' terms (scikit-learn's ``token_pattern``): letters, digits and hyphens, from a letter.
WORD_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b"
# ASCII word boundaries, as the report's search box (JavaScript) has them: "LLMs在" folds to "llm" in both
_PLURAL = re.compile(r"\b([a-z][a-z0-9\-]{2,})s\b", re.ASCII)
_ES_PLURAL = ("sses", "xes", "ches", "shes", "zzes")
# class, corpus, analysis, series, physics, matrices, gas
_KEEP_S = ("ss", "us", "is", "ies", "ics", "ices", "as", "os")


def fold_plurals(text: str) -> str:
    """Lower-case ``text`` and fold regular English plurals (``networks`` → ``network``).

    Used for counting terms, so that "neural network" and "neural networks"
    count as one term. Words whose ``s`` is not a plural ending (``class``,
    ``analysis``, ``series``, ``physics``, ``gas``) are left alone.
    """
    def fold(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.endswith(_ES_PLURAL):  # classes, boxes, approaches, meshes
            return word[:-2]
        return word if word.endswith(_KEEP_S) else m.group(1)

    return _PLURAL.sub(fold, text.lower())
