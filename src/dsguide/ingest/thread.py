"""Thread exports (Twitter/X, Mastodon, Bluesky via an unroll service): one post per line or
paragraph, several threads run together with separators like '• • •', and the export service's
own text in between. Each thread becomes one section."""

from __future__ import annotations

import re

from .model import Essay, Section
from .text import is_boilerplate, join_markdown, paragraphs, short_title, to_markdown

SEPARATOR = re.compile(r"^\s*(?:(?:[•·*]\s*){3,}|-{3,}|_{3,}|={3,}|~{3,})\s*$")
# '1/', '2/12', '(3/7)' post counters that unroll services keep at either end of a post.
POST_COUNTER = re.compile(r"^\(?\d{1,3}/\d{0,3}\)?\s+|\s+\(?\d{1,3}/\d{1,3}\)?$")
THREAD_BY = re.compile(r"^(?:thread|🧵)\s+by\s+@?([\w.]+)", re.IGNORECASE)


def parse(text: str) -> Essay:
    """Read a thread export; each thread becomes a section titled by its opening words."""
    author = None
    threads: list[list[str]] = [[]]
    for line in text.split("\n"):
        if match := THREAD_BY.match(line.strip()):
            author = author or match.group(1)
            threads.append([])
        elif SEPARATOR.match(line) or is_boilerplate(line):
            threads.append([])
        else:
            threads[-1].append(line)
    sections = [section for lines in threads if (section := thread_section("\n".join(lines)))]
    title = sections[0].title if sections else ""
    return Essay(title=title, author=author, format="thread", source_format="thread", sections=sections)


def thread_section(text: str) -> Section | None:
    """One thread as a section: posts become paragraphs, post counters go."""
    posts = [POST_COUNTER.sub("", p).strip() for p in paragraphs(text)]
    posts = [p for p in posts if p]
    if not posts:
        return None
    return Section(short_title(posts[0]), join_markdown([to_markdown(p) for p in posts]), from_heading=False)
