"""Newsletter issues: a masthead ('Newsletter #086', 'Issue 12'), the essay, a reading list of
bullet items, then sign-off and comment-form text. Only the essay becomes sections; the reading
list is set aside for the source record."""

from __future__ import annotations

import re

from . import essay
from .model import Essay
from .text import BULLET, is_boilerplate, is_list_item, looks_like_title, paragraphs, word_count

MASTHEAD = re.compile(
    r"^(?:[\w'’&.-]+\s+){0,4}?(?:newsletter|issue|edition|digest|weekly|letter)\s*(?:#|no\.?\s*|number\s+)?\d+\b.*$",
    re.IGNORECASE,
)
READING_INTRO = re.compile(
    r"\b(reading|read|links?|watching|listening|recommend\w*|around the web|elsewhere|worth your time)\b",
    re.IGNORECASE,
)


def parse(text: str) -> Essay:
    """Read a newsletter issue into sections; the reading list goes to `set_aside`."""
    paras = [p for p in paragraphs(text) if not is_boilerplate(p)]
    title, subtitle, paras = split_masthead(paras)
    paras, reading = split_reading_list(paras)
    sections = essay.sections_from(essay.clean_body(paras), title)
    return Essay(title=title, subtitle=subtitle, format="newsletter", source_format="newsletter",
                 sections=sections, set_aside=reading)


def split_masthead(paras: list[str]) -> tuple[str, str | None, list[str]]:
    """The issue's title and the rest. A short line after the masthead is the issue's own title,
    and the masthead becomes the subtitle; otherwise the masthead is the title."""
    if not paras or not MASTHEAD.match(paras[0]):
        return (paras[0], None, paras[1:]) if paras else ("", None, [])
    masthead, rest = paras[0], paras[1:]
    if len(rest) > 1 and looks_like_title(rest[0]) and word_count(rest[0]) >= 3 and not is_list_item(rest[0]):
        return rest[0], masthead, rest[1:]
    return masthead, None, rest


def split_reading_list(paras: list[str]) -> tuple[list[str], list[str]]:
    """Cut the reading list (a run of bullet items introduced by a line about reading or links,
    or the last bullet run in the issue) and the sign-off after it; return (essay, list items)."""
    runs = bullet_runs(paras)
    for start, end in reversed(runs):
        intro = paras[start - 1] if start else ""
        introduced = intro.rstrip().endswith(":") and bool(READING_INTRO.search(intro))
        if introduced or (start, end) == runs[-1] and all(word_count(p) < 40 for p in paras[end:]):
            cut = start - 1 if introduced else start
            return paras[:cut], [BULLET.sub("", p).strip() for p in paras[start:end]]
    return paras, []


def bullet_runs(paras: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every run of two or more '•' items: newsletters use them for link lists."""
    runs, start = [], None
    for index, para in enumerate([*paras, ""]):
        if BULLET.match(para) and para.strip():
            start = index if start is None else start
            continue
        if start is not None and index - start >= 2:
            runs.append((start, index))
        start = None
    return runs
