"""``build_report``: run every report notebook on one corpus, then move the finished report into place.

The committed notebooks are never modified: papermill runs a copy with every
:class:`~paperscope.report.params.ReportParams` value injected into its
``parameters`` cell. The corpus is loaded once and saved as Parquet in the
staging folder; every page reads that file. Everything is built in a hidden
staging folder beside ``--out`` and moved into place only when every page
succeeded; an error or a kill (SIGINT, SIGTERM) removes the staging folder
and the kernel's files.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

import nbformat

from .. import memo as _memo
from .. import progress as _progress
from ..errors import PaperscopeError
from . import files
from .html import export_html, page_title
from .images import notebook_figures, write_images
from .index import Page, index_page
from .params import ReportParams

#: What the kernels see: offline, quiet (progress bars on stderr would land in the page).
KERNEL_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TOKENIZERS_PARALLELISM": "false",
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


class ReportPageError(PaperscopeError):
    """A report page failed: names the notebook, the cell and the error."""


def default_notebooks() -> Path:
    """The report notebooks shipped inside the package (the repo's ``notebooks/``)."""
    return Path(str(importlib.resources.files("paperscope") / "notebooks"))


@contextlib.contextmanager
def _kernel_env(extra: dict[str, str]) -> Iterator[None]:
    """Set :data:`KERNEL_ENV` (and ``extra``) for the kernels papermill starts, then restore."""
    wanted = {**KERNEL_ENV, **extra}
    saved = {k: os.environ.get(k) for k in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT, turned into an exception so the staging folder and the kernel are cleaned up."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.signum = signum


@contextlib.contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """While building, SIGTERM and Ctrl-C unwind (``finally`` blocks run); restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise _Interrupted(signum)

    # SIGINT too: asyncio's runner (under papermill) replaces Python's default Ctrl-C handler with
    # one that cancels its task, and a cancelled cell wait could be swallowed — the page then ran on.
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class _Status:
    """The report's voice on the terminal: one line per page, live progress while a page runs.

    Kernels write their bars (embedding, …) to a progress file; a thread shows
    the latest of it after the page's name, so one writer owns the terminal.
    """

    def __init__(self, stream: TextIO, live: bool, progress_file: Path | None) -> None:
        self.stream, self.live, self.progress_file = stream, live, progress_file
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._prefix = ""
        self._start = 0.0
        self._offset = 0
        self._latest = ""
        self._shown = ""
        self._last_print = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def page_started(self, prefix: str) -> None:
        with self._lock:
            self._prefix, self._start, self._latest, self._shown = prefix, time.perf_counter(), "", ""
            if self.progress_file is not None and self.progress_file.exists():
                self._offset = self.progress_file.stat().st_size
        if self.tty:
            self._write(f"\r{prefix} …")
        if self.live and self._thread is None:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def page_done(self, line: str) -> None:
        with self._lock:
            self._prefix = ""
            self._read_progress()
            self._write(("\r\x1b[K" if self.tty else "") + line + "\n")

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self.tty and self._prefix:
            self._write("\r\x1b[K")

    def say(self, line: str) -> None:
        with self._lock:
            self._write(("\r\x1b[K" if self.tty else "") + line + "\n")

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (BrokenPipeError, ValueError):  # the terminal went away; the report goes on
            pass

    def _read_progress(self) -> None:
        if self.progress_file is None or not self.progress_file.exists():
            return
        with self.progress_file.open("rb") as fh:
            fh.seek(self._offset)
            chunk = fh.read()
        self._offset += len(chunk)
        parts = [p.strip() for p in chunk.decode("utf-8", errors="replace").replace("\n", "\r").split("\r")]
        parts = [p for p in parts if p]
        if parts:
            self._latest = parts[-1]

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            with self._lock:
                if not self._prefix:
                    continue
                self._read_progress()
                elapsed = time.perf_counter() - self._start
                if self.tty:
                    width = shutil.get_terminal_size((100, 20)).columns - 1
                    text = f"{self._prefix} · {elapsed:.0f} s" + (f" · {self._latest}" if self._latest else "")
                    self._write("\r" + text[:width] + "\x1b[K")
                elif self._latest and self._latest != self._shown and time.monotonic() - self._last_print > 2:
                    self._write(f"{self._prefix} · {self._latest}\n")
                    self._shown, self._last_print = self._latest, time.monotonic()


def _staging_parent(out: Path) -> Path:
    """The nearest existing folder at or above ``out``'s parent (the staging folder goes there)."""
    for part in out.absolute().parents:
        if part.is_dir():
            return part
    raise PaperscopeError(f"{out}: no existing folder above it")  # pragma: no cover


def _kernel_manager_class(kernel_dir: Path, n: int):
    """A kernel manager class whose kernel's sockets and connection file live in ``kernel_dir``.

    IPC transport keeps the kernel off TCP (no "running over TCP without
    encryption" warning) and puts every kernel file where the report cleans up.
    nbclient creates the manager from this class, so it owns it and stops the
    kernel and its channels however the page ends.
    """
    from jupyter_client.manager import AsyncKernelManager

    # Async, as nbclient's default: a blocking client would wait for a reply forever
    # when a kill interrupts a cell, and the cleanup would hang behind it.
    class PageKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            kwargs.update(transport="ipc", ip=str(kernel_dir / f"k{n}"),
                          connection_file=str(kernel_dir / f"k{n}.json"))
            super().__init__(**kwargs)

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel's own log (startup notices, shutdown races) is not the reader's
            # business: it goes to a file the report quotes only if the kernel dies.
            kw["stderr"] = (kernel_dir / f"k{n}.log").open("ab")
            try:
                return await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                kw["stderr"].close()  # the kernel holds its own copy

    return PageKernelManager


def _run_page(nb_path: Path, executed: Path, parameters: dict, kernel_dir: Path, n: int
              ) -> nbformat.NotebookNode:
    import papermill
    from nbclient.exceptions import DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    try:
        papermill.execute_notebook(
            str(nb_path), str(executed), parameters=parameters, cwd=str(nb_path.parent),
            kernel_name="python3", progress_bar=False, log_output=False,
            request_save_on_cell_execute=False, kernel_manager_class=_kernel_manager_class(kernel_dir, n),
        )
    except PapermillExecutionError as exc:
        raise ReportPageError(
            f"{nb_path.name}, cell {exc.exec_count or exc.cell_index + 1}: {exc.ename}: {exc.evalue}"
        ) from None
    except DeadKernelError:
        log = kernel_dir / f"k{n}.log"
        tail = log.read_text(errors="replace").strip().splitlines()[-3:] if log.exists() else []
        raise ReportPageError(f"{nb_path.name}: the notebook's kernel died (out of memory?)"
                              + (": " + " | ".join(tail) if tail else "")) from None
    nb = nbformat.read(executed, as_version=4)
    for cell in nb.cells:  # papermill gives its cell a random id; the same input must give the same page
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
    return nb


def build_report(
    corpus: str | os.PathLike[str] | ReportParams | None,
    *,
    out: str | os.PathLike[str] = "reports",
    notebooks: str | os.PathLike[str] | None = None,
    title: str | None = None,
    show_code: bool = False,
    images: bool = False,
    taxonomy_files: Sequence[str | os.PathLike[str]] = (),
    only_taxonomy: bool = False,
    period: str = "Q",
    random_state: int = 42,
    backend: str = "minilm",
    gold: str | os.PathLike[str] | None = None,
    since: str | None = None,
    year: int | None = None,
    progress: bool | None = None,
    stream: TextIO | None = None,
) -> list[Page]:
    """Run every notebook on ``corpus`` and write one HTML page each, plus ``index.html``.

    Parameters
    ----------
    corpus
        Files, folder or glob of paper listings, or a complete :class:`ReportParams`
        (then the parameter arguments below are ignored).
    out
        Folder for the report (created when missing). A file there that
        paperscope did not write is never overwritten: the build stops with an
        error before running anything.
    notebooks
        Folder of the notebooks (``*.ipynb``, in name order); default: the
        report notebooks shipped with paperscope.
    title
        Title of the index page.
    show_code
        Include the code cells (hidden by default: a report is for readers).
    images
        Also save every chart as PNG and SVG under ``out/images/<notebook>/``
        (kaleido, with the system Chromium).
    taxonomy_files, only_taxonomy, period, random_state, backend, gold, since, year
        The report parameters, injected into every notebook (see :class:`ReportParams`).
    progress
        Show live progress of long steps inside a page (embedding, …); default:
        when ``stream`` is a terminal.
    stream
        Where the progress lines go (default: standard error).

    Returns
    -------
    list of Page
        The pages written, in order (the index page not included).

    Raises
    ------
    PaperscopeError
        Bad parameters, a missing corpus or input file, a target that is not
        paperscope's to overwrite, or a page that failed (naming the notebook
        and cell). Nothing is left behind.

    Examples
    --------
    >>> build_report("papers/", out="report", taxonomy_files=["my_themes.toml"])  # doctest: +SKIP
    """
    if corpus is None:
        raise PaperscopeError("no corpus: pass a file, folder or glob of paper listings "
                              "(paperscope report --corpus PATH)")
    params = corpus if isinstance(corpus, ReportParams) else ReportParams(
        corpus=os.fspath(corpus), taxonomy_files=tuple(taxonomy_files), only_taxonomy=only_taxonomy, period=period,
        random_state=random_state, backend=backend, gold=gold, since=since, year=year)
    params.check_files()
    from .. import sources

    try:
        if not sources.expand([params.corpus]):
            raise PaperscopeError(f"{params.corpus}: the corpus holds no files")
    except FileNotFoundError as exc:
        raise PaperscopeError(str(exc)) from None

    notebooks_dir = Path(notebooks) if notebooks is not None else default_notebooks()
    nb_paths = sorted(notebooks_dir.resolve().glob("*.ipynb"))
    if not nb_paths:
        raise PaperscopeError(
            f"{notebooks_dir}: no notebooks (*.ipynb) to run; --notebooks names a folder of "
            f"notebooks (default: the report notebooks shipped with paperscope, {default_notebooks()})")
    out_dir = Path(out)
    rels = [f"{p.stem}.html" for p in nb_paths] + ["index.html"]
    image_dirs = tuple(f"images/{p.stem}" for p in nb_paths) if images else ()
    files.check_targets(out_dir, rels, prefixes=image_dirs)
    if images:
        from .images import _use_system_chromium

        _use_system_chromium()  # fail before the run, not after it

    stream = stream if stream is not None else sys.stderr
    live = progress if progress is not None else bool(getattr(stream, "isatty", lambda: False)())
    started = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.paperscope-", dir=_staging_parent(out_dir)))
    kernel_dir = Path(tempfile.mkdtemp(prefix="paperscope-kernel-"))  # short: IPC socket paths are limited
    status = _Status(stream, live, staging / "progress.log" if live else None)
    try:
        with _terminate_cleanly():
            pages = _build(params, nb_paths, staging, kernel_dir, status, title=title,
                           show_code=show_code, images=images)
            files.install(staging / "report", out_dir)
    finally:
        status.close()
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(kernel_dir, ignore_errors=True)
    pages = [Page(p.notebook, out_dir / p.path.name, p.title, p.figures, p.bytes, p.seconds) for p in pages]
    total = sum(p.bytes for p in pages)
    status.say(f"report: {len(pages)} pages + index.html in {out_dir} "
               f"({total / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s)")
    return pages


_LANDING_CHILD = ("import sys; from paperscope.report.landing import run_pickled; "
                  "run_pickled(sys.argv[1], sys.argv[2], int(sys.argv[3]))")


def _land_in_child(params: ReportParams, staging: Path, topics_page: str | None
                   ) -> tuple[dict[str, str], Path, list]:
    """:func:`~paperscope.report.landing.load_and_land` in a child interpreter.

    At 100,000 papers loading, tagging and indexing leave a process about 0.8 GB larger even
    after the objects are freed (the libraries they load, the allocator's fragments), and that
    would sit beside every page's kernel; a child hands all of it back when it exits. A plain
    ``python -c`` rather than multiprocessing's spawn, which would import the caller's own
    script again in the child (a script without ``if __name__ == "__main__"`` would run twice);
    ``-P``: the current folder is not on its path (a user's ``html.py`` there would shadow the
    standard library's). The child stops when this process dies, even by SIGKILL.
    Arguments and the result (or the error, as raised: paperscope's errors pickle whole) travel
    as pickle files in the staging folder; the child's progress bars reach this terminal.
    """
    import pickle
    import subprocess

    import paperscope

    task, result = staging / "landing-task.pickle", staging / "landing-result.pickle"
    task.write_bytes(pickle.dumps((params, staging, topics_page)))
    env = dict(os.environ)  # the same paperscope as this process's, wherever it was imported from
    env["PYTHONPATH"] = os.pathsep.join([str(Path(paperscope.__file__).parents[1]),
                                         *filter(None, [env.get("PYTHONPATH")])])
    child = subprocess.Popen([sys.executable, "-P", "-c", _LANDING_CHILD, str(task), str(result), str(os.getpid())],
                             env=env)
    try:
        code = child.wait()
    finally:  # interrupted (Ctrl-C, SIGTERM): the child goes too
        if child.poll() is None:
            child.kill()
            child.wait()
    if not result.is_file():
        why = f"was killed by signal {-code} (out of memory?)" if code < 0 else f"exited with code {code}"
        raise PaperscopeError(f"the process that loads the corpus and computes the landing page {why}")
    ok, value = pickle.loads(result.read_bytes())
    task.unlink()
    result.unlink()
    if not ok:
        raise value
    return value


def _build(params: ReportParams, nb_paths: list[Path], staging: Path, kernel_dir: Path, status: _Status,
           *, title: str | None, show_code: bool, images: bool) -> list[Page]:
    report = staging / "report"
    report.mkdir()
    # Results the pages share (theme tags, guided topics) are computed once per report.
    extra = {_memo.ENV: str(staging / "shared")}
    if status.progress_file is not None:
        extra[_progress.ENV] = str(status.progress_file)
    pages: list[Page] = []
    with _kernel_env(extra):
        topics_page = next((f"{p.stem}.html" for p in nb_paths if "topic" in p.stem), None)
        facts, corpus_file, sections = _land_in_child(params, staging, topics_page)
        page_params = params.resolved(corpus_file).notebook_parameters()
        for n, nb_path in enumerate(nb_paths, start=1):
            prefix = f"[{n}/{len(nb_paths)}] {nb_path.stem}"
            status.page_started(prefix)
            start = time.perf_counter()
            nb = _run_page(nb_path, staging / nb_path.name, page_params, kernel_dir, n)
            name = page_title(nb, nb_path.stem)
            if images:
                figures = notebook_figures(nb)
                write_images(figures, report / "images" / nb_path.stem)
            body, figures_n = export_html(nb, title=name, show_code=show_code)
            target = report / f"{nb_path.stem}.html"
            target.write_text(body, encoding="utf-8")
            seconds = time.perf_counter() - start
            pages.append(Page(nb_path.name, target, name, figures_n, len(body.encode()), seconds))
            status.page_done(f"{prefix} … {seconds:.1f} s  ({figures_n} charts, {len(body.encode()) / 1e6:.1f} MB)")
    index = index_page(pages, facts, params, title or "paperscope report", sections)
    (report / "index.html").write_text(index, encoding="utf-8")
    return pages


__all__ = ["KERNEL_ENV", "ReportPageError", "build_report", "default_notebooks"]
