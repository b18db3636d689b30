"""Reader for the Hugging Face ``api/daily_papers`` JSON (one day per file).

Real files vary: a list of items, or a wrapper ``{status, date, count, data}``;
items as JSON objects, or as Python ``repr`` strings of the dict (read with
``ast.literal_eval``, never ``eval``); 2024 files keep arXiv's hard line-wraps in
``paper.title`` and ``paper.summary``; fields such as ``ai_keywords``,
``organization`` and ``githubStars`` appear only in later years.
"""

from __future__ import annotations

import ast
import json
import os
import re
from typing import Any

from ..errors import SourceFormatError
from ._base import Parsed, Skipped, make_record, read_text, split_names, to_date

FORMAT = "hf_api"
EXPECTED = "a Hugging Face api/daily_papers JSON response (a list of items with a 'paper' object)"


def sniff(head: str) -> bool:
    body = head.strip()
    if re.fullmatch(r"\[\s*\]", body):  # a day without papers (weekends) is an empty list
        return True
    return body[:1] in ("[", "{") and ('"paper"' in head or "'paper'" in head)


def _item(raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"a string that is not a Python dict literal ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict):
        raise ValueError(f"a {type(raw).__name__}, not an object")
    paper = raw.get("paper")
    if not isinstance(paper, dict) or not paper.get("id") or not (paper.get("title") or raw.get("title")):
        raise ValueError("no 'paper' object with an 'id' and a 'title'")
    return raw


def _org(value: Any) -> str | None:
    if isinstance(value, dict):
        return value.get("fullname") or value.get("name")
    return None


def parse(path: str | os.PathLike[str], **_: Any) -> Parsed:
    """Read one ``api/daily_papers`` response file.

    Raises
    ------
    SourceFormatError
        For text that is not JSON (naming the line) or JSON of another shape.
        A single item that cannot be read is skipped and reported instead.
    """
    text = read_text(path, EXPECTED)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SourceFormatError(path, exc.lineno, f"not valid JSON ({exc.msg}); expected {EXPECTED}") from None
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list):
        raise SourceFormatError(path, 1, f"a JSON {type(data).__name__} without a 'data' list; expected {EXPECTED}")
    parsed = Parsed(os.fspath(path), FORMAT)
    for number, raw in enumerate(data, start=1):
        try:
            item = _item(raw)
        except ValueError as exc:
            parsed.skipped.append(Skipped(None, number, f"item {number} is {exc}"))
            continue
        paper = item["paper"]
        listed = to_date(item.get("publishedAt"))
        listed_day = listed.normalize() if listed is not None else None
        keywords = paper.get("ai_keywords") or []
        parsed.records.append(make_record(
            path, FORMAT, number,
            title=paper.get("title") or item.get("title"),
            abstract=paper.get("summary") or item.get("summary"),
            arxiv_id=paper.get("id"),
            listing_label=listed_day.strftime("%Y-%m-%d") if listed_day is not None else None,
            listed_on=listed_day,
            published=to_date(paper.get("publishedAt")),
            authors=split_names([a.get("name", "") for a in paper.get("authors", [])
                                 if isinstance(a, dict)]),
            upvotes=paper.get("upvotes"),
            num_comments=item.get("numComments"),
            github_repo=paper.get("githubRepo") or None,
            github_stars=paper.get("githubStars"),
            project_page=paper.get("projectPage") or None,
            keywords=[str(k) for k in keywords],
            organization=_org(paper.get("organization")) or _org(item.get("organization")),
        ))
    return parsed
