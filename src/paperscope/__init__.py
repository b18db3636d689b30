"""paperscope: what is this field working on, and what is rising?

Load research-paper listings into one DataFrame (:func:`load`), tag curated
themes with evidence (:func:`tag_themes`, a :class:`ThemeTags` result), follow them over time
(:func:`theme_trends`) and chart it all with :mod:`paperscope.plotting`. The DataFrame contract is in
:mod:`paperscope.schema`.
"""

import importlib

from .errors import (
    CacheWarning,
    PaperscopeError,
    QueryError,
    SchemaError,
    SkippedRecordsWarning,
    SourceFormatError,
    SourceNotFoundError,
    TaxonomyError,
)

# Loaded on first use, so that `import paperscope` costs next to nothing: the loaders and the
# schema import pandas (most of a second), charts Plotly, term counts scikit-learn, trends
# SciPy, topics and embeddings BERTopic and torch, and the theme tagger its taxonomy parser and
# pattern engine. The command line answers `--help` or a bad argument before any of them loads.
# Name -> (module, attribute; None for the module itself).
_LAZY = {
    "schema": (".schema", None),
    "load": (".loader", "load"),
    "save": (".loader", "save"),
    "audit_summary": (".loader", "audit_summary"),
    "Taxonomy": (".themes", "Taxonomy"),
    "ThemeTags": (".themes", "ThemeTags"),
    "evaluate_themes": (".themes", "evaluate_themes"),
    "load_taxonomy": (".themes", "load_taxonomy"),
    "tag_themes": (".themes", "tag_themes"),
    "theme_cooccurrence": (".themes", "theme_cooccurrence"),
    "theme_matrix": (".themes", "theme_matrix"),
    "theme_prevalence": (".themes", "theme_prevalence"),
    "untagged": (".themes", "untagged"),
    "plotting": (".plotting", None),
    "themes": (".themes", None),
    "trends": (".trends", None),  # ps.trends.paper_dates, adaptive_periods
    "link_summary": (".stats", "link_summary"),
    "top_authors": (".stats", "top_authors"),
    "top_linked": (".stats", "top_linked"),
    "top_organizations": (".stats", "top_organizations"),
    "top_terms": (".stats", "top_terms"),
    "adaptive_periods": (".trends", "adaptive_periods"),
    "newcombe_interval": (".trends", "newcombe_interval"),
    "papers_per_period": (".trends", "papers_per_period"),
    "rising_themes": (".trends", "rising_themes"),
    "theme_trends": (".trends", "theme_trends"),
    "topics_over_time": (".trends", "topics_over_time"),
    "wilson_interval": (".trends", "wilson_interval"),
    "Findings": (".findings", "Findings"),
    "compute_findings": (".findings", "compute_findings"),
    "landing_html": (".report.findings_html", "landing_html"),
    "paper_links": (".findings", "paper_links"),
    "summary_text": (".findings", "summary_text"),
    "fit_topics": (".topics", "fit_topics"),
    "topic_themes": (".topics", "topic_themes"),
    "uncovered_topics": (".topics", "uncovered_topics"),
    "topic_coverage": (".topics", "topic_coverage"),
    "Topics": (".topics", "Topics"),
    "embed": (".embeddings", "embed"),
    "search": (".retrieval", "search"),
    "search_index": (".search_box", "search_index"),
    "search_box_html": (".search_box", "search_box_html"),
    "thematic_map": (".thematic", "thematic_map"),
    "thematic_evolution": (".thematic", "thematic_evolution"),
    "ThematicEvolution": (".thematic", "ThematicEvolution"),
    "whats_new": (".novelty", "whats_new"),
    "whats_new_html": (".report.findings_html", "whats_new_html"),
    "WhatsNew": (".novelty", "WhatsNew"),
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
    "CacheWarning",
    "Findings",
    "PaperscopeError",
    "QueryError",
    "SchemaError",
    "SkippedRecordsWarning",
    "SourceFormatError",
    "SourceNotFoundError",
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
    "topic_coverage",
    "topic_themes",
    "topics_over_time",
    "uncovered_topics",
    "untagged",
    "whats_new",
    "whats_new_html",
    "wilson_interval",
]
