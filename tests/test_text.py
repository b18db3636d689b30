"""Links found in abstracts: exactly the non-overlapping matches of the link pattern, in order."""

from __future__ import annotations

import random

import pytest

from paperscope.text import _URL, find_urls


def _by_findall(text: str) -> list[str]:
    found: list[str] = []
    for match in _URL.findall(text):
        url = match.rstrip(".,;:!?")
        if url not in found:
            found.append(url)
    return found


@pytest.mark.parametrize("text", [
    "Code: https://github.com/a/b. Data at http://x.org/d, and https://github.com/a/b again.",
    "nested http://a.org/http://b.org/x and (https://c.io)",
    "HTTPS://CAPS.ORG and hTtP://mixed.net/",
    "xhttps://glued.org ahttp://glued2.org",
    "://alone and http:// with nothing after, https:/broken",
    "httpſ://long-s.org (a case variant the pattern accepts)",
])
def test_links_are_what_the_pattern_finds(text):
    assert find_urls(text) == _by_findall(text)
    assert bool(find_urls(text)) == ("alone" not in text)


def test_links_in_random_text_are_what_the_pattern_finds():
    pieces = ["http", "https", "HTTPS", "hTtP", "ſ", "://", ":/", "/", ":", "a", ".", ",", " ", "\n", "(", ")",
              "x.org", "s", "h", "p", '"', "'"]
    rng = random.Random(0)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        assert find_urls(text) == _by_findall(text), text
