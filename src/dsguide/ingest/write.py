"""Turn a parsed Essay into a source record and draft notes, and write them safely.

Safety rules, because `ingest` runs on a curator's working tree: nothing outside --into is ever
written (paths are resolved, so '..' and symlinks cannot lead out), and an existing file is only
replaced with --force. An essay's files are written all together or not at all, so a draft never
points at a source record that was not written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..note_template import SourceCitation, note_front_matter
from ..validate import PLACEHOLDER
from .model import Essay, PlannedFile, Section, TopicSuggestion

# `dsguide check` flags the placeholder wherever a curator leaves it (a warning in drafts, an error otherwise)
SUMMARY_TODO = f"{PLACEHOLDER}: summarise in your own words"
SOURCE_TODO = (f"{PLACEHOLDER}: summarise this essay in your own words: what it argues and for whom. "
               "Do not copy its sentences.")


class UnsafePath(ValueError):
    """A path that would land outside --into."""


# --- slugs ------------------------------------------------------------------------------------

def unique(slug: str, taken: set[str]) -> str:
    """`slug`, or `slug-2`, `slug-3`… when taken; records the result in `taken`."""
    base, n = slug or "untitled", 1
    candidate = base
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    taken.add(candidate)
    return candidate


# --- rendering --------------------------------------------------------------------------------

class _Dumper(yaml.SafeDumper):
    """Lists of plain values on one line (`topics: [hiring]`); mappings and nested lists in block style."""

    def represent_list(self, data: Iterable[Any]) -> yaml.SequenceNode:
        data = list(data)
        flow = not any(isinstance(item, dict | list) for item in data)
        return self.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _Dumper.represent_list)


def dump(data: dict[str, Any]) -> str:
    """YAML for front matter: keys in the order given, unicode as is, no line wrapping."""
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=10_000,
                     default_flow_style=False)


def source_text(essay: Essay, source_id: str, origin: str, reason: str) -> str:
    """The source record: bibliography and section list only. The body is left for the curator's
    summary, because the site's text must be in our own words."""
    data = {"title": essay.title, "author": essay.author, "published": essay.date, "url": essay.url,
            "format": essay.source_format, "sections": [s.title for s in essay.sections]}
    comment = (f"# Drafted by `dsguide ingest` from {origin} (read as {essay.format}: {reason}).\n"
               f"# Check title, author, published and url against the original; fill in nulls you can.\n")
    extra = ""
    if essay.set_aside:
        extra = (f"\n<!-- Set aside by ingest, not drafted: a reading list of {len(essay.set_aside)} "
                 f"item{'s' * (len(essay.set_aside) != 1)}. -->\n")
    return f"---\n{comment}{dump(data)}---\n{SOURCE_TODO}\n{extra}"


def note_text(section: Section, title: str, source_id: str, origin: str, suggestions: list[TopicSuggestion],
              tags: list[str], today: dt.date) -> str:
    """A draft note for one section: the fields and comments `dsguide new` writes, then the section's
    own text for reference. The comments say what to do before it can leave draft."""
    head = (f"# Draft from {_one_line(origin)}, section '{_one_line(section.title)}'.\n"
            "# The body is the essay's own text, for reference only: rewrite it in your own words\n"
            "# (150-600 words), fill in the summary, then set draft: false.\n")
    evidence = "".join(f"\n#   {s.slug}: " + ", ".join(
        f"{k} ×{n}" + (" (in the heading)" if k in s.in_heading else "") for k, n in s.evidence.items())
        for s in suggestions)
    topics_comment = ("# Required. 1-3 topics from site.yaml; suggested, with the keywords found in this section:"
                      + evidence if suggestions else
                      "# Required. No topic had enough keyword evidence: choose 1-3 from site.yaml.")
    front = note_front_matter(title, summary=SUMMARY_TODO, topics=[s.slug for s in suggestions], audiences=[],
                              sources=[SourceCitation(source_id, section.title)], updated=today, tags=tuple(tags),
                              head=head, topics_comment=topics_comment)
    return front + section.body_markdown


def _one_line(text: str) -> str:
    return " ".join(text.split())


# --- writing ----------------------------------------------------------------------------------

def inside(root: Path, relpath: str) -> Path:
    """The absolute path of `relpath` under `root`, refusing anything that resolves outside it."""
    base = root.resolve()
    target = (base / relpath).resolve()
    if Path(relpath).is_absolute() or not target.is_relative_to(base):
        raise UnsafePath(f"refusing to write '{relpath}': it resolves outside {root}")
    return target


def write_all(root: Path, files: list[PlannedFile], *, force: bool) -> tuple[list[Path], list[str]]:
    """Write every planned file, or none of them when one is unsafe or exists without --force.

    Returns (written paths, problems); each problem is one line naming the file.
    """
    problems: list[str] = []
    targets: list[Path] = []
    for planned in files:
        try:
            target = inside(root, planned.relpath)
        except UnsafePath as exc:
            problems.append(str(exc))
            continue
        if target.exists() and not force:
            problems.append(f"{root / planned.relpath} already exists; not overwritten (use --force to replace it)")
        targets.append(target)
    if problems:
        return [], problems
    written: list[Path] = []
    for target, planned in zip(targets, files, strict=True):
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(planned.text, encoding="utf-8")
        except OSError as exc:
            return written, [f"cannot write {root / planned.relpath}: {exc.strerror or exc}"]
        written.append(target)
    return written, []
