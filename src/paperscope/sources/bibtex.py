"""Reader for BibTeX files (``@article{…}``, ``@inproceedings{…}``), abstracts included when present."""

from __future__ import annotations

import functools
import logging
import os
import re
from typing import Any

from ..errors import SourceFormatError
from ..text import decode_entities
from ._base import RECORD_ERRORS, BadRecord, Parsed, describe, first_last, make_record, read_text, why, year_in

FORMAT = "bibtex"
EXPECTED = "a BibTeX file (@article{...}, @inproceedings{...})"
_ENTRY = re.compile(r"^\s*@([A-Za-z]+)\s*[{(]", re.MULTILINE)


def sniff(head: str) -> bool:
    m = _ENTRY.search(head)
    return bool(m) and head[: m.start()].strip() == "" or bool(
        re.match(r"\s*(%.*\n\s*)*@[A-Za-z]+\s*[{(]", head))


# A command followed by two spaces or more: its writer meant a space after the symbol ("Lov\\'{a}sz
# \\textvartheta  function", as the NeurIPS proceedings write them), which LaTeX would swallow
_COMMAND_THEN_SPACES = re.compile(r"(\\[A-Za-z]+) {2,}(?=\S)")  # (not a line wrap and its indent)
_MATH = re.compile(r"(\$[^$]*\$)")  # inline mathematics: a command's spaces there are LaTeX's own


@functools.cache
def _latex() -> Any:
    """pylatexenc's LaTeX-to-text, mathematics kept as written; commands it would drop with their
    text (``\\texttt{PyTorch}``, ``\\mbox{GPT}``, ``\\LaTeX``) keep it."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    context = get_default_latex_context_db()
    context.add_context_category("paperscope", prepend=True, macros=[
        *(MacroTextSpec(name, "%(1)s") for name in ("texttt", "mbox")),  # (macros the parser knows to take one)
        *(MacroTextSpec(name, name) for name in ("LaTeX", "TeX", "BibTeX"))])
    return LatexNodes2Text(latex_context=context, math_mode="verbatim")


def _clean(value: str | None) -> str | None:
    """The text of a field: LaTeX accents and commands decoded (``Schr\\"odinger`` → Schrödinger,
    ``\\emph{Deep}`` → Deep), protective braces dropped (mathematics, ``$\\mathcal{O}(n)$``, stays as
    written), HTML entities a site left in (``\\&amp;``) decoded, whitespace collapsed."""
    if value is None:
        return None
    value = decode_entities(value)  # before LaTeX, to which a bare & is a column break
    if "\\" in value or "$" in value:
        # (``A\\^{}2-Nets`` is A^2-Nets: a circumflex over nothing is the character itself)
        value = "".join(part if _MATH.fullmatch(part) else _COMMAND_THEN_SPACES.sub(r"\1{} ", part)
                        for part in _MATH.split(value.replace("\\^{}", "^")))
        value = _latex().latex_to_text(value)  # (braces of groups dropped)
    else:
        value = value.replace("{", "").replace("}", "")
    return " ".join(value.split()) or None


# where a BibTeX entry names its arXiv preprint: DBLP's eprinttype, Google Scholar's
# "arXiv preprint arXiv:2106.09685" journal, or an arxiv.org link
_ARXIV_IN_TEXT = re.compile(r"arxiv(?:\.org/(?:abs|pdf)/|:\s*)([^\s,;}]+)", re.IGNORECASE)


def _arxiv_id(fields: dict[str, str]) -> str | None:
    if fields.get("eprint") and "arxiv" in (fields.get("archiveprefix", "") + fields.get("eprinttype", "")
                                            + fields.get("journal", "")).lower():
        return fields["eprint"]
    if fields.get("arxivid"):
        return fields["arxivid"]
    for name in ("journal", "url", "note", "howpublished"):
        m = _ARXIV_IN_TEXT.search(fields.get(name, ""))
        if m:
            return m.group(1)
    return None


# "GPT-4 " # "Technical Report": BibTeX's concatenation, which the parser leaves as written
_PIECE = r'(?:"[^"]*"|\{[^{}]*\}|[A-Za-z0-9_.:-]+)'
_CONCATENATION = re.compile(rf"\s*{_PIECE}(?:\s*#\s*{_PIECE})+\s*")


_MONTHS = {m: m.capitalize() for m in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                         "nov", "dec")}


def _joined(value: str, macros: dict[str, str]) -> str:
    """A field's value with BibTeX's ``#`` concatenation of quoted or braced pieces and ``@string``
    macros (``conf # " 2023"``) done."""
    if "#" not in value or not _CONCATENATION.fullmatch(value):
        return value
    pieces = (piece.strip() for piece in value.split("#"))
    return "".join(piece[1:-1] if piece[:1] in '"{' else macros.get(piece.lower(), _MONTHS.get(piece.lower(), piece))
                   for piece in pieces)


def _people(value: str) -> list[str]:
    """Names of an ``author`` field: split at ``and`` outside braces (``{Barnes and Noble}`` is one),
    a fully braced name kept as written (an organization), ``and others`` left out."""
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"[{}]|\s+and\s+", value, flags=re.IGNORECASE):
        token = m.group()
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(value[start:m.start()])
            start = m.end()
    parts.append(value[start:])
    names = []
    for part in (p.strip() for p in parts):
        if not part or part.lower() in ("others", "et al.", "et al"):
            continue
        organization = part.startswith("{") and part.endswith("}") and _balanced(part[1:-1])
        name = _clean(part)
        if name:
            names.append(name if organization else first_last(name))
    return names


