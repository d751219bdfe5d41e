"""`dsguide ingest PATH... --into DIR`: turn raw essays into draft notes for curation.

Reads plain-text essays, newsletter issues, thread exports and WordPress/Hugo/Jekyll Markdown
(the format is detected from the text unless --format says otherwise), strips boilerplate and
footnote numbers, and splits each essay into sections. For every essay it writes a source record
DIR/sources/<id>.md and one draft note per section DIR/notes/<slug>.md, with topics suggested from
the keywords in site.yaml. Drafts keep the essay's text for reference only: rewrite each in your
own words before moving it into content/.

An essay that is already a source of the site (the same title, or half its text in the source's
fingerprints) is reported and not ingested again; --force drafts it again under that source's id.
Beside each source record, ingest writes the essay's fingerprints (DIR/sources/<id>.fingerprints:
hashes, no text) for the copy check in `dsguide check`.

Existing files are never replaced without --force, and nothing is written outside DIR.
Exit status: 0 when every file was ingested, 1 when any failed (the others are still written),
2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli import ExitCode, config_failure
from ..config import load_config
from ..diagnostics import printable
from ..ingest.model import FileResult
from ..ingest.process import Ingester, expand, known_sources


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("ingest", help="turn raw essays into draft notes for curation",
                                   description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATH",
                        help="essay files, or folders of .txt/.md files")
    parser.add_argument("--into", type=Path, required=True, metavar="DIR",
                        help="folder to write sources/ and notes/ into (created if missing)")
    parser.add_argument("--format", choices=("auto", "essay", "newsletter", "thread", "markdown"), default="auto",
                        help="read every PATH as this format instead of detecting it (default: auto)")
    parser.add_argument("--force", action="store_true", help="replace files that already exist in DIR")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"),
                        help="site configuration whose topic keywords drive suggestions (default: site.yaml)")
    return parser


def run(args: argparse.Namespace) -> int:
    config, problems = load_config(args.config)
    if config is None:
        print("dsguide ingest: error: topics come from site.yaml; pass --config", file=sys.stderr)
        return config_failure(problems)
    if args.into.exists() and not args.into.is_dir():
        print(f"dsguide ingest: error: --into {args.into} is a file, not a folder", file=sys.stderr)
        return ExitCode.USAGE
    ingester = Ingester(args.into, config.topics, fmt=args.format, force=args.force, allowed_tags=config.tags,
                        known=known_sources(config.content_dir / "sources"))
    results = []
    for path in expand(args.paths):
        result = ingester.ingest(path)
        for message in result.errors:
            print(printable(f"{path}: error: {message}"), file=sys.stderr)
        results.append(result)
    if not results:
        print("dsguide ingest: error: no .txt or .md files found in the given folders", file=sys.stderr)
        return ExitCode.FAILED
    print(table(results))
    written = sum(len(r.written) for r in results)
    failed = sum(1 for r in results if not r.ok)
    print(f"\n{written} file{'s' * (written != 1)} written into {args.into}; "
          f"{len(results) - failed} of {len(results)} input{'s' * (len(results) != 1)} ingested")
    return ExitCode.FAILED if failed else ExitCode.OK


def table(results: list[FileResult]) -> str:
    """One row per input: file, detected format, sections, suggested topics, and why that format."""
    rows = [("FILE", "FORMAT", "SECTIONS", "TOPICS", "WHY")]
    for r in results:
        fmt = r.detection.format if r.detection and r.detection.format else "-"
        sections = str(len(r.essay.sections)) if r.essay else "-"
        topics = ", ".join(t.slug for t in r.topics) if r.essay else "-"
        status = "" if r.ok else "  [failed]"
        why = (r.detection.reason if r.detection else r.errors[0]) + status
        rows.append((printable(Path(r.path).name), fmt, sections, topics or "(none)", printable(why)))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
                     for row in rows)
