"""Fetching, against a local server replaying recorded real responses (no internet).

The one test that talks to the real services is marked ``network`` and deselected in CI.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from pathlib import Path

import pytest

import paperscope as ps
from paperscope.errors import PaperscopeError
from paperscope.fetch import fetch_arxiv, fetch_hf

from .conftest import HF_DAYS, SOURCES

HF = HF_DAYS  # real api/daily_papers responses, one per day
ORIJTECH = SOURCES / "arxiv-api-orijtech"  # three real arXiv API pages for "deep dream"


class Recorded(http.server.BaseHTTPRequestHandler):
    """Serves HF day files by ?date= and arXiv pages by ?start=; fails on demand."""

    fail_first: dict[str, int] = {}
    requests: list[str] = []

    def do_GET(self):  # noqa: N802
        url = urllib.parse.urlparse(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        Recorded.requests.append(self.path)
        key = query.get("date") or query.get("start", "")
        if Recorded.fail_first.get(key, 0) > 0:
            Recorded.fail_first[key] -= 1
            self.send_response(503)
            self.end_headers()
            return
        if url.path.endswith("daily_papers"):
            path = HF / f"{query['date']}.json"
            body = path.read_bytes() if path.exists() else b"[]"
        else:
            page = int(query["start"]) // 10
            path = ORIJTECH / f"deep_dream-{page}.atom"
            body = path.read_bytes() if path.exists() else b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>'
        self.send_response(200)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Recorded.requests = []
    Recorded.fail_first = {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorded)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_hf_days_are_saved_resumed_and_loadable(server, tmp_path):
    sleeps: list[float] = []
    Recorded.fail_first = {"2025-06-02": 2}  # two 503s, then the file
    log = fetch_hf("2025-06-01", "2025-06-03", tmp_path, base_url=f"{server}/api/daily_papers",
                   delay=1.0, sleep=sleeps.append)
    assert [p.name for p in log.written] == ["2025-06-01.json", "2025-06-02.json", "2025-06-03.json"]
    assert log.calls == 5
    assert (tmp_path / "2025-06-02.json").read_bytes() == (HF / "2025-06-02.json").read_bytes()
    backoffs = [s for s in sleeps if s >= 2.0]
    assert backoffs == [2.0, 4.0]  # exponential backoff after each 503
    assert all(0 < s <= 1.0 for s in sleeps if s < 2.0)  # the polite pause between calls
    again = fetch_hf("2025-06-01", "2025-06-04", tmp_path, base_url=f"{server}/api/daily_papers",
                     sleep=lambda s: None)
    assert len(again.existing) == 3 and [p.name for p in again.written] == ["2025-06-04.json"]
    assert len(ps.load(tmp_path)) == len(ps.load(HF / "2025-06-02.json"))  # the other days are empty


def test_persistent_errors_are_reported(server, tmp_path):
    Recorded.fail_first = {"2025-06-01": 99}
    with pytest.raises(PaperscopeError, match="HTTP 503"):
        fetch_hf("2025-06-01", "2025-06-01", tmp_path, base_url=f"{server}/api/daily_papers",
                 retries=2, sleep=lambda s: None)
    assert not list(tmp_path.iterdir())  # no half-written file


def test_arxiv_pages_until_max_results(server, tmp_path):
    log = fetch_arxiv("deep dream", tmp_path, max_results=25, page_size=10, base_url=f"{server}/api/query",
                      sleep=lambda s: None)
    assert [p.name for p in log.written] == ["deep_dream_s0_m10.xml", "deep_dream_s10_m10.xml",
                                             "deep_dream_s20_m5.xml"]
    starts = [dict(urllib.parse.parse_qsl(urllib.parse.urlparse(r).query))["start"] for r in Recorded.requests]
    assert starts == ["0", "10", "20"]
    papers = ps.load(tmp_path)
    assert len(papers) == len(ps.load(ORIJTECH))
    again = fetch_arxiv("deep dream", tmp_path, max_results=25, page_size=10, base_url=f"{server}/api/query",
                        sleep=lambda s: None)
    assert again.calls == 0 and len(again.existing) == 3


@pytest.mark.network
def test_real_hf_day(tmp_path, monkeypatch, no_outbound_network):
    import socket

    monkeypatch.setattr(socket.socket, "connect", no_outbound_network)  # this one test may go out
    log = fetch_hf("2025-06-02", "2025-06-02", tmp_path)
    assert json.loads(Path(log.written[0]).read_text())

