"""Small files and HTML touches that the reader-side scripts use (static/search.js, static/site.js).

- `search-terms.json`: the words of the indexed pages, for the search's did-you-mean.
- `previews.json`: slug → title and summary, for the previews of linked notes.
- heading anchors: a "#" link beside each section heading, to copy a link to that section.

Each is a pure function of the site, so two builds write the same bytes.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable

from .model import Site

# letters only, at least four of them: shorter words are too easily "corrected" into other words
VOCABULARY_WORD_RE = re.compile(r"[^\W\d_]{4,}")
HEADING_RE = re.compile(r'<(h[23]) id="([^"]+)">(.*?)</\1>', re.DOTALL)
TAG_RE = re.compile(r"<[^>]*>")


def indexed_texts(site: Site) -> Iterable[str]:
    """The words Pagefind indexes: every note, path, source and page, its title, summary and body."""
    content = site.content
    for note in content.notes:
        yield from (note.title, note.summary, site.markdown[("note", note.slug)].plain_text)
    for path in content.paths:
        yield from (path.title, path.summary, site.markdown[("path", path.id)].plain_text)
        yield from (step.why for step in path.steps)
    for source in content.sources:
        yield from (source.title, site.markdown[("source", source.id)].plain_text)
    for page in content.pages:
        yield from (page.title, page.summary, site.markdown[("page", page.slug)].plain_text)


def search_terms_json(site: Site) -> str:
    """The vocabulary of the index, most used first (ties A–Z): what a misspelled word may have meant."""
    counts = Counter(word.lower() for text in indexed_texts(site) for word in VOCABULARY_WORD_RE.findall(text))
    words = sorted(counts, key=lambda w: (-counts[w], w))
    return json.dumps(words, ensure_ascii=False, separators=(",", ":")) + "\n"


def previews_json(site: Site, note_url: dict[str, str]) -> str:
    """For each note's URL: its title and summary (what a preview of a link to it shows)."""
    records = {note_url[n.slug]: {"title": n.title, "summary": n.summary}
               for n in sorted(site.content.notes, key=lambda n: n.slug)}
    return json.dumps(records, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def add_heading_anchors(html: str) -> str:
    """Give each h2/h3 that has an id a "#" link to itself (kept out of the search index)."""
    def anchor(match: re.Match[str]) -> str:
        tag, ident, inner = match[1], match[2], match[3]
        label = " ".join(TAG_RE.sub("", inner).split())
        return (f'<{tag} id="{ident}">{inner}<a class="heading-anchor" href="#{ident}" data-pagefind-ignore '
                f'aria-label="Link to the section “{label}”">#</a></{tag}>')
    return HEADING_RE.sub(anchor, html)
