"""How a report is built, on tiny notebooks (seconds, not minutes): never overwrite, never leave
debris, say what is happening, and clean up when killed."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from paperscope.errors import PaperscopeError, SourceFormatError
from paperscope.report import MANIFEST, ReportPageError, ReportParams, ReportTargetError, build_report

from .conftest import ROOT, SEED

PARAMETERS = "\n".join(f"{name} = None" for name in ReportParams.names())


def notebooks(folder: Path, *cells_per_notebook: list[str]) -> Path:
    """Write numbered notebooks whose first cell is the report's parameters cell."""
    folder.mkdir(parents=True, exist_ok=True)
    for n, cells in enumerate(cells_per_notebook, start=1):
        nb = nbformat.v4.new_notebook()
        params = nbformat.v4.new_code_cell(PARAMETERS)
        params.metadata["tags"] = ["parameters"]
        nb.cells = [nbformat.v4.new_markdown_cell(f"# Page {n}"), params,
                    *[nbformat.v4.new_code_cell(c) for c in cells]]
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{n:02d}-page.ipynb")
    return folder


COUNT = ("from paperscope.report import load_corpus\n"
         "papers = load_corpus(corpus, year=year, since=since)\n"
         "print(f'{len(papers)} papers; taxonomy files: {taxonomy_files}; period {period}')")
BAR = ("import time\nfrom paperscope import progress\n"
       "with progress.bar(30, 'crunching', unit='item') as bar:\n"
       "    for _ in range(30):\n        time.sleep(0.05)\n        bar.update(1)")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return notebooks(tmp_path_factory.mktemp("notebooks"), [COUNT], [COUNT, BAR])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".paperscope-" in p.name)


def test_a_report_lands_whole_with_a_manifest_and_talks(tiny, tmp_path):
    err = io.StringIO()
    pages = build_report(SEED, out=tmp_path / "rep", notebooks=tiny, period="M", progress=True, stream=err)
    assert [p.path.name for p in pages] == ["01-page.html", "02-page.html"]
    written = sorted(p.name for p in (tmp_path / "rep").iterdir())
    assert written == [MANIFEST, "01-page.html", "02-page.html", "index.html"]
    manifest = json.loads((tmp_path / "rep" / MANIFEST).read_text())["files"]
    assert sorted(manifest) == ["01-page.html", "02-page.html", "index.html"]
    page = pages[0].path.read_text()
    assert "62 papers; taxonomy files: []; period M" in page  # the corpus, loaded once, as Parquet
    assert leftovers(tmp_path) == []
    lines = err.getvalue().splitlines()
    assert [ln.split(" … ")[0] for ln in lines if " … " in ln] == ["[1/2] 01-page", "[2/2] 02-page"]
    assert any("crunching" in ln for ln in lines), "the kernel's progress bar reaches the terminal"
    assert "crunching" not in pages[1].path.read_text(), "and never the page"
    assert lines[-1].startswith("report: 2 pages + index.html in")
    assert not any("WARNING" in ln or "TCP" in ln for ln in lines)


def test_a_second_report_replaces_its_own_files_but_keeps_the_users(tiny, tmp_path):
    out = tmp_path / "rep"
    build_report(SEED, out=out, notebooks=tiny, stream=io.StringIO())
    (out / "notes.txt").write_text("mine")
    build_report(SEED, out=out, notebooks=tiny, stream=io.StringIO())
    assert (out / "notes.txt").read_text() == "mine"
    (out / "01-page.html").write_text("<html>I edited this page by hand</html>")
    with pytest.raises(ReportTargetError, match="01-page.html: exists and was not written by paperscope"):
        build_report(SEED, out=out, notebooks=tiny, stream=io.StringIO())
    assert (out / "01-page.html").read_text() == "<html>I edited this page by hand</html>"


