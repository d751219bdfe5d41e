"""Plain-text essays, as copied from a blog or Medium: title line, optional subtitle, headings as
short lines, footnote numbers glued to words, and a colophon (thanks, bio, sign-up) at the end."""

from __future__ import annotations

import datetime as dt

from .model import LEAD_TITLE, Essay, Section
from .text import (
    cut_tail,
    drop_closing_calls,
    join_markdown,
    looks_like_heading,
    looks_like_title,
    paragraphs,
    parse_byline,
    parse_date,
    short_title,
    strip_footnote_lines,
    strip_footnote_marks,
    to_markdown,
    word_count,
)


def parse(text: str) -> Essay:
    """Read a plain-text essay into titled sections of clean Markdown."""
    paras = paragraphs(text)
    title, subtitle, author, date, body = split_front(paras)
    return Essay(title=title, subtitle=subtitle, author=author, date=date, format="essay",
                 source_format="essay", sections=sections_from(clean_body(body), title))


def split_front(paras: list[str]) -> tuple[str, str | None, str | None, dt.date | None, list[str]]:
    """Title, subtitle, byline and date from the top of the text; the rest is the body.

    A first line that is a whole paragraph is not a title: the essay then gets a stand-in title
    from its opening words and keeps that paragraph in its body.
    """
    if not paras:
        return "", None, None, None, []
    if not looks_like_title(paras[0]):
        return short_title(paras[0]), None, None, None, paras
    title, rest = paras[0], paras[1:]
    subtitle: str | None = None
    author: str | None = None
    date: dt.date | None = None
    while rest and len(rest) > 1:
        line = rest[0]
        if author is None and (name := parse_byline(line)):
            author = name
        elif date is None and (when := parse_date(line)):
            date = when
        elif subtitle is None and author is None and date is None and is_subtitle(line):
            subtitle = line
        else:
            break
        rest = rest[1:]
    return title, subtitle, author, date, rest


def is_subtitle(line: str) -> bool:
    """A second line of a few words that is not a sentence and too long to be a one-word heading."""
    return 4 <= word_count(line) <= 25 and not line.rstrip().endswith((".", ":", ";", ",")) \
        and not line.lstrip().startswith(("-", "•", "*"))


def clean_body(paras: list[str]) -> list[str]:
    """Drop footnote marks and texts, the colophon and closing calls to sign up."""
    paras, marks = strip_footnote_marks(paras)
    paras = cut_tail(paras)
    paras = strip_footnote_lines(paras, marks)
    return drop_closing_calls(paras)


def sections_from(paras: list[str], title: str) -> list[Section]:
    """Split paragraphs at heading lines. Text before the first heading becomes an 'Introduction'
    section, or carries the essay's own title when the essay has no headings at all."""
    heads = [i for i, p in enumerate(paras) if looks_like_heading(p) and i + 1 < len(paras)
             and not looks_like_heading(paras[i + 1])]
    bounds = [(None, 0)] + [(paras[i].strip(), i + 1) for i in heads]
    sections = []
    for n, (heading, start) in enumerate(bounds):
        end = heads[n] if n < len(heads) else len(paras)
        body = join_markdown([to_markdown(p) for p in paras[start:end]])
        if body:
            sections.append(Section(heading or (LEAD_TITLE if heads else title), body,
                                    from_heading=bool(heading or not heads)))
    return sections
