"""The ``paperscope`` command line: ``paperscope report …`` and friends."""

from __future__ import annotations

import argparse
import sys
import time

from .errors import PaperscopeError


def _report(args: argparse.Namespace) -> int:
    from .report import build_report

    start = time.perf_counter()
    pages = build_report(args.corpus, out=args.out, notebooks=args.notebooks, title=args.title,
                         show_code=args.show_code, images=args.images)
    for page in pages:
        print(f"wrote {page.path}  ({page.figures} charts, {page.bytes / 1e6:.1f} MB)")
    print(f"wrote {args.out}/index.html  in {time.perf_counter() - start:.0f} s")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paperscope", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="run the notebooks on a corpus and export HTML pages")
    rep.add_argument("--corpus", help="file, folder or glob (default: the notebooks' own, the seed)")
    rep.add_argument("--out", default="reports", help="output folder (default: reports)")
    rep.add_argument("--notebooks", default="notebooks", help="notebook folder (default: notebooks)")
    rep.add_argument("--title", default=None, help="title of the index page")
    rep.add_argument("--show-code", action="store_true", help="include the code cells")
    rep.add_argument("--images", action="store_true", help="also save charts as PNG and SVG")
    rep.set_defaults(func=_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except (PaperscopeError, FileNotFoundError) as exc:
        print(f"paperscope: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
