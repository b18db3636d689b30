"""Shared fixtures: the seed page, the shared data folder, and page variants built from the seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "hf-daily-papers-sep-9.txt"
SEED_GOLD = ROOT / "seeds" / "seed_themes.csv"  # the user's hand labels of the seed
HF_DAYS = ROOT / "data" / "hf-daily-papers"  # the 30 real HF day files, 494 papers
SOURCES = ROOT / "tests" / "data" / "sources"  # small real files per input format (tests/data/SOURCE.md)
SHARED = ROOT.parent / "shared"
GOLD = ROOT / "seeds" / "seed_themes.csv"  # the user's hand labels, committed with the seed


def pytest_collection_modifyitems(config, items):
    """Tests that read ../shared are skipped, with a reason, where it is absent."""
    if SHARED.is_dir():
        return
    skip = pytest.mark.skip(reason=f"{SHARED} (the shared data folder) is not beside the repo")
    for item in items:
        if "shared_data" in item.keywords:
            item.add_marker(skip)


def seed_paragraphs() -> list[str]:
    """The seed split on blank lines: 6 header paragraphs, then title, abstract, title, …"""
    return [p for p in SEED.read_text(encoding="utf-8").split("\n\n") if p.strip()]


@pytest.fixture(scope="session")
def seed_papers() -> list[tuple[str, str]]:
    """(title, abstract) of the 62 seed papers, read independently of paperscope."""
    paras = seed_paragraphs()[6:]
    return list(zip(paras[0::2], paras[1::2], strict=True))


@pytest.fixture(scope="session")
def gold_rows() -> list[dict[str, str]]:
    with GOLD.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session", autouse=True)
def no_outbound_network():
    """The whole suite runs with outbound connections blocked: only loopback is allowed.

    (Jupyter kernels and the fetch tests' local server use 127.0.0.1.) A test marked
    ``network`` is the only one allowed out, and CI deselects those.
    """
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in ("127.0.0.1", "::1", "localhost"):
            raise OSError(f"outbound connection to {address} blocked in tests")
        return real_connect(self, address)

    socket.socket.connect = guarded
    yield real_connect
    socket.socket.connect = real_connect


_GUARD_WORKER = r"""
import json, resource, signal, sys
import paperscope  # imported once, before any budget is set
for line in sys.stdin:
    case = json.loads(line)
    used = resource.getrusage(resource.RUSAGE_SELF)
    start = used.ru_utime + used.ru_stime
    # SIGPROF, left at its default action, kills this process once the call has used its
    # CPU budget: a pattern stuck in C code never returns to Python, so no Python-level
    # timeout could stop it.
    signal.setitimer(signal.ITIMER_PROF, case["cpu_s"])
    try:
        exec(case["code"], {})
        out = {"error": None, "message": ""}
    except BaseException as exc:
        out = {"error": type(exc).__name__, "message": str(exc),
               "bases": [c.__name__ for c in type(exc).__mro__]}
    signal.setitimer(signal.ITIMER_PROF, 0)
    used = resource.getrusage(resource.RUSAGE_SELF)
    out["cpu_s"] = used.ru_utime + used.ru_stime - start
    print(json.dumps(out), flush=True)
"""


class GuardedRunner:
    """Runs snippets in a worker process that is killed after ``cpu_s`` seconds of CPU.

    A call that hangs (a parent loop, a backtracking pattern) then fails its
    test instead of hanging the suite. CPU time, unlike wall time, does not
    grow when the machine is busy. The worker imports paperscope once and is
    restarted after a kill.
    """

    def __init__(self) -> None:
        self._proc = None

    def _start(self):
        import os
        import subprocess
        import sys

        env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
        self._proc = subprocess.Popen([sys.executable, "-c", _GUARD_WORKER], stdin=subprocess.PIPE,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)

    def __call__(self, code: str, *, cpu_s: float = 1.0, wall_s: float = 120) -> dict:
        import json
        import queue
        import threading

        if self._proc is None or self._proc.poll() is not None:
            self._start()
        proc = self._proc
        proc.stdin.write(json.dumps({"code": code, "cpu_s": cpu_s}) + "\n")
        proc.stdin.flush()
        answer: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: answer.put(proc.stdout.readline()), daemon=True).start()
        try:
            line = answer.get(timeout=wall_s)
        except queue.Empty:
            line = ""
        if not line:
            proc.kill()
            code = proc.wait()
            self._proc = None
            return {"error": "hung", "bases": [],
                    "message": f"no answer within {cpu_s} s of CPU ({wall_s} s wall); worker exit {code}"}
        return json.loads(line)

    def close(self) -> None:
        if self._proc is not None:
            self._proc.stdin.close()
            self._proc.wait(timeout=30)


@pytest.fixture(scope="session")
def guarded():
    runner = GuardedRunner()
    yield runner
    runner.close()
