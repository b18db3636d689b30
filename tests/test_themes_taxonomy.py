"""Taxonomy mistakes are TaxonomyErrors naming the file, the theme and the key — never a hang.

Each call runs in a worker process killed after one second of CPU (conftest's
``guarded``): a regression that loops (a parent cycle) or backtracks (a
nested repeat) fails its test instead of hanging the suite.
"""

from __future__ import annotations

import pytest

import paperscope as ps
from paperscope import schema

from .conftest import ROOT, SEED

HEAD = "[themes.x]\nlabel = 'X'\ndescription = 'd'\n"


def load_only(path) -> str:
    return f"import paperscope as ps\nps.load_taxonomy({str(path)!r}, include_default=False)\n"


MISTAKES = [
    # (id, file text, theme, key, message fragment)
    ("self_parent", HEAD + "phrases = ['a b']\nparent = 'x'\n", "x", "parent", "cycle (x → x)"),
    ("two_cycle", HEAD + "phrases = ['a b']\nparent = 'y'\n"
     "[themes.y]\nlabel = 'Y'\ndescription = 'd'\nphrases = ['c d']\nparent = 'x'\n",
     "x", "parent", "cycle (x → y → x)"),
    ("unknown_parent", HEAD + "phrases = ['a b']\nparent = 'nope'\n", "x", "parent", "unknown parent 'nope'"),
    ("phrases_string", HEAD + "phrases = 'collocation'\n", "x", "phrases",
     "found the string 'collocation': write phrases = ['collocation']"),
    ("phrases_empty_item", HEAD + "phrases = ['']\n", "x", "phrases", "item 1 is empty"),
    ("acronyms_blank_item", HEAD + "phrases = ['a b']\nacronyms = ['  ']\n", "x", "acronyms", "item 1 is empty"),
    ("acronyms_number", HEAD + "acronyms = ['AB', 3]\n", "x", "acronyms", "item 2 must be a string"),
    ("exclude_table", HEAD + "phrases = ['a b']\nexclude = {a = 1}\n", "x", "exclude", "must be a list"),
    ("empty_match_optional", HEAD + "phrases = ['(?:deep )?']\n", "x", "phrases", "matches the empty string"),
    ("empty_match_star", HEAD + "phrases = ['ok', 'x*']\n", "x", "phrases", "item 2 'x*': matches the empty"),
    ("empty_match_boundary", HEAD + "acronyms = ['\\b']\n", "x", "acronyms", "matches the empty string"),
    ("empty_match_exclude", HEAD + "phrases = ['a b']\nexclude = ['y|']\n", "x", "exclude",
     "matches the empty string"),
    ("backreference", HEAD + "phrases = ['(ab)\\1']\n", "x", "phrases", "backreferences"),
    ("lookahead", HEAD + "phrases = ['foo(?=bar)']\n", "x", "phrases", "lookahead"),
    ("lookbehind", HEAD + "phrases = ['(?<!x)foo']\n", "x", "phrases", "lookbehind"),
    ("unbalanced", HEAD + "phrases = ['(unclosed']\n", "x", "phrases", "RE2 cannot compile it: missing )"),
    ("named_backreference", HEAD + "phrases = ['(?P<n>ab)(?P=n)']\n", "x", "phrases", "named backreferences"),
    ("python_end", HEAD + "acronyms = ['GNN\\Z']\n", "x", "acronyms", "\\Z is Python's; write $"),
    ("python_unicode", HEAD + "phrases = ['caf\\u00e9']\n", "x", "phrases", "write the character itself"),
    ("python_open_repeat", HEAD + "phrases = ['multi-?(?:layer){,1} perceptrons?']\n", "x", "phrases",
     "'{,n}' means 'at most n' only in Python's re"),
    ("since_text", HEAD + "phrases = ['a b']\nsince = '2019'\n", "x", "since", "must be a year"),
    ("escapes_group", HEAD + "phrases = ['a)|(b']\n", "x", "phrases", "RE2 cannot compile it"),
    ("min_abstract_word", HEAD + "phrases = ['a b']\nmin_abstract = 'two'\n", "x", "min_abstract",
     "positive whole number"),
    ("min_abstract_zero", HEAD + "phrases = ['a b']\nmin_abstract = 0\n", "x", "min_abstract",
     "positive whole number"),
    ("min_abstract_bool", HEAD + "phrases = ['a b']\nmin_abstract = true\n", "x", "min_abstract",
     "positive whole number"),
    ("own_method_string", HEAD + "phrases = ['a b']\nown_method = 'yes'\n", "x", "own_method",
     "must be true or false"),
    ("first_sentence_string", HEAD + "phrases = ['a b']\nfirst_sentence = 'no'\n", "x", "first_sentence",
     "must be true or false"),
    ("weak_string", HEAD + "phrases = ['a b']\nweak = 'agent'\n", "x", "weak", "write weak = ['agent']"),
    ("weak_context_empty", HEAD + "phrases = ['a b']\nweak_context = ['']\n", "x", "weak_context", "item 1 is empty"),
    ("weak_only", HEAD + "weak = ['agents?']\n", "x", "phrases", "no phrases or acronyms"),
    ("weak_context_alone", HEAD + "phrases = ['a b']\nweak_context = ['c']\n", "x", "weak_context",
     "no effect without weak words"),
    ("no_patterns", HEAD, "x", "phrases", "no phrases or acronyms"),
    ("no_description", "[themes.x]\nlabel = 'X'\nphrases = ['a']\n", "x", "description", "is required"),
    ("unknown_key", HEAD + "phrase = ['a']\n", "x", None, "unknown keys ['phrase']"),
    ("not_a_table", "[themes]\nx = 3\n", "x", None, "must be a table [themes.x]"),
    ("same_label", HEAD + "phrases = ['a b']\n[themes.y]\nlabel = 'x'\ndescription = 'd'\nphrases = ['c d']\n",
     "y", "label", "themes 'x' and 'y' have the same label 'x'"),
    ("semantic_percentage", HEAD + "phrases = ['a b']\n[semantic.themes.x]\nthreshold = 70\n", "x",
     "semantic.threshold", "compared with a cosine: a number from 0 to 1, found 70 (0.7, not 70?)"),
    ("semantic_off_text", HEAD + "phrases = ['a b']\n[semantic.themes.x]\noff = 'yes'\n", "x", "semantic.off",
     "off must be true or false"),
]


