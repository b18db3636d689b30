"""The package's own error hierarchy.

Every error a user can trigger with bad input is a :class:`PaperscopeError`, so a
notebook can catch them all with one ``except``; the message always names the
file, the line or record, and what was expected.
"""

from __future__ import annotations

import os


class PaperscopeError(Exception):
    """Base class of every error raised by paperscope on bad input or configuration."""


class SourceFormatError(PaperscopeError, ValueError):
    """A source file cannot be read as the format it was taken for.

    Parameters
    ----------
    path
        The file that failed.
    line
        1-based line (or record) number where the problem was found, if known.
    message
        What is wrong and what was expected.
    """

    def __init__(self, path: str | os.PathLike[str], line: int | None, message: str) -> None:
        self.path = os.fspath(path)
        self.line = line
        self.message = message
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # crosses process boundaries (report landing, Dask workers) intact
        return type(self), (self.path, self.line, self.message)


class SourceNotFoundError(PaperscopeError, FileNotFoundError):
    """A file, folder or glob given to :func:`paperscope.load` does not exist (names it)."""


class SchemaError(PaperscopeError, ValueError):
    """A DataFrame does not follow the paper schema (see :mod:`paperscope.schema`)."""


class TaxonomyError(PaperscopeError, ValueError):
    """A theme taxonomy file cannot be used: unreadable, malformed, or a theme that is wrong.

    Parameters
    ----------
    path
        The taxonomy file (``None`` when the problem is not in one file).
    message
        What is wrong and what was expected.
    theme, key
        The theme id and the key of its table, where the problem is in one.
    """

    def __init__(self, path: str | os.PathLike[str] | None, message: str, *,
                 theme: str | None = None, key: str | None = None) -> None:
        self.path = os.fspath(path) if path is not None else None
        self.theme = theme
        self.key = key
        self.message = message
        where = [self.path] if self.path else []
        if theme is not None:
            where.append(f"theme {theme!r}" + (f", key {key!r}" if key is not None else ""))
        super().__init__(": ".join([*where, message]))

    def __reduce__(self):
        return _rebuild_taxonomy_error, (type(self), self.path, self.message, self.theme, self.key)


def _rebuild_taxonomy_error(cls, path, message, theme, key):  # noqa: ANN001, ANN202 - pickle's hook
    return cls(path, message, theme=theme, key=key)


class QueryError(PaperscopeError, ValueError):
    """A search query or search parameter that cannot be answered (says which and why)."""


class SkippedRecordsWarning(UserWarning):
    """Some records of a source could not be read with confidence and were skipped.

    The warning says how many and why; ``load(..., audit=True)`` lists each one.
    """


class CacheWarning(UserWarning):
    """The embedding cache could not be fully used (damaged, read-only, locked); the run went on without it.

    The warning names the file and what happened; vectors are always computed, never wrong.
    """


def check_table(value: object, columns: set[str] | frozenset[str], takes: str) -> None:
    """Raise a :class:`PaperscopeError` unless ``value`` is a DataFrame with ``columns``.

    ``takes`` says what the caller takes, e.g. ``"audit_summary takes the audit of ps.load(..., audit=True)"``:
    the message adds what was given instead (a list, a table with other columns).
    """
    have = getattr(value, "columns", None)
    if have is not None and hasattr(value, "iloc") and set(columns) <= set(have):
        return
    got = (f"a table with columns {sorted(map(str, have))[:10]}" if have is not None
           else f"{type(value).__name__} {value!r:.60}")
    raise PaperscopeError(f"{takes} (columns {sorted(columns)}); got {got}")
