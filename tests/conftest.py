"""Shared fixtures: the seed page, the shared data folder, and page variants built from the seed."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "hf-daily-papers-sep-9.txt"
SHARED = ROOT.parent / "shared"
GOLD = SHARED / "gold" / "seed_themes.csv"


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