@pytest.mark.parametrize(("text", "theme", "key", "message"), [m[1:] for m in MISTAKES],
                         ids=[m[0] for m in MISTAKES])
def test_each_mistake_is_a_taxonomy_error_naming_file_theme_and_key(guarded, tmp_path, text, theme, key,
                                                                    message):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    out = guarded(load_only(path))
    assert out["error"] == "TaxonomyError", out
    assert "PaperscopeError" in out["bases"] and "ValueError" in out["bases"]
    where = f"{path}: theme {theme!r}" + (f", key {key!r}" if key else "")
    assert out["message"].startswith(where), out["message"]
    assert message in out["message"], out["message"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("latin1.toml", HEAD.encode() + "phrases = ['r\xe9seau']\n".encode("latin-1"),
         "line 4: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
        ("missing.toml", None, "no such taxonomy file"),
        ("folder.toml", "dir", "cannot read the taxonomy file"),
        ("bad.toml", b"[themes.x\n", "not valid TOML"),
        ("empty.toml", b"themes = 3\n", "expected [themes.<id>] tables"),
        ("blank.toml", b"# nothing yet\n", "expected [themes.<id>] tables (or [rules] / [semantic] settings)"),
    ],
)
def test_unreadable_files_are_taxonomy_errors(guarded, tmp_path, name, content, message):
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    out = guarded(load_only(path))
    assert out["error"] == "TaxonomyError", out
    assert out["message"].startswith(f"{path}: ") and message in out["message"], out["message"]


