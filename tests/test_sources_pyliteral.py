"""The fast reader of Python-repr items gives exactly what ast.literal_eval gives."""

from __future__ import annotations

import ast
import json
import random

import pytest

from paperscope.sources import _pyliteral

from .conftest import ROOT

HF = ROOT / "data" / "hf-daily-papers"


def _repr_items():
    for path in sorted(HF.glob("*.json")):
        data = json.loads(path.read_text())
        for item in data["data"] if isinstance(data, dict) else data:
            if isinstance(item, str):
                yield item


def test_every_real_repr_item_reads_as_ast_reads_it():
    items = list(_repr_items())
    assert len(items) == 38  # every item of 2024-12-11 (26), 2025-01-02 (3) and 2025-01-10 (9)
    for item in items:
        assert _pyliteral.loads(item) == ast.literal_eval(item)
        assert _pyliteral._quick(item) is not None  # (double-quoted strings included: no regex rewrite)


TRICKY = ["plain", "it's", 'say "hi"', "both ' and \"", "back\\slash", "ends with \\", "line\nbreak\ttab\r",
          "True, None: False", "': None, '", "ünïcödé", "emoji 😀", "\x00\x07\x1f", "\u2028", "\U000e0001",
          "slash \\/ and /", "", " ", "'", '"', "{'a': [1, 2]}", "\\x41", "\\u0041", "\\N{DASH}"]


@pytest.mark.parametrize("seed", range(40))
def test_tricky_values_round_trip(seed):
    rng = random.Random(seed)

    def value(depth=0):
        roll = rng.random()
        if depth < 3 and roll < 0.25:
            return {rng.choice(TRICKY): value(depth + 1) for _ in range(rng.randint(0, 3))}
        if depth < 3 and roll < 0.4:
            return [value(depth + 1) for _ in range(rng.randint(0, 3))]
        return rng.choice(TRICKY + [True, False, None, 0, -7, 2**70, 1.5, -0.0, 1e300])

    obj = {"paper": value(), "title": rng.choice(TRICKY)}
    text = repr(obj)
    assert _pyliteral.loads(text) == ast.literal_eval(text) == obj


@pytest.mark.filterwarnings("ignore:invalid escape sequence:DeprecationWarning")  # ast, on '\\/'
@pytest.mark.parametrize("text", ["{'a': (1, 2)}", "{'a': {1, 2}}", "{'a': 'x' 'y'}", "{'a': .5}", "{'a': 1_000}",
                                  "{'a': '\\/'}", "{'a': b'x'}", "{1: 'int key'}"])
def test_python_only_spellings_fall_back_to_ast(text):
    assert _pyliteral.loads(text) == ast.literal_eval(text)


def test_not_a_literal_raises_like_ast():
    for text in ["{'paper': broken", "__import__('os')", "{'a': nan}"]:
        with pytest.raises((ValueError, SyntaxError)):
            _pyliteral.loads(text)
