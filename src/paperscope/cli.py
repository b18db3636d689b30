"""The ``paperscope`` command line: ``paperscope report …`` and friends."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .errors import PaperscopeError


def _report(args: argparse.Namespace) -> int:
    from .report import build_report

    pages = build_report(
        args.corpus, out=args.out, notebooks=args.notebooks, title=args.title, show_code=args.show_code,
        images=args.images, taxonomy_files=args.taxonomy, only_taxonomy=args.only, period=args.period,
        random_state=args.random_state, backend=args.backend, gold=args.gold, since=args.since,
        year=args.year, progress=False if args.quiet else None)
    width = max(len(str(p.path)) for p in pages)
    for page in pages:
        print(f"{str(page.path):<{width}}  {page.figures:>2} charts  {page.bytes / 1e6:4.1f} MB  "
              f"{page.seconds:6.1f} s")
    print(f"open {Path(args.out) / 'index.html'}")
    return 0


def _load(args: argparse.Namespace) -> int:
    import warnings

    import pandas as pd

    from .loader import audit_summary, check_output, check_parquet_name, load, save

    if args.out:  # before the load, not after it
        check_parquet_name(args.out)
        check_output(args.out, overwrite=args.overwrite, hint="pass --overwrite")
    options = {"year": args.year, "categories": args.categories or None, "since": args.since,
               "until": args.until, "limit": args.limit, "format": args.format}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the audit below lists every skipped record
        papers, audit = load(*args.sources, audit=True, **options)
    summary = audit_summary(audit)
    summary.loc["total"] = summary.sum()
    with pd.option_context("display.width", 160, "display.max_colwidth", 80, "display.max_rows", 500):
        print(summary.to_string())
        problems = audit[audit["status"].isin(["skipped", "filtered"]) | audit["reason"].notna()
                         & (audit["status"] == "loaded")]
        if len(problems):
            print()
            print(problems[["source", "line", "record", "status", "reason"]].to_string(index=False))
    if args.out:
        save(papers, args.out, overwrite=args.overwrite)
        print(f"\n{len(papers):,} papers written to {args.out}")
    else:
        print(f"\n{len(papers):,} papers (pass --out FILE.parquet to save them)")
    return 0


def _fetch(args: argparse.Namespace) -> int:
    from .fetch import fetch_arxiv, fetch_hf

    if args.source == "hf":
        log = fetch_hf(args.start, args.end, args.out)
    else:
        log = fetch_arxiv(args.query, args.out, max_results=args.max)
    print(f"{len(log.written)} file(s) written, {len(log.existing)} already there, "
          f"{log.calls} call(s); load them with: paperscope load {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    import pandas as pd

    from .loader import load
    from .themes import load_taxonomy, tag_themes

    papers = load(*args.corpus)
    taxonomy = load_taxonomy(*args.taxonomy, include_default=not args.only)
    scores = tag_themes(papers, taxonomy).evaluate(args.gold)
    with pd.option_context("display.width", 120, "display.max_rows", 200,
                           "display.float_format", "{:.2f}".format):
        print(scores.to_string(index=False, na_rep="-"))
    return 0


def _tag(args: argparse.Namespace) -> int:
    from .loader import check_output, load, write_file
    from .themes import load_taxonomy, tag_themes

    target = check_output(args.out, overwrite=args.overwrite, hint="pass --overwrite") if args.out else None
    papers = load(*args.corpus)
    tags = tag_themes(papers, load_taxonomy(*args.taxonomy, include_default=not args.only))
    tags = tags.frame.merge(papers[["paper_id", "title"]], on="paper_id")
    if target is None:
        tags.to_csv(sys.stdout, index=False)
        return 0
    write_file(target, lambda out: tags.to_csv(out, index=False))
    print(f"{len(tags):,} rows written to {args.out}", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(prog="paperscope", description=__doc__)
    parser.add_argument("--version", action="version", version=f"paperscope {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    from .report.params import BACKENDS, PERIODS

    rep = sub.add_parser(
        "report", help="run the report notebooks on a corpus and export HTML pages",
        description="Run every report notebook on one corpus and write DIR/<notebook>.html plus "
                    "DIR/index.html. Works from any folder: the notebooks ship with paperscope.")
    rep.add_argument("--corpus", required=True, help="file, folder or glob of paper listings")
    rep.add_argument("--out", default="reports", help="output folder (default: reports); a file in it "
                     "that paperscope did not write is never overwritten")
    rep.add_argument("--taxonomy", action="append", default=[], metavar="FILE",
                     help="your own theme file (TOML), added to the default themes (repeatable)")
    rep.add_argument("--only", action="store_true", help="use only the --taxonomy files, no default themes")
    rep.add_argument("--period", choices=PERIODS, default="Q",
                     help="time bins: M months, Q quarters (default), Y years")
    rep.add_argument("--random-state", type=int, default=42, help="seed of the topic model (default 42)")
    rep.add_argument("--backend", choices=BACKENDS, default="minilm",
                     help="topic embeddings: minilm (default, offline model), static (~100x faster, coarser; "
                          "a one-off ~3 min build per machine) or tfidf (quick, no model)")
    rep.add_argument("--gold", metavar="CSV", help="hand labels (title + 1/0/? per theme) to score the "
                     "theme tags against (optional)")
    rep.add_argument("--since", metavar="YYYY-MM-DD", help="what is new since this day: the index page "
                     "leads with it (the corpus is not filtered; optional)")
    rep.add_argument("--year", type=int, help="year of copied pages whose date label has none")
    rep.add_argument("--title", default=None, help="title of the index page")
    rep.add_argument("--show-code", action="store_true", help="include the code cells")
    rep.add_argument("--images", action="store_true", help="also save charts as PNG and SVG under DIR/images/")
    rep.add_argument("--notebooks", default=None, metavar="DIR",
                     help="run your own folder of notebooks instead of paperscope's report notebooks")
    rep.add_argument("--quiet", action="store_true", help="no live progress (page lines only)")
    rep.set_defaults(func=_report)

    ld = sub.add_parser("load", help="read sources into one corpus, print the audit, save as Parquet")
    ld.add_argument("sources", nargs="+", help="files, folders or globs (formats are recognized from content)")
    ld.add_argument("--out", help="Parquet file to write")
    ld.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    ld.add_argument("--year", type=int, help="year of copied pages whose date has none")
    ld.add_argument("--format", help="force one reader for every file")
    ld.add_argument("--categories", action="append",
                    help="keep papers with an arXiv category starting with this prefix (repeatable; a,b is two)")
    ld.add_argument("--since", help="keep papers first published on or after this date (else listed on it)")
    ld.add_argument("--until", help="keep papers first published on or before this date")
    ld.add_argument("--limit", type=int, help="rows to keep per file")
    ld.set_defaults(func=_load)

    fe = sub.add_parser("fetch", help="download raw responses (network) into a folder that load reads")
    fsub = fe.add_subparsers(dest="source", required=True)
    hf = fsub.add_parser("hf", help="Hugging Face api/daily_papers, one file per day")
    hf.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
    hf.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
    hf.add_argument("--out", required=True, help="folder for the day files (resumes if present)")
    ax = fsub.add_parser("arxiv", help="arXiv API search results, one Atom file per page")
    ax.add_argument("--query", required=True, help="arXiv search_query, e.g. 'cat:cs.LG AND ti:diffusion'")
    ax.add_argument("--max", type=int, default=100, help="results to fetch (default 100)")
    ax.add_argument("--out", required=True, help="folder for the pages (resumes if present)")
    fe.set_defaults(func=_fetch)

    def taxonomy_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("corpus", nargs="+", help="files, folders or globs")
        p.add_argument("--taxonomy", action="append", default=[],
                       help="a TOML taxonomy file, added to the defaults (repeatable)")
        p.add_argument("--only", action="store_true", help="use only --taxonomy files, no defaults")

    ev = sub.add_parser("evaluate-themes", help="score theme tags against hand labels (gold CSV)")
    taxonomy_args(ev)
    ev.add_argument("--gold", required=True,
                    help="CSV: title + one column per theme with 1, 0 or ? (ambiguous, ignored)")
    ev.set_defaults(func=_evaluate)

    tag = sub.add_parser("tag-themes", help="write one row per (paper, theme) with its evidence, as CSV")
    taxonomy_args(tag)
    tag.add_argument("--out", help="CSV file to write (default: standard output)")
    tag.add_argument("--overwrite", action="store_true", help="replace --out if it exists")
    tag.set_defaults(func=_tag)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``paperscope`` command; returns the exit status.

    0 on success, 2 on a user error (one ``paperscope: error: …`` line), 128 + the
    signal's number when stopped by one (130 on Ctrl-C, 143 on SIGTERM), 141 when the
    reader of standard output went away (``| head``).
    """
    args = build_parser().parse_args(argv)
    try:
        code = args.func(args)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return 141
    except KeyboardInterrupt as exc:
        # The page's notebook client may still hold a task that saw its kernel go; asyncio would
        # print that task's traceback when it is collected. The stop was asked for: one line only.
        import logging

        logging.getLogger("asyncio").setLevel(logging.CRITICAL)
        print("paperscope: interrupted", file=sys.stderr)
        return 128 + getattr(exc, "signum", 2)  # the shell's convention: 130 for Ctrl-C, 143 for SIGTERM
    except (PaperscopeError, FileNotFoundError, ValueError) as exc:
        print(f"paperscope: error: {exc}", file=sys.stderr)
        return 2


def _silence_stdout() -> None:
    """After a broken pipe, point stdout at /dev/null so Python's exit flush stays quiet."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests)
        pass


if __name__ == "__main__":
    sys.exit(main())