def test_never_overwrites_a_users_index(tiny, tmp_path):
    mine = tmp_path / "index.html"
    mine.write_text("<html>my own notes</html>")
    with pytest.raises(PaperscopeError, match="refusing to overwrite"):
        build_report(SEED, out=tmp_path, notebooks=tiny, stream=io.StringIO())
    assert mine.read_text() == "<html>my own notes</html>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]


def test_never_overwrites_a_users_image(tiny, tmp_path):
    figure = tmp_path / "images" / "01-page" / "figure-01.png"
    figure.parent.mkdir(parents=True)
    figure.write_bytes(b"\x89PNG my slide")
    with pytest.raises(ReportTargetError, match="figure-01.png: exists and was not written by paperscope"):
        build_report(SEED, out=tmp_path, notebooks=tiny, images=True, stream=io.StringIO())
    assert figure.read_bytes() == b"\x89PNG my slide"
    build_report(SEED, out=tmp_path / "other", notebooks=tiny, stream=io.StringIO())  # no images: no clash


def test_write_images_never_replaces_a_file(tmp_path):
    import plotly.graph_objects as go

    from paperscope.report import write_images

    (tmp_path / "figure-01.png").write_bytes(b"mine")
    with pytest.raises(PaperscopeError, match="figure-01.png: exists; refusing to overwrite"):
        write_images([go.Figure()], tmp_path)
    assert (tmp_path / "figure-01.png").read_bytes() == b"mine"


def test_out_that_is_a_file_and_index_that_is_a_folder(tiny, tmp_path):
    target = tmp_path / "rep"
    target.write_text("a file")
    with pytest.raises(ReportTargetError, match="rep: is a file, not a folder"):
        build_report(SEED, out=target, notebooks=tiny, stream=io.StringIO())
    (tmp_path / "site" / "index.html").mkdir(parents=True)
    with pytest.raises(ReportTargetError, match=r"index.html: is a folder"):
        build_report(SEED, out=tmp_path / "site", notebooks=tiny, stream=io.StringIO())
    assert leftovers(tmp_path) == []


def test_no_notebooks_names_the_option(tmp_path):
    with pytest.raises(PaperscopeError, match="no notebooks .*--notebooks"):
        build_report(SEED, out=tmp_path / "rep", notebooks=tmp_path, stream=io.StringIO())


def test_a_corpus_error_in_the_landing_process_arrives_whole(tiny, tmp_path):
    bad = tmp_path / "day.json"
    bad.write_text('[{"paper": {"id": "2401.00001", "title": "A"}},\n  oops]\n')
    with pytest.raises(SourceFormatError) as caught:  # raised in the child that loads the corpus
        build_report(bad, out=tmp_path / "rep", notebooks=tiny, stream=io.StringIO())
    assert caught.value.path == str(bad) and caught.value.line == 2
    assert leftovers(tmp_path) == [] and not (tmp_path / "rep").exists()


def test_a_script_without_a_main_guard_runs_once(tiny, tmp_path):
    script = tmp_path / "make_report.py"
    script.write_text("from pathlib import Path\nfrom paperscope.report import build_report\n"
                      f"with open({str(tmp_path / 'runs.log')!r}, 'a') as log:\n    log.write('run\\n')\n"
                      f"build_report({str(SEED)!r}, out={str(tmp_path / 'rep')!r}, notebooks={str(tiny)!r})\n")
    subprocess.run([sys.executable, str(script)], check=True, capture_output=True, timeout=600)
    assert (tmp_path / "runs.log").read_text() == "run\n"  # the landing's child did not import the script
    assert (tmp_path / "rep" / "index.html").is_file()


def test_a_users_module_in_the_current_folder_does_not_shadow_the_libraries(tiny, tmp_path):
    command = Path(sys.executable).with_name("paperscope")  # the console script: no folder of the user's on its path
    if not command.exists():
        pytest.skip("the paperscope command is not installed beside this interpreter")
    (tmp_path / "html.py").write_text("raise ImportError('a user module named like the standard library')\n")
    done = subprocess.run([str(command), "report", "--corpus", str(SEED), "--out", "rep", "--notebooks", str(tiny)],
                          cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "rep" / "index.html").is_file()


