"""`import paperscope` stays light: pandas, the chart, term-count, trend and topic stacks load on first use."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("pandas", "sklearn", "scipy", "plotly", "torch", "bertopic", "umap", "hdbscan", "sentence_transformers")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run([sys.executable, "-c", code + "\nimport sys; print(' '.join(sys.modules))"],
                         check=True, capture_output=True, text=True, timeout=120).stdout
    return set(out.split())


def test_import_paperscope_loads_no_heavy_stack():
    loaded = _modules_after("import paperscope")
    assert not [m for m in HEAVY if m in loaded]
    assert "paperscope.loader" not in loaded


def test_load_and_schema_load_on_first_use():
    loaded = _modules_after("import paperscope as ps\nps.load, ps.schema.NAMES")
    assert {"pandas", "paperscope.loader", "paperscope.schema"} <= loaded
    assert not [m for m in HEAVY if m in loaded and m != "pandas"]


def test_command_line_help_loads_no_data_stack():
    loaded = _modules_after("import sys\nfrom paperscope.cli import main\n"
                            "sys.argv = ['paperscope', 'report', '--help']\n"
                            "try:\n    main()\nexcept SystemExit:\n    pass")
    assert not [m for m in (*HEAVY, "nbformat", "nbconvert", "papermill") if m in loaded]


def test_themes_load_on_first_use():
    assert "paperscope.themes" not in _modules_after("import paperscope")
    loaded = _modules_after("import paperscope as ps\nps.tag_themes, ps.Taxonomy")
    assert "paperscope.themes" in loaded and not [m for m in HEAVY if m in loaded and m != "pandas"]


def test_lazy_names_load_on_first_use():
    loaded = _modules_after("import paperscope as ps\nps.top_terms, ps.theme_trends, ps.plotting.top_terms_chart")
    assert {"sklearn", "scipy", "plotly"} <= loaded
    assert "torch" not in loaded and "bertopic" not in loaded


def test_every_public_name_resolves():
    import paperscope as ps

    for name in ps.__all__:
        if name not in ("fit_topics", "topic_themes", "uncovered_topics", "Topics", "embed"):
            assert getattr(ps, name) is not None, name
    assert set(ps.__all__) <= set(dir(ps))
