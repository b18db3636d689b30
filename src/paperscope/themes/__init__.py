"""Curated research themes: an editable taxonomy, tags with evidence, and what they add up to.

- :mod:`.taxonomy` — :func:`load_taxonomy` reads TOML theme files; every
  mistake in one is a :class:`~paperscope.TaxonomyError` naming the file,
  the theme and the key.
- :mod:`.patterns` — theme patterns run with RE2, in time linear in the text.
- :mod:`.tagging` — :func:`tag_themes` returns a :class:`ThemeTags`.
- :mod:`.result` — :class:`ThemeTags`: the tags, the papers and the taxonomy
  that made them, with the aggregations as methods.
- :mod:`.semantic` — the semantic step: themes for the papers the rules
  left out, from the corpus's own rule tags and MiniLM embeddings.
- :mod:`.evaluation` — scoring against hand labels, agreement of two labellers.
- :mod:`.functions` — the aggregations as module-level functions.
"""

from .evaluation import label_agreement, score_themes
from .functions import evaluate_themes, theme_cooccurrence, theme_matrix, theme_prevalence, untagged
from .result import TAG_COLUMNS, ThemeTags, as_theme_tags
from .semantic import SemanticSettings
from .tagging import CONTEXT, tag_themes, theme_texts
from .taxonomy import DEFAULT_TAXONOMY, Taxonomy, Theme, load_taxonomy, resolve_taxonomy

__all__ = [
    "CONTEXT",
    "DEFAULT_TAXONOMY",
    "SemanticSettings",
    "TAG_COLUMNS",
    "Taxonomy",
    "Theme",
    "ThemeTags",
    "as_theme_tags",
    "evaluate_themes",
    "label_agreement",
    "load_taxonomy",
    "resolve_taxonomy",
    "score_themes",
    "tag_themes",
    "theme_cooccurrence",
    "theme_matrix",
    "theme_prevalence",
    "theme_texts",
    "untagged",
]
