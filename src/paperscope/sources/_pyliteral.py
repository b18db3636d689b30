"""Read the Python ``repr`` of a dict (as some Hugging Face day files store their items) fast.

``ast.literal_eval`` compiles the text to a syntax tree first, which is most of the cost of
reading such a file. :func:`loads` instead rewrites the few Python-only spellings into JSON
(single-quoted strings and their escapes, ``True``/``False``/``None``) and parses that with
orjson. Anything it does not know for certain — tuples, sets, ``\\N{...}`` escapes, adjacent
string literals, numbers JSON does not spell the same way — makes the JSON invalid or is
refused outright, and then the text goes to ``ast.literal_eval`` as before; the result is the
same Python value either way (a test compares both on every real repr item).
"""

from __future__ import annotations

import ast
import re
from typing import Any

import orjson

_LITERAL = re.compile(r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|\b(?:True|False|None)\b""", re.S)
_ESCAPE = re.compile(r'\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|"', re.S)
_STRING = re.compile(r"""('[^'\n]*'|"[^"\n]*")""")  # (a string with no escaped quote)
_WORDS = {"True": "true", "False": "false", "None": "null"}
_SIMPLE = {"\\": "\\\\", "'": "'", '"': '\\"', "n": "\\n", "r": "\\r", "t": "\\t"}


class _NotJSON(ValueError):
    pass


def _escape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code is None:  # a bare " inside a single-quoted Python string
        return '\\"'
    if code in _SIMPLE:
        return _SIMPLE[code]
    if code[0] in "xuU" and len(code) > 1:
        char = chr(int(code[1:], 16))
        if char in '"\\' or char < " " or "\ud800" <= char <= "\udfff":
            return f"\\u{ord(char):04x}"
        return char
    raise _NotJSON(code)  # \a, \0, \N{...}, a line continuation: leave it to ast


def _literal(m: re.Match[str]) -> str:
    token = m.group(0)
    if token in _WORDS:
        return _WORDS[token]
    body = token[1:-1]
    if "\\" in body or '"' in body:
        body = _ESCAPE.sub(_escape, body)
    return f'"{body}"'


def _quick(text: str) -> str | None:
    """The JSON spelling of ``text`` by splitting at quotes, when every string in it is single-quoted.

    With no escaped quote anywhere (``\\'`` or ``\\"``), every ``'`` delimits a string, unless a
    string is double-quoted (Python's repr does that for text holding a ``'``): then a ``"``
    lands between the pieces taken for strings, and this gives up. Otherwise the pieces
    between strings are structure only: ``True``/``False``/``None`` are replaced there, a
    ``"`` inside a string is escaped, and the escapes Python's repr writes inside strings
    (``\\n``, ``\\t``, ``\\\\``, ``\\u…``) mean the same in JSON (``\\x…`` does not parse,
    and the slower path takes it).
    """
    if "\\'" in text or '\\"' in text or "\\/" in text or "\x00" in text:  # \/ is "/" in JSON only
        return None
    parts = text.split("'")
    if len(parts) % 2 == 0:
        return _double_quoted(text)
    structure = "\x00".join(parts[0::2])
    if '"' in structure:  # a double-quoted string: its ' were taken for delimiters
        return _double_quoted(text)
    structure = structure.replace("True", "true").replace("False", "false").replace("None", "null")
    parts[0::2] = structure.split("\x00")
    if '"' in text:
        parts[1::2] = [body.replace('"', '\\"') for body in parts[1::2]]
    return '"'.join(parts)


def _double_quoted(text: str) -> str | None:
    """:func:`_quick` for text where some strings are double-quoted (Python's repr of text holding a ``'``).

    With no escaped quote anywhere, a string runs from its quote to the next one of the same
    kind, so one regex split finds every string; the rest is as in :func:`_quick`. A quote
    that no string accounts for gives up.
    """
    parts = _STRING.split(text)
    structure = "\x00".join(parts[0::2])
    if "'" in structure or '"' in structure:
        return None
    structure = structure.replace("True", "true").replace("False", "false").replace("None", "null")
    parts[0::2] = structure.split("\x00")
    parts[1::2] = ['"' + s[1:-1].replace('"', '\\"') + '"' if s[0] == "'" else s for s in parts[1::2]]
    return "".join(parts)


def loads(text: str) -> Any:
    """The value of a Python literal ``text``, exactly as ``ast.literal_eval(text)`` gives it.

    Raises
    ------
    ValueError, SyntaxError
        As ``ast.literal_eval`` does, for text that is not a Python literal.
    """
    quick = _quick(text)
    if quick is not None:
        try:
            return orjson.loads(quick)
        except orjson.JSONDecodeError:
            pass
    try:
        return orjson.loads(_LITERAL.sub(_literal, text))
    except (orjson.JSONDecodeError, _NotJSON):
        return ast.literal_eval(text)
