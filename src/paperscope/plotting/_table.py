from __future__ import annotations

import hashlib
import html
from collections.abc import Iterable

import pandas as pd

_CSS = [
    {"selector": "th, td", "props": "text-align: left; vertical-align: top; padding: 3px 10px;"},
    {"selector": "td", "props": "white-space: normal; max-width: 48em;"},
    {"selector": "th", "props": "white-space: nowrap;"},
]


def _is_missing(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array: not a missing scalar
        return False


def _text(value: object) -> str:
    if _is_missing(value):
        return "—"
    if isinstance(value, (list, tuple)):
        return html.escape(", ".join(map(str, value)))
    if isinstance(value, pd.Timestamp):
        return f'<span style="white-space: nowrap">{value:%Y-%m-%d}</span>'
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return html.escape(str(value))


def _link(value: object) -> str:
    if _is_missing(value) or not str(value).strip():
        return "—"
    url = str(value)
    if not url.startswith(("https://", "http://")):
        return html.escape(url)
    return f'<a href="{html.escape(url, quote=True)}">{html.escape(url.split("://", 1)[1])}</a>'


#: Rows a table shows at most; a longer frame shows its first rows and says how many there are.
MAX_ROWS = 2_000


def styled_table(frame: pd.DataFrame, *, links: Iterable[str] = (), percent: Iterable[str] = (),
                 number: bool = True, uuid: str | None = None, max_rows: int | None = MAX_ROWS):
    """A DataFrame as a readable HTML table: left-aligned, full text wrapped, no ``<NA>``.

    Text is escaped (a title can never become markup), a missing value shows
    as ``—``, a list as comma-separated text, dates as ``YYYY-MM-DD`` without
    wrapping, ``links`` columns as clickable links, ``percent`` columns (shares
    as fractions) as ``12.3 %``. Rows are numbered from 1 (``number=False``:
    no row numbers). Returns a pandas ``Styler`` (notebooks display it); its
    element ids derive from ``uuid`` (default: a hash of the table's content),
    so the HTML is the same on every run and two tables on a page never share ids.
    A frame longer than ``max_rows`` shows its first ``max_rows`` rows under a
    caption that says so (``None``: every row; a report of 100,000 papers
    would otherwise carry tables of 100,000 rows).
    """
    total = len(frame)
    if max_rows is not None and total > max_rows:
        frame = frame.iloc[:max_rows]
    if uuid is None:
        content = frame.to_json(orient="split", date_format="iso", default_handler=str)
        uuid = hashlib.sha1(content.encode("utf-8")).hexdigest()[:10]
    links, percent = set(links), set(percent)
    data = frame.reset_index(drop=True)
    if number:
        data.index = pd.RangeIndex(1, len(data) + 1)
    formatters = {}
    for column in data.columns:
        if column in links:
            formatters[column] = _link
        elif column in percent:
            formatters[column] = lambda v: "—" if _is_missing(v) else f"{100 * float(v):.1f} %"
        else:
            formatters[column] = _text
    styler = data.style.format(formatters).set_table_styles(_CSS).set_uuid(uuid)
    if not number:
        styler = styler.hide(axis="index")
    if len(data) < total:
        styler = styler.set_caption(f"The first {len(data):,} of {total:,} rows.")
    return styler
