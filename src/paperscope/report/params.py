"""The one parameter set every report notebook declares, and the corpus loading they share.

:class:`ReportParams` names the parameters; each notebook's ``parameters``
cell declares exactly these names (a test checks), ``paperscope report``
mirrors them as flags, and :func:`paperscope.report.build_report` injects all
of them into every page — so a page never falls back on a notebook's own
default (the seed, the seed's hand labels) when it runs on a user's corpus.
"""

from __future__ import annotations

import ast
import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import checks
from ..errors import PaperscopeError

if TYPE_CHECKING:  # pandas loads when a corpus is read: `paperscope --help` does not wait for it
    import pandas as pd

#: Period codes a report accepts (pandas offsets): months, quarters, years.
PERIODS = ("M", "Q", "Y")
BACKENDS = ("minilm", "static", "tfidf")  # mirrors paperscope.embeddings.BACKENDS without importing it

@dataclass(frozen=True)
class ReportParams:
    """What a report runs on; every notebook's ``parameters`` cell declares these names.

    Parameters
    ----------
    corpus
        File, folder or glob of paper listings (anything :func:`paperscope.load` reads).
    taxonomy_files
        Your own theme files (TOML), added to the default taxonomy in every page that tags themes.
    period
        Time bins for counts and theme shares: ``"M"`` months, ``"Q"`` quarters, ``"Y"`` years.
    random_state
        Seed of the topic model (same corpus and seed, same topics).
    backend
        Embeddings for topics: ``"minilm"`` (the offline model) or ``"tfidf"`` (quick, no model).
    gold
        Optional CSV of hand labels (``title`` + one ``1``/``0``/``?`` column per theme);
        the themes page scores the tags against it only when it is given.
    since
        Optional day (``YYYY-MM-DD``): what is new since then. The corpus is not
        filtered: the index page opens with the papers dated on or after it, the
        topics they form and the themes whose share moved
        (:func:`paperscope.whats_new`), and page 05 shows the same comparison.
    year
        Year of copied listing pages whose date label has none (``Sep 9``).
    only_taxonomy
        Tag with ``taxonomy_files`` alone, without the default themes.

    Examples
    --------
    >>> ReportParams("papers/", period="M").period
    'M'
    """

    corpus: str
    taxonomy_files: tuple[str, ...] = ()
    period: str = "Q"
    random_state: int = 42
    backend: str = "minilm"
    gold: str | None = None
    since: str | None = None
    year: int | None = None
    only_taxonomy: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "corpus", os.fspath(self.corpus))
        if isinstance(self.taxonomy_files, (str, os.PathLike)):
            raise PaperscopeError("taxonomy_files: a list of TOML files, not one string")
        object.__setattr__(self, "taxonomy_files", tuple(os.fspath(f) for f in self.taxonomy_files))
        if not isinstance(self.only_taxonomy, bool):
            raise PaperscopeError(f"only_taxonomy {self.only_taxonomy!r}: expected True or False")
        if self.only_taxonomy and not self.taxonomy_files:
            raise PaperscopeError("only_taxonomy: no taxonomy files to use alone (--only needs --taxonomy FILE)")
        if self.gold is not None:
            object.__setattr__(self, "gold", os.fspath(self.gold))
        if self.period not in PERIODS:
            raise PaperscopeError(f"period {self.period!r}: choose one of {', '.join(PERIODS)} "
                                  "(months, quarters, years)")
        if self.backend not in BACKENDS:
            raise PaperscopeError(f"backend {self.backend!r}: choose one of {', '.join(BACKENDS)}")
        object.__setattr__(self, "random_state", checks.seed(self.random_state))
        if self.since is not None:
            object.__setattr__(self, "since", _day(self.since))
        if self.year is not None:
            object.__setattr__(self, "year", checks.year("year", self.year, "the listings' year, e.g. 2025"))

    @classmethod
    def names(cls) -> list[str]:
        """The parameter names, in order (what every ``parameters`` cell declares)."""
        return [f.name for f in dataclasses.fields(cls)]

    def check_files(self) -> None:
        """Raise a :class:`~paperscope.errors.PaperscopeError` naming any input file that is missing, or a
        gold file that is no table of hand labels."""
        for what, path in [("taxonomy file", f) for f in self.taxonomy_files] + [("gold file", self.gold)]:
            if path is not None and not Path(path).is_file():
                found = "is a folder, not a file" if Path(path).is_dir() else "not found"
                raise PaperscopeError(f"{path}: {what} {found}")
        if self.gold is not None:  # its format now, not a page that leaves the scores out later
            from ..themes.evaluation import read_gold

            read_gold(self.gold)

    def resolved(self, corpus: str | os.PathLike[str] | None = None) -> ReportParams:
        """The same parameters with absolute paths (``corpus`` replaced when given)."""
        return dataclasses.replace(
            self, corpus=os.path.abspath(corpus if corpus is not None else self.corpus),
            taxonomy_files=tuple(os.path.abspath(f) for f in self.taxonomy_files),
            gold=None if self.gold is None else os.path.abspath(self.gold))

    def notebook_parameters(self) -> dict[str, Any]:
        """Every parameter as papermill injects it (lists, not tuples)."""
        values = dataclasses.asdict(self)
        values["taxonomy_files"] = list(self.taxonomy_files)
        return values

    def table(self) -> pd.DataFrame:
        """The parameters as a two-column table (``parameter``, ``value``) for a report's index page."""
        import pandas as pd

        shown = {k: (", ".join(v) if isinstance(v, tuple) else v) for k, v in dataclasses.asdict(self).items()}
        return pd.DataFrame({"parameter": list(shown),
                             "value": ["—" if v in (None, "") else str(v) for v in shown.values()]})

