"""Charts: a tidy DataFrame in, a Plotly Figure out; one chart per module.

No function here calls ``.show()`` or writes a file: notebooks display the
figures and :mod:`paperscope.report` exports them.
"""

from ._lengths import abstract_lengths
from ._links import links_chart
from ._style import PALETTE, TEMPLATE, escape
from ._terms import top_terms_chart

__all__ = ["PALETTE", "TEMPLATE", "abstract_lengths", "escape", "links_chart", "top_terms_chart"]
