"""The front matter a new note starts with, field by field with a comment on each: one template for
`dsguide new` and for the drafts `dsguide ingest` writes, so a contributor meets the same fields
(and the same advice) whichever way a note was started."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from .schema import EVIDENCE_CONTEXT_LIMIT, EVIDENCE_KINDS, SUMMARY_LIMIT
from .validate import PLACEHOLDER


@dataclass(frozen=True)
class SourceCitation:
    source: str  # a source id, or the placeholder
    section: str | None  # the essay's section heading; None leaves the placeholder to fill in


def yaml_string(text: str) -> str:
    """`text` as a double-quoted YAML scalar (a JSON string is one), safe whatever it contains."""
    return json.dumps(text, ensure_ascii=False)


def note_front_matter(title: str, *, summary: str, topics: list[str], audiences: list[str],
                      sources: list[SourceCitation], updated: dt.date, tags: tuple[str, ...] = (),
                      head: str = "", topics_comment: str = "") -> str:
    """The front matter, `---` lines included, of a draft note."""
    section_todo = f"{PLACEHOLDER}   # the essay's section heading, or delete the line"
    source_lines = "".join(
        f"  - source: {s.source}\n    section: {yaml_string(s.section) if s.section else section_todo}\n"
        for s in sources) or f"  - source: {PLACEHOLDER.lower()}   # an id from content/sources/\n"
    return f'''---
{head}# Required. Plain text, no Markdown.
title: {yaml_string(title)}
# Required. One or two plain sentences, at most {SUMMARY_LIMIT} characters: cards, search results, meta description.
summary: >-
  {summary}
{topics_comment or "# Required. 0-3 topics from site.yaml, only where the note is really about them."}
topics: [{", ".join(topics)}]
# Optional. Tags from the site.yaml vocabulary, e.g. interviews, stakeholders, delegation.
tags: [{", ".join(tags)}]
# Optional. Who it is for, from site.yaml audiences.
audience: [{", ".join(audiences)}]
# Where the advice comes from; required unless `original: true`.
sources:
{source_lines}# True only for a synthesis of other notes or our own advice; then `sources` may be empty.
original: false
# Optional. Note slugs to show as related, before the computed ones.
related: []
# Required with sources: what the advice rests on. kind is one of {" | ".join(EVIDENCE_KINDS)};
# context says whose experience, where and when, in at most {EVIDENCE_CONTEXT_LIMIT} characters of plain text.
evidence:
  kind: practitioner-experience
  context: {PLACEHOLDER}
# Required. The day you last checked this note against its cited section (YYYY-MM-DD).
reviewed: {updated.isoformat()}
# When the note last changed in substance (YYYY-MM-DD).
updated: {updated.isoformat()}
# Drafts are built only with --drafts and never indexed. Set to false when ready for review.
draft: true
---
'''
