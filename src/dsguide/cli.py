"""Command line: arguments → command. The only module that exits.

Each command lives in `dsguide.commands.<name>` and provides `add_parser(subparsers)` and
`run(args) -> int`. Exit codes: 0 success, 1 content errors, 2 bad usage.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from typing import NoReturn

from . import __version__

COMMANDS = ("build", "check", "serve", "new", "ingest", "schema")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on bad usage, as we want; keep its text
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


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
        return 2
    try:
        code: int = args.run(args)
        return code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