def _balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "{") - (ch == "}")
        if depth < 0:
            return False
    return depth == 0


def _record(path, number: int, line: int | None, entry: Any, macros: dict[str, str]) -> dict[str, Any] | None:
    fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise BadRecord(f"field {name!r} is {describe(value)}, expected text")
    fields = {name: _joined(value, macros) for name, value in fields.items()}
    title = _clean(fields.get("title"))
    if not title:
        return None
    keywords = _clean(fields.get("keywords")) or ""
    return make_record(
        path, FORMAT, number, title=title, abstract=_clean(fields.get("abstract")), line=line,
        authors=_people(fields.get("author") or ""),
        year=year_in(fields.get("year", "")),
        doi=fields.get("doi"), arxiv_id=_arxiv_id(fields),
        venue=_clean(fields.get("journal") or fields.get("booktitle")),
        keywords=[k.strip() for k in re.split("[;,]" if ";" in keywords else ",", keywords) if k.strip()],
        pdf_url=_pdf_link(fields.get("url")),
    )


def _pdf_link(url: str | None) -> str | None:
    """The entry's ``url`` when it is a PDF's (the NeurIPS proceedings' ``…-Paper.pdf``)."""
    url = (url or "").strip()
    return url if re.fullmatch(r"https?://\S+?\.pdf", url, re.IGNORECASE) else None


def parse(path: str | os.PathLike[str], **_: Any) -> Parsed:
    """Read every entry; ``@comment``, ``@string`` and ``@preamble`` blocks are not papers."""
    import bibtexparser

    text = read_text(path, EXPECTED, per_record=True)
    splitter_log = logging.getLogger("bibtexparser.splitter")  # it logs each failed block on stderr;
    level = splitter_log.level                                  # the audit reports them instead
    splitter_log.setLevel(logging.CRITICAL)
    try:
        library = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser's own error types vary by version; none is ours
        raise SourceFormatError(path, None, f"not readable as BibTeX ({type(exc).__name__}: {exc}); "
                                f"expected {EXPECTED}") from None
    finally:
        splitter_log.setLevel(level)
    parsed = Parsed(os.fspath(path), FORMAT)
    from bibtexparser.model import DuplicateBlockKeyBlock

    # an entry whose key repeats an earlier one is still an entry (two exports pasted together):
    # read it, and let the merge fold it into the paper it repeats
    entries = list(library.entries)
    duplicates = [b.ignore_error_block for b in library.failed_blocks
                  if isinstance(b, DuplicateBlockKeyBlock) and b.ignore_error_block is not None]
    entries = sorted(entries + duplicates, key=lambda e: getattr(e, "start_line", 0) or 0)
    for block in library.failed_blocks:
        if isinstance(block, DuplicateBlockKeyBlock) and block.ignore_error_block is not None:
            continue
        line = text.count("\n", 0, text.find(block.raw[:40])) + 1 if block.raw else None
        reason = getattr(block.error, "abort_reason", None) or str(block.error) or type(block.error).__name__
        parsed.skip(line, None, f"line {line}: unreadable BibTeX entry ({reason.strip()})")
    if not entries and not library.failed_blocks:
        raise SourceFormatError(path, 1, f"no entries; expected {EXPECTED}")
    macros = {m.key.lower(): m.value for m in library.strings if isinstance(m.value, str)}
    for number, entry in enumerate(entries, start=1):
        start = getattr(entry, "start_line", None)
        line = start + 1 if isinstance(start, int) else (
            text.count("\n", 0, text.find(entry.key)) + 1 if entry.key and entry.key in text else None)
        try:
            record = _record(path, number, line, entry, macros)
        except RECORD_ERRORS as exc:
            parsed.skip(line, number, f"entry {entry.key!r}: {why(exc)}")
            continue
        if record is None:
            parsed.skip(line, number, f"entry {entry.key!r} has no title")
        else:
            parsed.records.append(record)
    return parsed