@pytest.mark.parametrize(("theme", "parent", "cycle"), [
    # generative_models made a child of diffusion_models, which is already its child
    ("generative_models", "diffusion_models", "generative_models → diffusion_models → generative_models"),
    # scientific_ml made a child of pinns, whose ancestors in the defaults end at scientific_ml
    ("scientific_ml", "pinns", "scientific_ml → pinns → neural_pde_solvers → scientific_ml"),
])
def test_a_user_file_that_closes_a_cycle_with_the_defaults_is_blamed(guarded, tmp_path, theme, parent, cycle):
    """The error names the user's file and theme, the edge that closed the cycle, not default.toml."""
    path = tmp_path / "mine.toml"
    path.write_text(f"[themes.{theme}]\nlabel = 'Mine'\ndescription = 'd'\nphrases = ['mine']\n"
                    f"parent = '{parent}'\n", encoding="utf-8")
    out = guarded(f"import paperscope as ps\nps.load_taxonomy({str(path)!r})\n")
    assert out["error"] == "TaxonomyError", out
    assert out["message"].startswith(f"{path}: theme '{theme}', key 'parent'"), out["message"]
    assert f"parents form a cycle ({cycle})" in out["message"], out["message"]


def test_semantic_settings_errors_carry_their_key(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + "phrases = ['a b']\n[semantic]\nneighbours = 0\n", encoding="utf-8")
    with pytest.raises(ps.TaxonomyError, match="neighbours must be a positive whole number") as caught:
        ps.load_taxonomy(path, include_default=False)
    assert (caught.value.path, caught.value.theme, caught.value.key) == (str(path), None, "semantic.neighbours")
    path.write_text(HEAD + "phrases = ['a b']\n[semantic.themes.nope]\nthreshold = 0.7\n", encoding="utf-8")
    unknown = r"\[semantic\.themes\] names no theme of the taxonomy: \['nope'\]"
    with pytest.raises(ps.TaxonomyError, match=unknown) as caught:
        ps.load_taxonomy(path, include_default=False)
    assert (caught.value.theme, caught.value.key) == (None, "semantic.themes")


def test_a_taxonomy_built_by_hand_with_a_theme_twice_is_an_error(guarded):
    """Overriding a default by appending a theme of the same id counted every tag of it twice."""
    code = ("import paperscope as ps\nfrom paperscope.themes import Taxonomy, Theme\n"
            "extra = Theme(id='llms', label='Big Text Models', description='d', phrases=('language models?',))\n"
            "Taxonomy(ps.load_taxonomy().themes + (extra,))\n")
    out = guarded(code)
    assert out["error"] == "TaxonomyError", out
    assert out["message"].startswith("theme 'llms', key 'id': a second theme with this id"), out["message"]


