"""`dsguide fingerprint SOURCE_ID FILE`: let `check` catch text copied from a source's original.

Reads FILE, the essay's original text (which stays outside the repository), and writes
content/sources/SOURCE_ID.fingerprints: hashes of every 10-word run, no text. Commit that file;
from then on `dsguide check` and `dsguide build` report any run of 10 or more words a note, page,
path or source summary shares with the essay, at its line and column.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import ExitCode, config_failure
from ..config import load_config
from ..fingerprint import SUFFIX, fingerprint_file_text, fingerprints
from ..schema import did_you_mean


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "fingerprint", help="fingerprint a source's original text for the copy check", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source_id", metavar="SOURCE_ID", help="a source id: a file name in content/sources/")
    parser.add_argument("file", type=Path, metavar="FILE", help="the essay's original text (.txt or .md)")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration")
    return parser


def run(args: argparse.Namespace) -> int:
    config, problems = load_config(args.config)
    if config is None:
        return config_failure(problems)
    sources = config.content_dir / "sources"
    known = sorted(p.stem for p in sources.glob("*.md")) if sources.is_dir() else []
    if args.source_id not in known:
        print(f"dsguide fingerprint: error: unknown source '{args.source_id}'{did_you_mean(args.source_id, known)}"
              " (a source id is a file name in content/sources/, without .md)", file=sys.stderr)
        return ExitCode.USAGE
    try:
        text = args.file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"dsguide fingerprint: error: cannot read {args.file}: {getattr(exc, 'strerror', None) or exc}",
              file=sys.stderr)
        return ExitCode.USAGE
    hashes = fingerprints(text)
    if not hashes:
        print(f"dsguide fingerprint: error: {args.file} has fewer than 10 words", file=sys.stderr)
        return ExitCode.USAGE
    target = sources / f"{args.source_id}{SUFFIX}"
    target.write_text(fingerprint_file_text(text), encoding="utf-8")
    shown = target.relative_to(config.root) if target.is_relative_to(config.root) else target
    print(f"wrote {shown}: {len(hashes)} fingerprints")
    return ExitCode.OK
