"""paperscope: what is this field working on, and what is rising?

Load research-paper listings into one DataFrame (:func:`load`), then chart
them with :mod:`paperscope.plotting`. The DataFrame contract is in
:mod:`paperscope.schema`.
"""

from importlib.metadata import PackageNotFoundError, version

from . import plotting, schema
from .errors import PaperscopeError, SchemaError, SkippedRecordsWarning, SourceFormatError
from .loader import load
from .stats import link_summary, top_terms

try:
    __version__ = version("paperscope")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "PaperscopeError",
    "SchemaError",
    "SkippedRecordsWarning",
    "SourceFormatError",
    "__version__",
    "link_summary",
    "load",
    "plotting",
    "schema",
    "top_terms",
]