def test_the_same_file_by_two_paths_is_the_same_taxonomy(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text(HEAD + "phrases = ['language models?']\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    relative, absolute = ps.load_taxonomy("mine.toml"), ps.load_taxonomy(path)
    assert relative == absolute and relative.sources != absolute.sources
    papers = ps.load(SEED)
    tags = ps.tag_themes(papers, relative)
    assert ps.theme_prevalence(papers, tags, absolute).equals(tags.prevalence())


def test_a_taxonomy_built_by_hand_is_checked_too(guarded):
    code = ("from paperscope.themes import Taxonomy, Theme\n"
            "a = Theme(id='a', label='A', description='d', phrases=('aa',), parent='b')\n"
            "b = Theme(id='b', label='B', description='d', phrases=('bb',), parent='a')\n"
            "Taxonomy((a, b))\n")
    out = guarded(code)
    assert out["error"] == "TaxonomyError" and "cycle (a → b → a)" in out["message"], out


def test_backtracking_patterns_run_in_linear_time(guarded, tmp_path):
    """(a+)+$ against 'a'*40+'b' takes Python's re minutes; RE2 answers at once, on long texts too."""
    path = tmp_path / "evil.toml"
    path.write_text("[themes.evil]\nlabel = 'Evil'\ndescription = 'd'\n"
                    "phrases = ['(a+)+$', '(a|aa)+c', '(x*)*y', '(?:a|a)*z']\nmin_abstract = 1\n"
                    "exclude = ['(a*)*b']\n", encoding="utf-8")
    code = (
        "import paperscope as ps\nfrom paperscope import schema\n"
        "papers = schema.from_records([{'paper_id': f'p{i}', 'title': t, 'abstract': t, 'source': 't',"
        " 'source_format': 't', 'position': i + 1, 'n_words': 1}"
        " for i, t in enumerate(['a' * 40 + 'b', 'a' * 20000 + 'b', 'x' * 20000, 'aaa'])])\n"
        f"tags = ps.tag_themes(papers, ps.load_taxonomy({str(path)!r}, include_default=False))\n"
        "hits = tags.frame.dropna(subset=['theme'])\n"
        "assert hits['paper_id'].tolist() == ['p3'], hits\n"
    )
    out = guarded(code)
    assert out["error"] is None, out


def test_patterns_rejected_by_re2_say_why():
    from paperscope.themes.patterns import PatternError, check

    for pattern, why in [("(a)\\1", "backreferences"), ("a(?=b)", "lookahead"), ("a(?!b)", "lookahead"),
                         ("(?<=a)b", "lookbehind"), ("(?>ab)", "atomic groups"), ("a++", "repetition")]:
        with pytest.raises(PatternError, match=why) as info:
            check(pattern)
        assert "RE2" in str(info.value)


def test_the_example_user_file_loads():
    import paperscope as ps

    tax = ps.load_taxonomy(ROOT / "notebooks" / "my_themes.toml")
    assert tax.ids[-1] == "numerical_methods" and tax.labels["numerical_methods"] == "Numerical methods"
    assert repr(tax) == f"Taxonomy({len(tax.themes)} themes from default.toml, my_themes.toml)"


def test_a_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + HEAD.encode() + b"phrases = ['kernel methods']\n")
    assert ps.load_taxonomy(path, include_default=False).ids == ["x"]


def test_a_file_of_settings_alone_refines_the_files_before_it(tmp_path):
    """docs/themes.md: [rules] and [semantic] of a later file refine the earlier ones."""
    settings = tmp_path / "settings.toml"
    settings.write_text("[rules]\nfirst_sentence = false\n[semantic]\nthreshold = 0.7\n")
    default, refined = ps.load_taxonomy(), ps.load_taxonomy(settings)
    assert refined.ids == default.ids and default.first_sentence and not refined.first_sentence
    assert refined.semantic.threshold == 0.7 and refined.semantic.neighbours == default.semantic.neighbours
    # One mention in the first sentence no longer tags: 2 of the seed's 83 tags go, none appear.
    seed_papers = ps.load(SEED)
    before = ps.tag_themes(seed_papers, default).matrix().to_numpy()
    after = ps.tag_themes(seed_papers, refined).matrix().to_numpy()
    assert (before.sum(), after.sum()) == (83, 81) and not (after & ~before).any()


def test_patterns_match_as_written_whatever_the_prefilter(tmp_path):
    """An acronym that ignores case in part, and `requires`, which matches whole words only."""
    path = tmp_path / "mine.toml"
    path.write_text("[themes.gnn]\nlabel = 'GNN'\ndescription = 'd'\nacronyms = ['(?i:gnns?)']\n"
                    "[themes.pinn]\nlabel = 'PINN'\ndescription = 'd'\nphrases = ['physics-informed']\n"
                    "requires = ['ODE', 'PDE', 'trained']\n")
    papers = schema.from_records([
        {"paper_id": "a", "title": "A study of GNN robustness", "abstract": ""},
        {"paper_id": "b", "title": "A study of gnn robustness", "abstract": ""},
        {"paper_id": "c", "title": "Physics-informed image deblurring",  # "mODEl", "consTRAINED"
         "abstract": "Our constrained model deblurs images quickly."},
        {"paper_id": "d", "title": "Physics-informed networks for stiff ODE systems", "abstract": ""}])
    tagged = ps.tag_themes(papers, ps.load_taxonomy(path, include_default=False)).matrix()
    assert tagged["gnn"].tolist() == [True, True, False, False]
    assert tagged["pinn"].tolist() == [False, False, False, True]


def test_the_prefilter_never_drops_a_match_beyond_ascii(tmp_path):
    """RE2 folds case beyond lowering: the micro sign and Greek mu, a final sigma, the long s;
    and pyarrow lowers "İ" otherwise than Python. Each paper here matches its pattern as written."""
    path = tmp_path / "mine.toml"
    path.write_text("[themes.mu]\nlabel = 'Mu'\ndescription = 'd'\nphrases = ['µtransfer']\n"
                    "[themes.city]\nlabel = 'City'\ndescription = 'd'\nphrases = ['İstanbul']\n"
                    "[themes.logos]\nlabel = 'Logos'\ndescription = 'd'\nphrases = ['λόγος']\n"
                    "[themes.diff]\nlabel = 'Diff'\ndescription = 'd'\nphrases = ['diffusion models?']\n",
                    encoding="utf-8")
    papers = schema.from_records([
        {"paper_id": "a", "title": "Scaling with μTransfer", "abstract": ""},  # Greek mu
        {"paper_id": "b", "title": "Traffic in İstanbul", "abstract": ""},
        {"paper_id": "c", "title": "ΛΌΓΟΣ and reason", "abstract": ""},
        {"paper_id": "d", "title": "Diffuſion models, as printed in 1790", "abstract": ""}])
    tagged = ps.tag_themes(papers, ps.load_taxonomy(path, include_default=False)).matrix()
    assert tagged.to_dict("list") == {"mu": [True, False, False, False], "city": [False, True, False, False],
                                      "logos": [False, False, True, False], "diff": [False, False, False, True]}


def test_a_very_long_abstract_is_tagged_in_linear_time(guarded):
    """Each match found its clause by rescanning the text from the start: 107 s for 8,000 sentences."""
    code = (
        "import paperscope as ps\nfrom paperscope import schema\n"
        "abstract = 'We train large language models on video, e.g., clips, frames and more. ' * 8000\n"
        "papers = schema.from_records([{'paper_id': 'p', 'title': 'A long document', 'abstract': abstract}])\n"
        "tags = ps.tag_themes(papers)\n"
        "assert 'llms' in set(tags.frame['theme']), tags.frame\n"
    )
    out = guarded(code, cpu_s=10)
    assert out["error"] is None, out


def test_what_is_not_a_taxonomy_is_said_so():
    seed_papers = ps.load(SEED)
    for wrong in (42, [1, 2]):
        with pytest.raises(ps.TaxonomyError, match="taxonomy must be a Taxonomy, a file or a list of files"):
            ps.tag_themes(seed_papers, wrong)
    with pytest.raises(ps.PaperscopeError, match=r"lack the column\(s\) \['abstract'\]"):
        ps.tag_themes(seed_papers.drop(columns="abstract"))


def test_a_label_clash_names_the_file_that_made_it(tmp_path):
    first, second = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(HEAD + "phrases = ['a b']\n[themes.x2]\nlabel = 'X'\ndescription = 'd'\nphrases = ['c d']\n")
    second.write_text("[themes.y]\nlabel = 'Y'\ndescription = 'd'\nphrases = ['e f']\n")
    with pytest.raises(ps.TaxonomyError, match=r"a\.toml: theme 'x2', key 'label': themes 'x' and 'x2'"):
        ps.load_taxonomy(first, second, include_default=False)


def test_the_worked_example_in_the_reference_is_the_file_that_ships():
    import re
    import tomllib

    doc = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")
    block = re.search(r"\*\*Worked example — adding a theme\.\*\*.*?```toml\n(.*?)```", doc, re.S).group(1)
    shipped = (ROOT / "notebooks" / "my_themes.toml").read_text(encoding="utf-8")
    assert tomllib.loads(block) == tomllib.loads(shipped)
