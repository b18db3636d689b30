"""Fetching without a network: a clear message at once, not a minute of retries (no shared data needed)."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request

import pytest

from paperscope.errors import PaperscopeError
from paperscope.fetch import fetch_hf


def test_offline_fails_at_once_with_a_clear_message(tmp_path):
    """A refused connection (nothing listens) is not retried for a minute."""
    with socket.socket() as probe:  # a port that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sleeps: list[float] = []
    start = time.monotonic()
    with pytest.raises(PaperscopeError, match=r"cannot reach 127\.0\.0\.1 \(connection refused\); is this machine "
                                              r"offline\? Nothing was retried"):
        fetch_hf("2025-06-01", "2025-06-03", tmp_path, base_url=f"http://127.0.0.1:{port}/api/daily_papers",
                 sleep=sleeps.append)
    assert sleeps == [] and time.monotonic() - start < 5
    assert not list(tmp_path.iterdir())


def test_a_failed_name_lookup_is_not_retried(tmp_path, monkeypatch):
    calls = []

    def no_dns(request, timeout):
        calls.append(request.full_url)
        raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr(urllib.request, "urlopen", no_dns)
    with pytest.raises(PaperscopeError, match="cannot reach huggingface.co \\(name lookup failed: Temporary"):
        fetch_hf("2025-06-01", "2025-06-01", tmp_path, sleep=lambda s: pytest.fail("retried"))
    assert len(calls) == 1
