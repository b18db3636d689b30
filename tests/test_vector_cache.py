"""The embedding cache holds the line: damage, read-only files, locks, folders, misdirected rows.

Each case starts from a copy of a good cache holding real MiniLM vectors of seed papers.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
import warnings

import numpy as np
import pytest

import paperscope as ps
from paperscope import embeddings as emb
from paperscope import vector_cache
from paperscope.errors import CacheWarning

from .conftest import SEED

N_CACHED = 12


@pytest.fixture(scope="module")
def papers():
    return ps.load(SEED).iloc[:20].reset_index(drop=True)


@pytest.fixture(scope="module")
def good(papers, tmp_path_factory):
    """A cache holding the first 12 papers, and the clean vectors of all 20."""
    path = tmp_path_factory.mktemp("good") / "embeddings.sqlite"
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        ps.embed(papers.iloc[:N_CACHED], cache=path)
        clean = ps.embed(papers, cache=False)
    return path, clean


@pytest.fixture
def copy(good, tmp_path):
    path = tmp_path / "cache" / "embeddings.sqlite"
    path.parent.mkdir()
    shutil.copy(good[0], path)
    return path


@pytest.fixture
def counting(monkeypatch):
    """Count the texts MiniLM actually encodes."""
    calls: list[int] = []
    real = emb.MiniLM.encode

    def encode(self, texts, progress, threads=None):
        calls.append(len(texts))
        return real(self, texts, progress, threads)

    monkeypatch.setattr(emb.MiniLM, "encode", encode)
    return calls


def close(a, b) -> bool:
    """Equal up to MiniLM's batch-composition noise (~1e-7); a wrong vector is off by far more."""
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=0, atol=1e-5))


def _index_root_page(path) -> tuple[int, int]:
    db = sqlite3.connect(path)
    page = db.execute("SELECT rootpage FROM sqlite_master WHERE type = 'index'").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    return page, size


def test_a_good_copy_serves_its_vectors(papers, good, copy, counting):
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        vectors = ps.embed(papers, cache=copy)
    assert counting == [len(papers) - N_CACHED]
    assert close(vectors, good[1])


def test_damaged_index_pages_are_set_aside_not_raised(papers, good, copy, counting):
    page, size = _index_root_page(copy)
    with copy.open("r+b") as fh:  # garbage over the index's root page, header included
        fh.seek((page - 1) * size)
        fh.write(b"\xff" * 64)
    with pytest.warns(CacheWarning, match="damaged .*malformed.*moved aside to embeddings.sqlite.corrupt"):
        vectors = ps.embed(papers, cache=copy)
    assert counting == [len(papers)]  # nothing was served from the damaged file
    assert close(vectors, good[1])
    assert (copy.parent / "embeddings.sqlite.corrupt").exists()
    # The next run uses the fresh cache without a word.
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        again = ps.embed(papers, cache=copy)
    assert counting == [len(papers)] and np.array_equal(again, vectors)


def test_a_damaged_key_is_recomputed_never_a_decode_error(papers, good, copy, counting):
    db = sqlite3.connect(copy)
    key = db.execute("SELECT key FROM vectors ORDER BY key LIMIT 1").fetchone()[0]
    db.close()
    raw = copy.read_bytes()
    assert raw.count(key.encode()) == 2  # the table row and the index entry
    copy.write_bytes(raw.replace(key.encode(), b"\xff" + key.encode()[1:]))  # not UTF-8 any more
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        vectors = ps.embed(papers, cache=copy)
    assert counting == [len(papers) - N_CACHED + 1]
    assert close(vectors, good[1])


def test_a_row_under_another_key_is_never_served(papers, good, copy, counting):
    db = sqlite3.connect(copy)
    a, b = [k for (k,) in db.execute("SELECT key FROM vectors ORDER BY key LIMIT 2")]
    with db:  # what a damaged index does: key b now finds a's row (dimension and data checksum intact)
        db.execute("DELETE FROM vectors WHERE key = ?", (b,))
        db.execute("UPDATE vectors SET key = ? WHERE key = ?", (b, a))
    db.close()
    vectors = ps.embed(papers, cache=copy)
    assert counting == [len(papers) - N_CACHED + 2]
    assert close(vectors, good[1])


