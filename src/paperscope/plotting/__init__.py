"""Charts: a tidy DataFrame in, a Plotly Figure out; one chart per module.

No function here calls ``.show()`` or writes a file: notebooks display the
figures and :mod:`paperscope.report` exports them. A theme has one colour on
every chart (:func:`theme_colour`), a topic too (:func:`topic_colour`).
"""

from ._changes import theme_changes_chart
from ._cooccurrence import theme_cooccurrence_chart
from ._lengths import abstract_lengths
from ._links import links_chart
from ._people import top_authors_chart, top_organizations_chart
from ._prevalence import theme_prevalence_chart
from ._style import PALETTE, TEMPLATE, THEME_COLOURS, TOPIC_PALETTE, escape, theme_colour, topic_colour
from ._table import styled_table
from ._terms import top_terms_chart
from ._thematic_evolution import thematic_evolution_chart
from ._thematic_map import thematic_map_chart
from ._theme_matrix import theme_matrix_chart
from ._timeline import papers_per_period_chart, upvotes_chart
from ._topics import topic_hierarchy, topic_map, topic_sizes, topic_theme_heatmap, topics_over_time_chart
from ._trends import theme_trends_chart

__all__ = [
    "PALETTE",
    "TEMPLATE",
    "THEME_COLOURS",
    "TOPIC_PALETTE",
    "abstract_lengths",
    "escape",
    "links_chart",
    "papers_per_period_chart",
    "styled_table",
    "thematic_evolution_chart",
    "thematic_map_chart",
    "theme_changes_chart",
    "theme_colour",
    "theme_cooccurrence_chart",
    "theme_matrix_chart",
    "theme_prevalence_chart",
    "theme_trends_chart",
    "top_authors_chart",
    "top_organizations_chart",
    "top_terms_chart",
    "topic_colour",
    "topic_hierarchy",
    "topic_map",
    "topic_sizes",
    "topic_theme_heatmap",
    "topics_over_time_chart",
    "upvotes_chart",
]
