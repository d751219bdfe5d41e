"""`dsguide check`: validate the content as build would, without rendering or writing anything.

Runs the pipeline up to the content graph (the same code `build` runs), then adds the rules for how
content reads: orphan notes, dead ends, tags used once, notes in no reading path, note bodies outside
150-600 words, heading-level jumps, raw HTML, insecure, scheme-less and root-relative links.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..body_rules import check_bodies, length_warnings
from ..cli import exit_code
from ..diagnostics import Report, summary_markdown
from ..graph import health_warnings
from ..pipeline import load_site
from .build import add_common, print_report


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "check", help="validate content without building", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common(parser)
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE",
                        help="report only problems in these content files (pre-commit passes the staged ones); "
                        "the whole site is still read, so links to other notes are checked")
    parser.add_argument("--summary", type=Path, metavar="FILE",
                        help="also append a Markdown summary (counts, the first problems) to FILE, e.g. "
                        "$GITHUB_STEP_SUMMARY")
    return parser


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site, report = load_site(args.config, include_drafts=args.drafts)
    if site is not None:
        report.extend(health_warnings(site) + check_bodies(site.content, site.markdown) + length_warnings(site))
    if args.files and (shown := only_content_files(args.files, args.config.parent.resolve())) is not None:
        report = Report([d for d in report.diagnostics if d.path in shown], len(shown))
    print_report(report, args)
    if args.summary is not None:
        with args.summary.open("a", encoding="utf-8") as summary:
            summary.write(summary_markdown(report))
    if args.format == "text" and not args.quiet:
        print(f"{report.summary()} ({time.perf_counter() - started:.2f} s)")
    return exit_code(report, strict=args.strict, config_loaded=site is not None)


def only_content_files(files: list[Path], root: Path) -> set[str] | None:
    """The given files as diagnostics name them (content/notes/x.md), or None when one of them is not
    content (site.yaml, a template): a change there can break any page, so everything is reported."""
    shown: set[str] = set()
    for file in files:
        path = file.resolve()
        if not path.is_relative_to(root / "content"):
            return None
        shown.add(path.relative_to(root).as_posix())
    return shown
