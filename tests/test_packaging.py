"""The install files agree with each other, and the public API is what the README shows."""

from __future__ import annotations

import re
import tomllib

import pytest

import paperscope as ps

from .conftest import ROOT


def _names(reqs):
    return {re.split(r"[<>=!~ ;\[]", r.strip(), maxsplit=1)[0].lower() for r in reqs}


def test_environment_yml_mirrors_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = set(project["dependencies"]) | set(project["optional-dependencies"]["dev"])
    env = (ROOT / "environment.yml").read_text()
    pip_lines = {ln.strip()[2:].strip() for ln in env.splitlines()
                 if ln.strip().startswith("- ") and ("=" in ln or ">" in ln)}
    pip_lines = {ln for ln in pip_lines if not ln.startswith(("python", "pip", "--"))}  # not pip options
    assert {re.sub(r"\s*#.*", "", w) for w in wanted} == pip_lines
    assert "conda-forge" in env


def test_torch_is_pinned_to_the_cpu_wheel_everywhere():
    assert '"torch==2.13.0"' in (ROOT / "pyproject.toml").read_text()
    assert "torch==2.13.0" in (ROOT / "environment.yml").read_text()
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in (ROOT / "environment.yml").read_text()
    makefile = (ROOT / "Makefile").read_text()
    # the configured indexes' +cpu wheel, else PyTorch's CPU index (plain PyPI's Linux wheel is CUDA's)
    assert "pip install --quiet torch==2.13.0+cpu" in makefile
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in makefile
    assert "torch==2.13.0\n" in (ROOT / "constraints.txt").read_text()  # matches 2.13.0+cpu and 2.13.0


def test_public_api():
    assert set(ps.__all__) <= set(dir(ps))
    assert ps.__version__ != "0+unknown"


def test_notebooks_are_parameterized_and_carry_no_wall_clock():
    import nbformat

    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    assert [p.name for p in notebooks][:3] == ["01-corpus.ipynb", "02-themes.ipynb", "03-topics.ipynb"]
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "paperscope"
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1 and "corpus =" in params[0].source, path.name
        assert "iopub" not in path.read_text(), f"{path.name} stores execution timestamps"
        assert all(c.cell_type != "code" or c.execution_count for c in nb.cells), f"{path.name}: unrun cells"


def test_notebooks_are_one_source_linked_into_the_package():
    link = ROOT / "src" / "paperscope" / "notebooks"
    assert link.is_symlink() and link.resolve() == (ROOT / "notebooks").resolve()


@pytest.mark.slow
def test_a_plain_install_ships_the_report_notebooks(tmp_path):
    """`pip install .` (a wheel) carries the notebooks as files: `paperscope report` needs no repo."""
    import shutil
    import subprocess
    import sys
    import zipfile

    tree = tmp_path / "tree"
    tree.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(ROOT / "notebooks", tree / "notebooks")
    shutil.copytree(ROOT / "src", tree / "src", symlinks=True,
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                    "-w", str(tmp_path / "dist"), str(tree)], check=True, capture_output=True, timeout=300)
    wheel = next((tmp_path / "dist").glob("paperscope-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        shipped = {n: zf.read(n) for n in zf.namelist() if n.startswith("paperscope/notebooks/")}
    expected = sorted(p.name for p in (ROOT / "notebooks").iterdir() if p.suffix in (".ipynb", ".toml"))
    assert sorted(n.rsplit("/", 1)[1] for n in shipped) == expected
    for name, data in shipped.items():
        assert data == (ROOT / "notebooks" / name.rsplit("/", 1)[1]).read_bytes()
