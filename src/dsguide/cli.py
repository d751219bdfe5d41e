"""Command line: arguments → command. The only module that exits.

Each command lives in `dsguide.commands.<name>` and provides `add_parser(subparsers)` and
`run(args) -> int`, returning one of `ExitCode` (the table README's Commands section shows).
"""

from __future__ import annotations

import argparse
import importlib
import sys
from enum import IntEnum
from typing import NoReturn

from . import __version__
from .diagnostics import Diagnostic, Report


class ExitCode(IntEnum):
    """What every command exits with."""

    OK = 0
    FAILED = 1        # problems in the content, a failed build, a stale check: fix the content and rerun
    USAGE = 2         # bad arguments, a site.yaml that cannot be used, an output folder that must not be replaced
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


USAGE_CODES = frozenset({"bad-output"})  # problems that mean the command was pointed at the wrong place


def exit_code(report: Report, *, strict: bool = False, config_loaded: bool = True) -> ExitCode:
    """The one rule from a run's problems to its exit code (build, check, serve). `config_loaded` is False
    when site.yaml (or a --base-url override) could not be used: nothing else was read, a usage error."""
    if not config_loaded or any(d.code in USAGE_CODES for d in report.errors):
        return ExitCode.USAGE
    return ExitCode.FAILED if report.has_errors(strict) else ExitCode.OK


def config_failure(problems: list[Diagnostic]) -> ExitCode:
    """Report why site.yaml could not be used, for the commands that read it alone (new, schema, ingest)."""
    for problem in problems:
        print(problem.format_text(), file=sys.stderr)
    return ExitCode.USAGE


COMMANDS = ("build", "check", "serve", "new", "ingest", "fingerprint", "schema")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on bad usage, as we want; keep its text
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="dsguide", description="Build a searchable knowledge base of data science "
                     "career advice from Markdown notes.")
    parser.add_argument("--version", action="version", version=f"dsguide {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        module = importlib.import_module(f"dsguide.commands.{name}")
        sub = module.add_parser(subparsers)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help(sys.stderr)
        return ExitCode.USAGE
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
