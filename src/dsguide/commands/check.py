"""`dsguide check`: validate the content as build would, without rendering or writing anything.

Runs the pipeline up to the content graph (the same code `build` runs), then adds content-health
warnings: orphan notes, dead ends, tags used once, notes in no reading path.
"""

from __future__ import annotations

import argparse
import time

from ..cli import exit_code
from ..graph import health_warnings
from ..pipeline import load_site
from .build import add_common, print_report


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("check", help="validate content without building", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common(parser)
    return parser


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site, report = load_site(args.config, include_drafts=args.drafts)
    if site is not None:
        report.extend(health_warnings(site))
    print_report(report, args)
    if args.format == "text" and not args.quiet:
        print(f"{report.summary()} ({time.perf_counter() - started:.2f} s)")
    return exit_code(report, strict=args.strict, config_loaded=site is not None)
