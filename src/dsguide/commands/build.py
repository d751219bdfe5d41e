"""`dsguide build`: validate the content and publish the site into the output folder."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from ..cli import ExitCode, exit_code
from ..diagnostics import Report, Severity
from ..pipeline import build_site, load_site

PROGRESS_MIN_PAGES = 200  # a build rendering fewer pages is over before a bar helps


def add_common(parser: argparse.ArgumentParser) -> None:
    """Flags that build, check and serve share."""
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration "
                        "(default: site.yaml); content/ and templates/ are read beside it")
    parser.add_argument("--drafts", action="store_true", help="include notes marked draft: true")
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="how to print problems: text (compiler style), github (annotations), json")
    parser.add_argument("--verbose", "-v", action="store_true",
                        help="say more: every warning, and (build) seconds per stage")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("build", help="build the static site", description=__doc__)
    add_common(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site.yaml 'output', usually public/)")
    parser.add_argument("--base-url", default=None, help="override site.yaml base_url (e.g. for a preview)")
    add_speed_options(parser)
    return parser


def add_speed_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--jobs", "-j", type=positive_int, default=os.cpu_count() or 1,
                        help="worker processes that render pages (default: the number of CPUs; 1 renders "
                        "in this process); the output is the same for any number")
    parser.add_argument("--clean", action="store_true", help="ignore the build cache (.dsguide-cache/) "
                        "and render every page")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number: '{text}'") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value


@contextlib.contextmanager
def progress_bar(args: argparse.Namespace) -> Iterator[Callable[[int], Callable[[int], None]] | None]:
    """A progress bar on a terminal for builds that render many pages (nothing in logs or pipes)."""
    if args.quiet or args.format != "text" or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True) as bar:
        def start(total: int) -> Callable[[int], None]:
            if total < PROGRESS_MIN_PAGES:
                return lambda done: None
            task = bar.add_task("rendering pages", total=total)
            return lambda done: bar.advance(task, done)

        yield start


def output_dir(args: argparse.Namespace, site_root: Path, configured: str) -> Path:
    return args.out if args.out is not None else site_root / configured


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site, report = load_site(args.config, include_drafts=args.drafts, base_url=args.base_url,
                             use_cache=not args.clean)
    if site is not None and not report.has_errors(args.strict):
        with progress_bar(args) as progress:
            result, build_report = build_site(site, output_dir(args, site.config.root, site.config.output),
                                              started, jobs=args.jobs, use_cache=True, clean=args.clean,
                                              progress=progress)
        report.extend(build_report.diagnostics)
    else:
        result = None
    print_report(report, args)
    if report.diagnostics and args.format == "text" and not args.quiet:
        print(report.summary(), file=sys.stderr)
    if result is None or report.has_errors(args.strict):
        if not args.quiet and args.format == "text" and site is not None:
            print("build failed; the previous site was left as it was", file=sys.stderr)
        return exit_code(report, strict=args.strict, config_loaded=site is not None)
    if not args.quiet and args.format == "text":
        print(result.summary())
        if args.verbose:
            print(result.stage_report())
    return ExitCode.OK


def print_report(report: Report, args: argparse.Namespace) -> None:
    """Problems go to stderr; JSON and GitHub annotations (which the runner reads from stdout) to stdout.
    --quiet keeps errors only; text shows a few of each common warning and counts (--verbose: all)."""
    if args.quiet:
        report = Report([d for d in report.diagnostics if d.severity is Severity.ERROR], report.files_checked)
    verbose = getattr(args, "verbose", False)
    text = report.render_condensed() if args.format == "text" and not verbose else report.render(args.format)
    if args.format in ("json", "github"):
        print(text)
    elif text:
        print(text, file=sys.stderr)