def _day(value: Any) -> str:
    import numbers

    import pandas as pd

    if isinstance(value, str) and re.fullmatch(r"\s*\d{4}\s*", value):
        value = int(value)
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        # a year is its first day, as whats_new reads it (an int, a NumPy int or 2025.0 was 1970-01-01)
        if value != int(value) or not 1900 <= value <= 2200:
            raise PaperscopeError(f"since {value!r}: expected a date such as 2025-06-01, or a year such as 2025")
        value = f"{int(value)}-01-01"
    if isinstance(value, bool):
        raise PaperscopeError(f"since {value!r}: expected a date such as 2025-06-01, or a year such as 2025")
    if isinstance(value, str) and not re.fullmatch(r"\s*\d{4}-\d{1,2}-\d{1,2}\s*", value):
        # "01-02-2026" would be read month first, silently: one order, the one the flag names
        raise PaperscopeError(f"since {value!r}: expected a date written YYYY-MM-DD (or a year), such as 2025-06-01")
    try:
        day = pd.Timestamp(value)
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise PaperscopeError(f"since {value!r}: expected a date such as 2025-06-01")
    return f"{day:%Y-%m-%d}"

def load_corpus(corpus: str | os.PathLike[str] | Sequence[str | os.PathLike[str]], *,
                year: int | None = None, since: str | None = None, audit: bool = False):
    """Load a corpus as every report page does: :func:`paperscope.load`, or the report's saved copy.

    Parameters
    ----------
    corpus
        File, folder or glob (or a list of them). A Parquet file written by
        :func:`save_corpus` comes back with the audit of its original load.
    year
        Year of copied pages whose date label has none.
    since
        The report's ``since`` (pages pass every parameter). It is checked to be a
        date and never filters: it says what is new (:func:`paperscope.whats_new`),
        and the papers before it are the baseline the new ones are compared with.
    audit
        Also return the audit (see :func:`paperscope.load`).

    Returns
    -------
    pandas.DataFrame or (pandas.DataFrame, pandas.DataFrame)

    Raises
    ------
    PaperscopeError
        When ``since`` is not a date, or the corpus cannot be read.
    """
    import pandas as pd

    from ..loader import AUDIT_DTYPES, load

    if since is not None:
        _day(since)  # a typo fails here, not on the page that compares
    paths = [corpus] if isinstance(corpus, (str, os.PathLike)) else list(corpus)
    saved = _audit_path(paths[0]) if len(paths) == 1 else None
    if saved is not None and saved.is_file():
        papers, log = load(*paths), pd.read_parquet(saved).astype(AUDIT_DTYPES)
    else:
        papers, log = load(*paths, year=year, audit=True)
    return (papers, log) if audit else papers


def _audit_path(corpus: str | os.PathLike[str]) -> Path | None:
    path = Path(corpus)
    return path.with_name(path.stem + ".audit.parquet") if path.suffix == ".parquet" else None


def save_corpus(papers: pd.DataFrame, audit: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Save papers as Parquet with their load audit beside them (``NAME.audit.parquet``).

    :func:`load_corpus` reads both back, so a page that runs on the saved file
    still shows what the original load skipped and why. Neither file may exist.
    """
    from ..loader import check_output, save, write_file

    target = Path(path)
    audit_path = _audit_path(target)
    if audit_path is None:
        raise PaperscopeError(f"{target}: a saved corpus is a .parquet file")
    audit_target = check_output(audit_path, hint="choose another name")  # both checked before either is written
    save(papers, target)
    write_file(audit_target, lambda out: audit.to_parquet(out, index=False))
    return target


def declared_parameters(notebook: str | os.PathLike[str]) -> list[str]:
    """Names a notebook's ``parameters`` cell assigns, in order (empty when it has none)."""
    import nbformat

    nb = nbformat.read(os.fspath(notebook), as_version=4)
    for cell in nb.cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            tree = ast.parse(cell.source)
            return [t.id for node in tree.body if isinstance(node, ast.Assign)
                    for t in node.targets if isinstance(t, ast.Name)]
    return []


__all__ = ["PERIODS", "ReportParams", "declared_parameters", "load_corpus", "save_corpus"]
