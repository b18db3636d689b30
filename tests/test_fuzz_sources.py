"""Mutation fuzz test: damaged copies of real files of every format never break ``load``.

Every outcome must be one of: a frame that passes ``schema.validate`` with an audit that adds
up (records read = rows + merged + skipped + filtered; a skipped record is announced with a
SkippedRecordsWarning), or a PaperscopeError. Never another exception, never a hang.

The mutations are deterministic (seeded per file): truncation, byte flips, invalid UTF-8,
duplicated and deleted lines, a huge value spliced in, and — parsed with the format's own
structure — field type swaps, deleted keys and huge values in one record.
"""

from __future__ import annotations

import ast
import csv
import faulthandler
import io
import json
import random
import re
import signal
import warnings
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

import paperscope as ps
from paperscope import schema

from .conftest import ROOT, SEED

DATA = ROOT / "tests" / "data" / "sources"
HF = ROOT / "data" / "hf-daily-papers"
CASE_SECONDS = 20  # generous: a case takes well under a second; a hang fails the case
SWAPS = [42, -1, 3.5, True, None, "many", "", [], ["a", 1], {}, {"x": [1]}, 10**30, 1e308,
         "x" * 200_000, "\udcff", "9999-12-31T00:00:00Z", [["only-one"]], "v1"]

Mutation = tuple[str, bytes]


# --- mutations of the raw bytes, for every format --------------------------------------

def byte_mutations(data: bytes, rng: random.Random) -> Iterator[Mutation]:
    for _ in range(2):
        cut = rng.randrange(1, len(data))
        yield f"truncated at byte {cut}", data[:cut]
    for _ in range(2):
        flipped = bytearray(data)
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(flipped))
            flipped[i] ^= 1 << rng.randrange(8)
        yield "bytes flipped", bytes(flipped)
    i = rng.randrange(len(data))
    yield f"invalid UTF-8 at byte {i}", data[:i] + b"\xff\xc3(" + data[i:]
    lines = data.split(b"\n")
    k = rng.randrange(len(lines))
    yield f"line {k + 1} duplicated", b"\n".join(lines[:k + 1] + lines[k:])
    yield f"line {k + 1} deleted", b"\n".join(lines[:k] + lines[k + 1:])
    i = rng.randrange(len(data))
    yield f"huge value at byte {i}", data[:i] + b"9" * 5000 + b"x" * 300_000 + data[i:]


# --- mutations through the format's structure -------------------------------------------

def _mutate_dict(obj: dict, rng: random.Random) -> str:
    """Swap one value's type, delete one key, or put a huge value in; say which."""
    key = rng.choice(sorted(obj, key=str))
    roll = rng.random()
    if roll < 0.2:
        del obj[key]
        return f"key {key!r} deleted"
    if isinstance(obj[key], dict) and obj[key] and roll < 0.5:
        return f"{key}." + _mutate_dict(obj[key], rng)
    if isinstance(obj[key], list) and obj[key] and isinstance(obj[key][0], dict) and roll < 0.5:
        return f"{key}[0]." + _mutate_dict(obj[key][0], rng)
    value = rng.choice(SWAPS)
    obj[key] = value
    return f"{key!r} = {str(value)[:30]!r}"


def json_mutations(data: bytes, rng: random.Random, n: int = 6) -> Iterator[Mutation]:
    """A JSON document: a list of records, a wrapper with 'data', or one object."""
    for _ in range(n):
        doc = json.loads(data)
        items = doc["data"] if isinstance(doc, dict) and isinstance(doc.get("data"), list) else doc
        if isinstance(items, list) and items:
            k = rng.randrange(len(items))
            item = items[k]
            if isinstance(item, str):  # a Python-repr item (HF days of Dec 2024 / Jan 2025)
                obj = ast.literal_eval(item)
                what = _mutate_dict(obj, rng)
                items[k] = repr(obj)
            else:
                what = _mutate_dict(item, rng)
            what = f"item {k + 1}: {what}"
        else:
            what = _mutate_dict(doc, rng)
        yield what, json.dumps(doc).encode("utf-8", "surrogatepass")


