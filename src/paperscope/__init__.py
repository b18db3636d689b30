"""paperscope: what is this field working on, and what is rising?

Load research-paper listings into one DataFrame (:func:`load`), tag curated
themes with evidence (:func:`tag_themes`), follow them over time
(:func:`theme_trends`) and chart it all with :mod:`paperscope.plotting`. The DataFrame contract is in
:mod:`paperscope.schema`.
"""

from importlib.metadata import PackageNotFoundError, version

from . import plotting, schema
from .errors import (
    CacheWarning,
    PaperscopeError,
    SchemaError,
    SkippedRecordsWarning,
    SourceFormatError,
    TaxonomyError,
)
from .loader import audit_summary, load, save
from .stats import link_summary, top_linked, top_terms
from .themes import (
    Taxonomy,
    evaluate_themes,
    load_taxonomy,
    tag_themes,
    theme_cooccurrence,
    theme_matrix,
    theme_prevalence,
    untagged,
)
from .trends import papers_per_period, rising_themes, theme_trends, wilson_interval

_LAZY = {"fit_topics", "topic_themes", "uncovered_topics", "Topics", "embed"}


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY)


def __getattr__(name: str):
    # Topics and embeddings import BERTopic, UMAP and torch (seconds, and a numba
    # compile on first use): loaded only when asked for, so `import paperscope`
    # stays fast for loading and tagging.
    if name in _LAZY - {"embed"}:
        from . import topics

        return getattr(topics, name)
    if name == "embed":
        from .embeddings import embed

        return embed
    raise AttributeError(f"module 'paperscope' has no attribute {name!r}")

try:
    __version__ = version("paperscope")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "CacheWarning",
    "PaperscopeError",
    "SchemaError",
    "SkippedRecordsWarning",
    "SourceFormatError",
    "Taxonomy",
    "TaxonomyError",
    "Topics",
    "__version__",
    "audit_summary",
    "embed",
    "evaluate_themes",
    "fit_topics",
    "link_summary",
    "load",
    "load_taxonomy",
    "papers_per_period",
    "plotting",
    "rising_themes",
    "save",
    "schema",
    "tag_themes",
    "theme_cooccurrence",
    "theme_matrix",
    "theme_prevalence",
    "theme_trends",
    "top_linked",
    "top_terms",
    "topic_themes",
    "uncovered_topics",
    "untagged",
    "wilson_interval",
]
