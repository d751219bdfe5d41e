"""`dsguide new "Title" --topic T`: start a note from a template that shows every field."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from ..cli import ExitCode, config_failure
from ..config import load_config
from ..note_template import SourceCitation, note_front_matter
from ..schema import NOTE, SLUG_RE, did_you_mean, slugify
from ..validate import PLACEHOLDER


def note_template(title: str, topics: list[str], sources: list[str], audiences: list[str],
                  today: dt.date) -> str:
    front = note_front_matter(title, summary=f"{PLACEHOLDER}: what the reader will take away, in your own words.",
                              topics=topics, audiences=audiences,
                              sources=[SourceCitation(s, None) for s in sources], updated=today)
    return front + f'''{PLACEHOLDER}: the claim, attributed to its source, in our own words
(never copy the essay's sentences). 150-600 words.

## What the source says

Only what the source says, attributed, with its hedges. One person's experience stays one person's.

## What we add

Our own view (optional, like the sections below): the dsguide editors' reasoning, marked as ours on the page.

## When it does not apply

## Questions to ask yourself

Link other notes like `[[note-slug]]` or `[[note-slug|this]]` (without the backticks).
'''


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = subparsers.add_parser("new", help="start a new note from the template", description=__doc__)
    parser.add_argument("title", help="the note's title, in quotes")
    parser.add_argument("--topic", action="append", required=True, help="a topic slug (repeat for up to 3)")
    parser.add_argument("--source", action="append", default=[], help="a source id from content/sources/")
    parser.add_argument("--audience", action="append", default=[], help="an audience slug (repeatable)")
    parser.add_argument("--slug", help="file name to use instead of one made from the title")
    parser.add_argument("--config", type=Path, default=Path("site.yaml"), help="site configuration")
    return parser


def run(args: argparse.Namespace) -> int:
    config, problems = load_config(args.config)
    if config is None:
        return config_failure(problems)
    vocab = config.vocabularies()
    wrong = [f"unknown {kind} '{value}'{did_you_mean(value, vocab[name])}"
             for kind, name, values in (("topic", "topics", args.topic), ("audience", "audiences", args.audience))
             for value in values if value not in vocab[name]]
    sources_dir = config.content_dir / "sources"
    known_sources = sorted(p.stem for p in sources_dir.glob("*.md")) if sources_dir.is_dir() else []
    wrong += [f"unknown source '{s}'{did_you_mean(s, known_sources)}" for s in args.source if s not in known_sources]
    title_field = NOTE.get("title")
    title_limit = title_field.type.max_len if title_field else None
    if title_limit is not None and len(args.title) > title_limit:
        wrong.append(f"the title is {len(args.title)} characters; the limit is {title_limit}")
    if len(args.topic) > 3:
        wrong.append("a note takes at most 3 topics")
    slug = args.slug or slugify(args.title)
    if args.slug is not None and not SLUG_RE.match(args.slug):
        wrong.append(f"--slug '{args.slug}' is not a slug: use lowercase letters, digits and hyphens")
    elif not slug:
        wrong.append("the title has no ASCII letters or digits to make a file name from; pass --slug")
    if wrong:
        for message in wrong:
            print(f"dsguide new: error: {message}", file=sys.stderr)
        return ExitCode.USAGE
    target = config.content_dir / "notes" / f"{slug}.md"
    if target.exists():
        print(f"dsguide new: error: {target} already exists; pick another title or --slug", file=sys.stderr)
        return ExitCode.FAILED
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(note_template(args.title, args.topic, args.source, args.audience, dt.date.today()),
                      encoding="utf-8")
    print(target.relative_to(config.root) if target.is_relative_to(config.root) else target)
    return ExitCode.OK
