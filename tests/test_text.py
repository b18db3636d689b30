"""Links found in abstracts: exactly the non-overlapping matches of the link pattern, in order."""

from __future__ import annotations

import random

import pytest

import paperscope as ps
from paperscope.text import _URL, find_urls, fold_title, repair_pdf_text, title_id

from .conftest import ROOT


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


def test_titles_in_other_scripts_keep_their_letters():
    # the key kept only a-z and 0-9: two Chinese papers and a Russian one that share "GPT-4 … LLaMA 2"
    # were one paper (their authors pooled), and every all-Chinese title had the same id
    chinese = ["基于GPT-4与LLaMA 2的中文医学问答评测", "利用GPT-4蒸馏LLaMA 2实现低成本代码生成"]
    russian = "Применение GPT-4 и LLaMA 2 в юридических задачах"
    keys = {fold_title(t) for t in [*chinese, russian, "机器学习综述", "深度学习综述"]}
    assert len(keys) == 5 and "" not in keys
    assert fold_title("Сравнение МОДЕЛЕЙ") == fold_title("сравнение моделей")  # case folds in any script
    assert fold_title("Schrödinger  Bridges!") == fold_title("schrodinger bridges") == "schrodinger bridges"
    assert fold_title("🚀") != fold_title("🔥") and title_id("🚀") != title_id("🔥")


@pytest.mark.parametrize("raw, repaired", [
    ("the model repro(cid:173) duces the amplitude", "the model reproduces the amplitude"),
    ("naviga\u00ad tion tasks", "navigation tasks"),
    ("classi(cid:12)cation, e(cid:11)ective, (cid:13)exibility, di(cid:14)cult",
     "classification, effective, flexibility, difficult"),
    ("insuf(cid:2)cient data, in(cid:3)uenced by", "insufficient data, influenced by"),
    ("sta(cid:11) scheduled, traded o(cid:11) for accuracy", "staff scheduled, traded off for accuracy"),
    ("an ef\ufb01cient and \ufb02exible", "an efficient and flexible"),
    ("using (cid:147)tempered(cid:148) proposals", "using \u201ctempered\u201d proposals"),
    # glyph numbers not followed by a letter may be mathematics: they stay
    ("an N(cid:2)N grid, (cid:15)-tubes, block (cid:96)1", "an N(cid:2)N grid, (cid:15)-tubes, block (cid:96)1"),
])
def test_pdf_extraction_artefacts_are_repaired(raw, repaired):
    assert repair_pdf_text(raw) == repaired


def test_a_real_neurips_listing_loads_with_its_words_whole():
    papers = ps.load(ROOT / "tests" / "data" / "sources" / "neurips-1995-head8.json")
    text = " ".join(papers["abstract"].dropna())
    assert "(cid:" not in text
    assert "reproduces the observed" in text and "goal-directed navigation tasks" in text
    assert "basis functions of their sensory inputs" in text


def test_code_links_without_their_scheme_are_links():
    # six of the 3,074 arXiv cs abstracts give their code as "github.com/owner/repo", no https://
    text = ("Code is available at github.com/vicgalle/experiential-prompt-optimization-safe. Data: "
            "https://example.org/d, models at www.huggingface.co/org/m; not a link: mygithub.com/x, "
            "user@github.com/y, nor example.org/z. Again: https://github.com/vicgalle/experiential-prompt-optimization-safe")
    assert find_urls(text) == [
        "https://github.com/vicgalle/experiential-prompt-optimization-safe",
        "https://example.org/d",
        "https://www.huggingface.co/org/m",
    ]
    assert find_urls("See GitHub.com/A/B") == ["https://GitHub.com/A/B"]
    # a host inside a link is part of it, not a second link
    assert find_urls("Mirror https://example.org/r?u=github.com/a/b and x") == ["https://example.org/r?u=github.com/a/b"]


def test_bare_code_links_are_those_of_a_scan_of_the_whole_text():
    """find_urls runs the bare-host pattern from the first host it sees in the lowered text; a scan of
    the whole text must find the same links. "gıthub.com" (dotless ı) is another site, though the
    pattern's case folding reads it as github.com."""
    from paperscope.text import _BARE, CODE_HOSTS

    def whole(text):
        hosts = tuple(h + "/" for h in CODE_HOSTS)
        return list(dict.fromkeys("https://" + m.group().rstrip(".,;:!?") for m in _BARE.finditer(text)
                                  if m.group().lower().removeprefix("www.").startswith(hosts)))

    assert find_urls("Kod: gıthub.com/x/y ve github.com/a/b") == ["https://github.com/a/b"]
    pieces = ["github.com/", "GitHub.com/", "gıthub.com/", "www.", "İ", "ı", "ſ", "K", "a", "b", " ", ".", "/",
              "x", "-", "@", "huggingface.co/", "gitlab.com/", "é"]
    rng = random.Random(1)
    for _ in range(20_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        if "://" not in text:
            assert find_urls(text) == whole(text), text


def test_publishers_markup_is_text():
    from paperscope.text import strip_markup

    # IEEE Xplore's titles and abstracts, as its CSV and RIS exports write them
    assert strip_markup("X<sup>e</sup><inf>HPC</inf> Ponte Vecchio") == "XeHPC Ponte Vecchio"
    assert strip_markup('improved by <inline-formula> <tex-math notation="LaTeX">$7.14\\times $ '
                        "</tex-math></inline-formula> and") == "improved by  $7.14\\times $  and"
    assert strip_markup("Simple &amp; Efficient, Mean-Time-To-Failure(T<sub>MTTF</sub> )") == \
        "Simple & Efficient, Mean-Time-To-Failure(TMTTF )"
    # a number's superscript is its power (not 1018), a JATS paragraph ends with a space
    assert strip_markup("10<sup>18</sup> operations in 0.2mm<sup>2</sup>, 10<SUP>-3</SUP>") == \
        "10^18 operations in 0.2mm^2, 10^-3"
    assert strip_markup("10<jats:sup>18</jats:sup>, &lt;sup&gt;2&lt;/sup&gt;") == "10^18, ^2"  # Crossref; escaped
    assert strip_markup("<jats:title>Abstract</jats:title><jats:p>First.</jats:p><jats:p>Second.</jats:p>"
                        ).split() == ["Abstract", "First.", "Second."]
    # mathematics and ampersands that are no markup stay as written
    for text in ("a <b and c > d", "x < y and y > z", "AT&T and R&D", "p<0.05", "A <p>-adic approach",
                 "Why <br> tags?"):
        assert strip_markup(text) == text
    assert strip_markup(None) is None and strip_markup(3) == 3


def test_words_of_scripts_written_without_spaces():
    from paperscope.text import count_words

    assert count_words("本文提出一种基于GPT-4的新方法。") == 13  # 12 ideographs and GPT-4; "。" is no word
    assert count_words("データ・サイエンス") == 8  # the katakana middle dot separates, it is no word
    assert count_words("𠀀𠀁 and more") == 4  # ideographs beyond the basic block
    assert count_words("이 논문은 새로운 방법을 제안한다.") == 5  # Korean spaces its words
    assert count_words("Plain  English text") == 3 and count_words(None) == count_words("") == 0
