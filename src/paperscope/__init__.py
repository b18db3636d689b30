"""paperscope: what is this field working on, and what is rising?

Load research-paper listings into one DataFrame (:func:`load`), tag curated
themes with evidence (:func:`tag_themes`, a :class:`ThemeTags` result), follow them over time
(:func:`theme_trends`) and chart it all with :mod:`paperscope.plotting`. The DataFrame contract is in
:mod:`paperscope.schema`.
"""

from importlib.metadata import PackageNotFoundError, version

from . import plotting, schema
from .errors import (
    PaperscopeError,
    QueryError,
    SchemaError,
    SkippedRecordsWarning,
    SourceFormatError,
    TaxonomyError,
)
from .findings import Findings, compute_findings, landing_html, paper_links, summary_text
from .loader import audit_summary, load, save
from .stats import link_summary, top_authors, top_linked, top_organizations, top_terms
from .themes import (
    Taxonomy,
    ThemeTags,
    evaluate_themes,
    load_taxonomy,
    tag_themes,
    theme_cooccurrence,
    theme_matrix,
    theme_prevalence,
    untagged,
)
from .trends import (
    adaptive_periods,
    newcombe_interval,
    papers_per_period,
    rising_themes,
    theme_trends,
    topics_over_time,
    wilson_interval,
)

_LAZY = {"fit_topics", "topic_themes", "uncovered_topics", "Topics", "embed"}
#: Exploration: search, thematic map and evolution, what is new (each in its own module).
_EXPLORE = {
    "search": "retrieval",
    "search_index": "search_box",
    "search_box_html": "search_box",
    "thematic_map": "thematic",
    "thematic_evolution": "thematic",
    "ThematicEvolution": "thematic",
    "whats_new": "novelty",
    "WhatsNew": "novelty",
}


def __dir__() -> list[str]:
    return sorted(set(globals()) | _LAZY | set(_EXPLORE))


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
    if name in _EXPLORE:
        import importlib

        return getattr(importlib.import_module(f".{_EXPLORE[name]}", __name__), name)
    raise AttributeError(f"module 'paperscope' has no attribute {name!r}")

try:
    __version__ = version("paperscope")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Findings",
    "PaperscopeError",
    "QueryError",
    "SchemaError",
    "SkippedRecordsWarning",
    "SourceFormatError",
    "Taxonomy",
    "TaxonomyError",
    "ThematicEvolution",
    "ThemeTags",
    "Topics",
    "WhatsNew",
    "__version__",
    "adaptive_periods",
    "audit_summary",
    "compute_findings",
    "embed",
    "evaluate_themes",
    "fit_topics",
    "landing_html",
    "link_summary",
    "load",
    "load_taxonomy",
    "newcombe_interval",
    "paper_links",
    "papers_per_period",
    "plotting",
    "rising_themes",
    "save",
    "schema",
    "search",
    "search_box_html",
    "search_index",
    "summary_text",
    "tag_themes",
    "thematic_evolution",
    "thematic_map",
    "theme_cooccurrence",
    "theme_matrix",
    "theme_prevalence",
    "theme_trends",
    "top_authors",
    "top_linked",
    "top_organizations",
    "top_terms",
    "topic_themes",
    "topics_over_time",
    "uncovered_topics",
    "untagged",
    "whats_new",
    "wilson_interval",
]
