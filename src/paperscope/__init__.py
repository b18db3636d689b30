"""paperscope: what is this field working on, and what is rising?

Load research-paper listings into one DataFrame (:func:`load`), tag curated
themes with evidence (:func:`tag_themes`), follow them over time
(:func:`theme_trends`) and chart it all with :mod:`paperscope.plotting`. The DataFrame contract is in
:mod:`paperscope.schema`.
"""

import importlib

from . import schema
from .errors import (
    PaperscopeError,
    SchemaError,
    SkippedRecordsWarning,
    SourceFormatError,
    SourceNotFoundError,
    TaxonomyError,
)
from .loader import audit_summary, load, save
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

# Loaded on first use, so that `import paperscope` stays fast for loading and tagging:
# charts import Plotly, term counts scikit-learn, trends SciPy, topics and embeddings
# BERTopic, UMAP and torch (seconds, and a numba compile on first use).
_LAZY = {
    "plotting": (".plotting", None),
    "link_summary": (".stats", "link_summary"),
    "top_linked": (".stats", "top_linked"),
    "top_terms": (".stats", "top_terms"),
    "papers_per_period": (".trends", "papers_per_period"),
    "rising_themes": (".trends", "rising_themes"),
    "theme_trends": (".trends", "theme_trends"),
    "wilson_interval": (".trends", "wilson_interval"),
    "fit_topics": (".topics", "fit_topics"),
    "topic_themes": (".topics", "topic_themes"),
    "uncovered_topics": (".topics", "uncovered_topics"),
    "Topics": (".topics", "Topics"),
    "embed": (".embeddings", "embed"),
}


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})


def __getattr__(name: str):
    if name == "__version__":  # importlib.metadata costs an import of its own: read on first use
        from importlib.metadata import PackageNotFoundError, version

        try:
            globals()["__version__"] = version("paperscope")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            globals()["__version__"] = "0+unknown"
        return globals()["__version__"]
    if name not in _LAZY:
        raise AttributeError(f"module 'paperscope' has no attribute {name!r}")
    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name, __name__)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value  # the next access is a plain attribute
    return value


__all__ = [
    "PaperscopeError",
    "SchemaError",
    "SkippedRecordsWarning",
    "SourceFormatError",
    "SourceNotFoundError",
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