def test_a_failing_page_leaves_nothing_behind(tmp_path):
    broken = notebooks(tmp_path / "nbs", [COUNT], ["raise RuntimeError('the third cell broke')"])
    with pytest.raises(ReportPageError, match=r"02-page.ipynb, cell \d+: RuntimeError: the third cell broke"):
        build_report(SEED, out=tmp_path / "rep", notebooks=broken, stream=io.StringIO())
    assert not (tmp_path / "rep").exists()
    assert leftovers(tmp_path) == []


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def _landing_child(parent: int) -> int | None:
    """The pid of ``parent``'s child that loads the corpus and computes the landing page, if running."""
    for proc in Path("/proc").iterdir():
        try:
            if (proc.name.isdigit() and b"run_pickled" in (proc / "cmdline").read_bytes()
                    and int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent):
                return int(proc.name)
        except OSError:
            continue
    return None


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL])
def test_a_report_killed_while_it_loads_leaves_nothing_running(tiny, tmp_path, signum):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "paperscope", "report", "--corpus", str(SEED),
                             "--out", "rep", "--notebooks", str(tiny)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline, child = time.monotonic() + 120, None
    while child is None and proc.poll() is None and time.monotonic() < deadline:
        child = _landing_child(proc.pid)
        time.sleep(0.02)
    assert child is not None, proc.communicate()
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err, err
    # The shell's convention: 128 + the signal (130 Ctrl-C, 143 SIGTERM); a SIGKILL is the kernel's own.
    assert proc.returncode == (-signum if signum == signal.SIGKILL else 128 + signum), err
    if signum != signal.SIGKILL:  # (a SIGKILL leaves the staging folder: nothing can clean up)
        assert leftovers(tmp_path) == [] and not (tmp_path / "rep").exists()
    for _ in range(50):
        if not _alive(child):
            break
        time.sleep(0.1)
    assert not _alive(child), "the landing's child stopped with the report, even a killed one"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_killed_report_removes_its_staging_folder_and_kernel(tmp_path, signum):
    marker = tmp_path / "kernel.json"
    nbs = notebooks(tmp_path / "nbs", [
        "import json, os, ipykernel\n"
        f"open({str(marker)!r}, 'w').write(json.dumps({{'pid': os.getpid(), "
        "'connection': ipykernel.get_connection_file()}))",
        "import time\ntime.sleep(120)"])
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.Popen([sys.executable, "-m", "paperscope", "report", "--corpus", str(SEED),
                             "--out", "rep", "--notebooks", str(nbs)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), proc.communicate()
    time.sleep(0.5)
    kernel = json.loads(marker.read_text())
    assert leftovers(tmp_path), "the report is being built in a staging folder"
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=180)  # seconds here; minutes allowed for a loaded CI machine
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err, err
    assert leftovers(tmp_path) == [] and not (tmp_path / "rep").exists()
    assert not Path(kernel["connection"]).exists() and not Path(kernel["connection"]).parent.exists()
    for _ in range(50):
        if not _alive(kernel["pid"]):
            break
        time.sleep(0.1)
    assert not _alive(kernel["pid"]), "the kernel was shut down"


def test_a_page_does_not_depend_on_how_the_kernel_chunked_printed_output():
    """Under load a kernel may send print()'s text and its newline as two stream outputs; the
    seed report's pages then differed (CI, test_pages_are_deterministic)."""
    from paperscope.report.html import export_html

    def notebook(*chunks: str) -> nbformat.NotebookNode:
        cell = nbformat.v4.new_code_cell("print('The listing names no authors.')", id="code")
        cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=c) for c in chunks]
        return nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Page", id="head"), cell])

    whole, _ = export_html(notebook("The listing names no authors.\n"), title="Page")
    split, _ = export_html(notebook("The listing names no authors.", "\n"), title="Page")
    assert "The listing names no authors." in whole and split == whole
