"""`dsguide build`: validate the content and publish the site into the output folder."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from ..cli import ExitCode, exit_code
from ..diagnostics import Report, Severity
from ..pipeline import build_site, load_site


def add_common(parser: argparse.ArgumentParser) -> None:
    """Flags that build, check and serve share."""
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration "
                        "(default: site.yaml); content/ and templates/ are read beside it")
    parser.add_argument("--drafts", action="store_true", help="include notes marked draft: true")
    parser.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.add_argument("--format", choices=("text", "github", "json"), default="text",
                        help="how to print problems: text (compiler style), github (annotations), json")


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("build", help="build the static site", description=__doc__)
    add_common(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="output folder (default: site.yaml 'output', usually public/)")
    parser.add_argument("--base-url", default=None, help="override site.yaml base_url (e.g. for a preview)")
    return parser


def output_dir(args: argparse.Namespace, site_root: Path, configured: str) -> Path:
    return args.out if args.out is not None else site_root / configured


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    site, report = load_site(args.config, include_drafts=args.drafts, base_url=args.base_url)
    if site is not None and not report.has_errors(args.strict):
        result, build_report = build_site(site, output_dir(args, site.config.root, site.config.output),
                                          started)
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
    return ExitCode.OK


def print_report(report: Report, args: argparse.Namespace) -> None:
    """Problems go to stderr; JSON and GitHub annotations (which the runner reads from stdout) to stdout.
    --quiet keeps errors only."""
    if args.quiet:
        report = Report([d for d in report.diagnostics if d.severity is Severity.ERROR], report.files_checked)
    text = report.render(args.format)
    if args.format in ("json", "github"):
        print(text)
    elif text:
        print(text, file=sys.stderr)