def jsonl_mutations(data: bytes, rng: random.Random, n: int = 6) -> Iterator[Mutation]:
    lines = data.decode().splitlines()
    for _ in range(n):
        k = rng.randrange(len(lines))
        obj = json.loads(lines[k])
        if rng.random() < 0.3 and obj.get("authors_parsed"):
            obj["authors_parsed"][0] = obj["authors_parsed"][0][:1]
            what = "authors_parsed entry with one element"
        else:
            what = _mutate_dict(obj, rng)
        out = lines[:k] + [json.dumps(obj)] + lines[k + 1:]
        yield f"line {k + 1}: {what}", "\n".join(out).encode("utf-8", "surrogatepass")


def text_field_mutations(pattern: str) -> Callable[[bytes, random.Random], Iterator[Mutation]]:
    """Replace the value of one field found by ``pattern`` (group 1) with another kind of value."""
    def mutate(data: bytes, rng: random.Random, n: int = 5) -> Iterator[Mutation]:
        text = data.decode("utf-8")
        fields = list(re.finditer(pattern, text, re.MULTILINE))
        for _ in range(n):
            m = rng.choice(fields)
            value = str(rng.choice(["many", "", "-1", "9" * 40, "x" * 200_000, "{}", "[1, 2]", "v1",
                                    "9999-12-31", "Feb 30"]))
            out = text[:m.start(1)] + value + text[m.end(1):]
            yield f"{m.group(0)[:25]!r} value -> {value[:20]!r}", out.encode("utf-8")
    return mutate


def csv_mutations(data: bytes, rng: random.Random, n: int = 5) -> Iterator[Mutation]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    for _ in range(n):
        changed = [list(r) for r in rows]
        r, c = rng.randrange(1, len(rows)), rng.randrange(len(rows[0]))
        changed[r][c] = str(rng.choice(["many", "", "9" * 40, "x" * 200_000, "1e308", "n/a", "9999-12-31"]))
        out = io.StringIO(newline="")
        csv.writer(out, lineterminator="\n").writerows(changed)
        yield f"row {r} column {rows[0][c]!r} -> {changed[r][c][:20]!r}", out.getvalue().encode("utf-8")


FILES: dict[str, tuple[Path, Callable[..., Iterator[Mutation]] | None]] = {
    "hf_api_json_items": (HF / "2025-06-02.json", json_mutations),
    "hf_api_repr_items": (HF / "2024-12-11.json", json_mutations),
    "hf_api_wrapper": (HF / "2025-01-10.json", json_mutations),
    "arxiv_atom_xml": (DATA / "arxiv-api-1111.2011v2.xml",
                       text_field_mutations(r"<(?:published|updated|title|name|id)>([^<]*)<")),
    "arxiv_atom_recorded": (DATA / "arxiv-api-2104.12255v1.json", json_mutations),
    "arxiv_snapshot_lines": (DATA / "arxiv-snapshot-head20.json", jsonl_mutations),
    "json_table": (DATA / "neurips-1995-head8.json", json_mutations),
    "jsonl_table": (DATA / "arxiv-daily-cs-2026-03-19-head9.jsonl", jsonl_mutations),
    "csv_scopus": (DATA / "scopus-head4.csv", csv_mutations),
    "csv_ieee": (DATA / "ieee-head5.csv", csv_mutations),
    "ris": (DATA / "example-head5.ris", text_field_mutations(r"^[A-Z][A-Z0-9]  - (.*?)\r?$")),
    "bibtex": (DATA / "neurips-1995-head6.bib", text_field_mutations(r"^ *\w+ = \{(.*)\},?$")),
    "hf_page": (SEED, text_field_mutations(r"^(.+)$")),
}


class _Hang(Exception):
    pass


def _alarm(signum, frame):
    raise _Hang(f"a case ran over {CASE_SECONDS} s")