def test_a_read_only_cache_serves_what_it_has(papers, good, copy, counting, monkeypatch):
    before = copy.read_bytes()
    copy.chmod(0o444)
    copy.parent.chmod(0o555)
    real_connect = sqlite3.connect

    def read_only(path, *args, **kwargs):
        # As root, permissions do not stop writes: open it the way SQLite opens a file it may not write.
        return real_connect(f"file:{path}?mode=ro", *args, uri=True, **kwargs)

    monkeypatch.setattr(vector_cache.sqlite3, "connect", read_only)
    try:
        with pytest.warns(CacheWarning, match="cannot be written .*readonly.*returned but not stored"):
            vectors = ps.embed(papers, cache=copy)
    finally:
        copy.parent.chmod(0o755)
        copy.chmod(0o644)
    assert counting == [len(papers) - N_CACHED]  # the cached ones were served
    assert close(vectors, good[1])
    assert copy.read_bytes() == before
    assert sorted(p.name for p in copy.parent.iterdir()) == ["embeddings.sqlite"]


LOCKER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
sys.stdin.readline()  # held until the test closes stdin (or ends)
"""


def test_a_cache_locked_by_another_process_is_waited_for_never_renamed(papers, good, copy, counting,
                                                                       monkeypatch):
    monkeypatch.setattr(vector_cache, "BUSY_TIMEOUT_S", 0.5)
    locker = subprocess.Popen([sys.executable, "-c", LOCKER, str(copy)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert locker.stdout.readline().strip() == "locked"
        with pytest.warns(CacheWarning, match="locked by another process"):
            vectors = ps.embed(papers, cache=copy)
    finally:
        locker.stdin.close()
        locker.wait(timeout=30)
    assert counting == [len(papers)]
    assert close(vectors, good[1])
    assert sorted(p.name for p in copy.parent.iterdir()) == ["embeddings.sqlite"]
    assert len(vector_cache.EmbeddingCache(copy)) == N_CACHED  # healthy, untouched


def test_a_folder_holds_the_cache_and_is_never_renamed(papers, good, tmp_path, counting):
    folder = tmp_path / "my-project"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheWarning)
        first = ps.embed(papers.iloc[:N_CACHED], cache=folder)
        second = ps.embed(papers, cache=folder)
    assert counting == [N_CACHED, len(papers) - N_CACHED]
    assert close(second, good[1]) and close(first, good[1][:N_CACHED])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["my-project"]
    assert sorted(p.name for p in folder.iterdir()) == ["embeddings.sqlite", "notes.txt"]
    assert (folder / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_entries_written_before_the_key_was_checksummed_are_still_served(papers, good, copy, counting):
    import zlib

    db = sqlite3.connect(copy)
    with db:  # what the previous version wrote: a CRC of the bytes alone
        for key, data in db.execute("SELECT key, data FROM vectors").fetchall():
            db.execute("UPDATE vectors SET crc = ? WHERE key = ?", (zlib.crc32(data), key))
    db.close()
    vectors = ps.embed(papers, cache=copy)
    assert counting == [len(papers) - N_CACHED]
    assert close(vectors, good[1])


def test_someone_elses_file_is_an_error_never_moved_or_written(papers, tmp_path, counting):
    notes = tmp_path / "papers.csv"  # cache= and the corpus swapped
    notes.write_text("Title,Abstract\nA,B\n", encoding="utf-8")
    library = tmp_path / "library.sqlite"
    db = sqlite3.connect(library)
    with db:
        db.execute("CREATE TABLE papers (id INTEGER PRIMARY KEY, title TEXT)")
    db.close()
    before = {p.name: p.read_bytes() for p in (notes, library)}
    for path, what in ((notes, "not a SQLite database"), (library, r"something else \(tables \['papers'\]\)")):
        with pytest.raises(ps.PaperscopeError, match=f"{path.name}: .*{what}.*neither writes into nor moves it"):
            ps.embed(papers, cache=path)
    assert {p.name: p.read_bytes() for p in (notes, library)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.sqlite", "papers.csv"]
    assert counting == []  # nothing was embedded to be thrown away


def test_a_path_written_as_a_folder_is_a_folder(papers, good, tmp_path, counting):
    vectors = ps.embed(papers.iloc[:3], cache=f"{tmp_path}/new/")
    assert (tmp_path / "new" / "embeddings.sqlite").is_file() and close(vectors, good[1][:3])


def test_damage_sqlite_does_not_report_is_found_and_set_aside(papers, good, copy, counting):
    # garbage in the middle of the table's pages: SQLite reads on without an error, serves some rows,
    # misses others, and its index lets duplicates pile up on every run; the check on opening sees it
    size = sqlite3.connect(copy).execute("PRAGMA page_size").fetchone()[0]
    with copy.open("r+b") as fh:
        fh.seek(3 * size + 100)
        fh.write(bytes(range(256)) * 8)
    with pytest.warns(CacheWarning, match="damaged .*malformed.*moved aside"):
        vectors = ps.embed(papers, cache=copy)
    assert close(vectors, good[1]) and counting == [len(papers)]
    db = sqlite3.connect(copy)
    assert db.execute("SELECT count(*), count(DISTINCT key) FROM vectors").fetchone() == (len(papers),) * 2
