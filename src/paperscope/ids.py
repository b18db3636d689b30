"""Paper identity rules, in one place: arXiv ids, DOIs and the title id.

Readers use them to fill ``arxiv_id``, ``doi`` and ``paper_id``; :mod:`paperscope.merge`
uses the same functions to decide which rows are one paper.
"""

from __future__ import annotations

import re

from .text import title_id

_ARXIV_BARE = re.compile(r"\d{4}\.\d{4,5}")  # the common case, checked first
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?$")
_ARXIV_OLD = re.compile(r"([a-z\-]+)(?:\.[A-Z]{2})?/(\d{7})(v\d+)?$", re.IGNORECASE)
# a link to the abstract or PDF page, "arXiv:", or arXiv's own DOI (10.48550/arXiv.2106.09685)
_ARXIV_PREFIX = re.compile(r"^(?:(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/|arxiv:|"
                           r"(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.48550/arxiv\.)", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def _missing(value: object) -> bool:
    # None, NaN and pandas.NA, without importing pandas here
    return value is None or type(value).__name__ == "NAType" or (isinstance(value, float) and value != value)


def normalize_arxiv_id(value: object) -> str | None:
    """``2409.01234v2``, ``arXiv:2409.01234``, ``http://arxiv.org/abs/hep-th/9901001v1``,
    ``10.48550/arXiv.2409.01234`` → bare id.

    Returns None for a value that holds no arXiv id.

    Examples
    --------
    >>> normalize_arxiv_id("arXiv:2409.01234v2")
    '2409.01234'
    """
    if isinstance(value, str) and _ARXIV_BARE.fullmatch(value):
        return value
    if _missing(value):
        return None
    text = _ARXIV_PREFIX.sub("", str(value).strip()).removesuffix(".pdf")
    m = _ARXIV_NEW.match(text)
    if m:
        return m.group(1)
    m = _ARXIV_OLD.match(text)
    if m:  # the subject class of "math.GT/0309136" is no part of the id: math/0309136
        return f"{m.group(1).lower()}/{m.group(2)}"
    return None


def arxiv_year(arxiv_id: str | None) -> int | None:
    """The year a new-style arXiv id was submitted in (``2512.01234``: 2025), else None."""
    m = _ARXIV_YEAR.fullmatch(arxiv_id) if isinstance(arxiv_id, str) else None
    return 2000 + int(m.group(1)) if m and 1 <= int(m.group(2)) <= 12 else None


_ARXIV_YEAR = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")


def normalize_doi(value: object) -> str | None:
    """Lower-cased DOI without ``https://doi.org/`` or ``doi:``; None when it is not a DOI."""
    if isinstance(value, str) and value.startswith("10.") and value.strip() == value:
        return value.lower()
    if _missing(value):
        return None
    text = _DOI_PREFIX.sub("", str(value).strip())
    return text.lower() if text.startswith("10.") else None


def paper_id_for(arxiv_id: str | None, title: str) -> str:
    """``arxiv:<id>`` when the arXiv id is known, else the title id."""
    return f"arxiv:{arxiv_id}" if arxiv_id else title_id(title)