def check_outcome(path: Path) -> str:
    """Load ``path``; return what happened, or raise AssertionError for a wrong outcome."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            papers, audit = ps.load(path, audit=True)
        except ps.PaperscopeError:
            return "error"
    schema.validate(papers)
    summary = ps.audit_summary(audit) if len(audit) else None
    n_skipped = int((audit["status"] == "skipped").sum())
    assert int(audit["count"].sum()) == len(papers) + int((audit["status"] == "merged").sum()) + n_skipped \
        + int(audit.loc[audit["status"] == "filtered", "count"].sum())
    assert summary is None or int(summary["loaded"].sum()) == len(papers)
    if n_skipped:
        assert any(issubclass(w.category, ps.SkippedRecordsWarning) for w in caught)
        assert audit.loc[audit["status"] == "skipped", "reason"].notna().all()
    return "skipped" if n_skipped else "loaded"


def _parquet_variants(tmp_path: Path) -> dict[str, bytes]:
    """Parquet fixtures built from the real files: the snapshot's fields, and paperscope's own."""
    snapshot = pd.read_json(DATA / "arxiv-snapshot-head20.json", lines=True, dtype=False)
    snapshot.to_parquet(tmp_path / "snapshot.parquet")
    own = ps.load(HF / "2025-06-02.json")
    ps.save(own.head(8), tmp_path / "own.parquet")
    return {name: (tmp_path / f"{name}.parquet").read_bytes() for name in ("snapshot", "own")}


def _cases(tmp_path: Path) -> Iterator[tuple[str, str, bytes]]:
    for name, (path, structured) in FILES.items():
        data = path.read_bytes()
        rng = random.Random(zlib.crc32(name.encode()))
        yield from ((name, path.name, what, m) for what, m in byte_mutations(data, rng))
        if structured is not None:
            yield from ((name, path.name, what, m) for what, m in structured(data, rng))
    for name, data in _parquet_variants(tmp_path).items():
        rng = random.Random(zlib.crc32(name.encode()))
        for what, mutated in byte_mutations(data, rng):
            yield f"parquet_{name}", f"{name}.parquet", what, mutated
    # whole columns of the wrong type (a Parquet column has one type)
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(pd.read_json(DATA / "arxiv-snapshot-head20.json", lines=True, dtype=False))
    n = table.num_rows
    for column, values in [("title", list(range(n))), ("categories", [["hep-th"]] * n),
                           ("versions", ["v1"] * n), ("authors_parsed", [[["only-one"]]] * n)]:
        bad = table.set_column(table.schema.get_field_index(column), column, pa.array(values))
        out = tmp_path / "typed.parquet"
        pq.write_table(bad, out)
        yield "parquet_snapshot", "typed.parquet", f"column {column} = {values[0]!r}", out.read_bytes()


def test_mutated_files_give_a_valid_frame_a_reported_skip_or_a_paperscope_error(tmp_path):
    outcomes: dict[str, set[str]] = {}
    failures = []
    previous = signal.signal(signal.SIGALRM, _alarm)
    # a hang inside C code (where no signal is seen) still ends the run, with tracebacks
    faulthandler.dump_traceback_later(CASE_SECONDS * 200, exit=True)
    try:
        for i, (fmt, name, what, data) in enumerate(_cases(tmp_path)):
            case_dir = tmp_path / f"case{i}"
            case_dir.mkdir()
            path = case_dir / name
            path.write_bytes(data)
            signal.alarm(CASE_SECONDS)
            try:
                outcomes.setdefault(fmt, set()).add(check_outcome(path))
            except Exception as exc:  # noqa: BLE001 - anything else is exactly what we look for
                failures.append(f"{fmt} ({what}): {type(exc).__name__}: {str(exc)[:300]}")
            finally:
                signal.alarm(0)
    finally:
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, previous)
    assert not failures, f"{len(failures)} case(s) broke load:\n" + "\n".join(failures[:20])
    assert set(outcomes) == set(FILES) | {"parquet_snapshot", "parquet_own"}
    # the mutations reach the record level: in most formats some damaged record is skipped
    # while the rest of the file still loads
    assert sum("skipped" in o for o in outcomes.values()) >= 8, outcomes


@pytest.mark.parametrize("name", sorted(FILES))
def test_unmutated_fixture_loads_cleanly(name):
    path, _ = FILES[name]
    assert check_outcome(path) == "loaded"
