"""Rules for what a body says in Markdown: headings, raw HTML, links, length. Each says how to fix it.

They read the tokens the markdown stage parsed once, so code spans and code blocks are never
mistaken for HTML or links. Like the content-health warnings (orphans, dead ends), they are warnings
that only `check` adds: `build` renders such a body safely, and CI and pre-commit run `check --strict`.
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, line_col, warning
from .model import Content, ParsedMarkdown, RawDocument, Site

NOTE_WORDS = (150, 600)  # the note style in CONTRIBUTING.md: one idea, readable in two minutes
HTML_TAG_RE = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>|<!--")


def check_bodies(content: Content, markdown: dict[tuple[str, str], ParsedMarkdown]) -> list[Diagnostic]:
    """Heading jumps, raw HTML, insecure, scheme-less and root-relative links in every parsed body."""
    out: list[Diagnostic] = []
    for doc in [*(item.doc for item in content.documents()), *content.rejected]:
        parsed = markdown.get((doc.file.kind, doc.file.slug))
        if parsed is not None:
            out += _headings(doc, parsed) + _inline_rules(doc, parsed)
    return out


def length_warnings(site: Site) -> list[Diagnostic]:
    """A note body outside NOTE_WORDS words (a warning: `check` only), front matter valid or not."""
    low, high = NOTE_WORDS
    out: list[Diagnostic] = []
    notes = [note.doc for note in site.content.notes] + [d for d in site.content.rejected if d.file.kind == "note"]
    for doc in notes:
        count = site.markdown[("note", doc.file.slug)].word_count
        if low <= count <= high:
            continue
        hint = ("say more: why it holds, what to try, when it does not apply; or fold it into a related note"
                if count < low else "one idea per note: split it, and link the parts with [[wikilinks]]")
        out.append(warning(doc.file.path, doc.body_line, 1, "body-length",
                           f"the body is {count} word{'s' * (count != 1)}; a note has {low}-{high}", hint))
    return out


def _headings(doc: RawDocument, parsed: ParsedMarkdown) -> list[Diagnostic]:
    """The title is the page's only level-1 heading; each heading goes at most one level deeper."""
    out: list[Diagnostic] = []
    previous = 1
    for token in parsed.tokens:
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        line = doc.body_line + (token.map[0] if token.map else 0)
        if level == 1:
            out.append(warning(doc.file.path, line, 1, "heading-level",
                               "a level-1 heading in the body: the title is the page's only #",
                               "use ## for sections"))
        elif level > previous + 1:
            out.append(warning(doc.file.path, line, 1, "heading-level",
                               f"heading jumps from {'#' * previous}{' (the title)' * (previous == 1)} "
                               f"to {'#' * level}",
                               f"use {'#' * (previous + 1)} here; sections start at ##, subsections ###"))
        if level > 1:
            previous = level
    return out


def _inline_rules(doc: RawDocument, parsed: ParsedMarkdown) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    body_lines = doc.body.split("\n")
    for token in parsed.tokens:
        if token.type != "inline" or not token.children:
            continue
        first = token.map[0] if token.map else 0
        block = "\n".join(body_lines[first:token.map[1] if token.map else len(body_lines)])
        cursor = 0
        for child in token.children:
            if child.type == "text":
                for match in HTML_TAG_RE.finditer(child.content):
                    found = block.find(match[0], cursor)
                    cursor = found + 1 if found >= 0 else cursor
                    out.append(warning(doc.file.path, *_at(doc, first, block, found), "raw-html",
                                       f"raw HTML '{match[0][:40]}' is shown as text, not as HTML",
                                       "use Markdown instead: **bold**, lists, ## headings, [text](url); "
                                       "to show a tag itself, put it in `backticks`"))
            elif child.type in ("link_open", "image"):
                url = str(child.attrs.get("href" if child.type == "link_open" else "src", ""))
                found = block.find(url, cursor) if url else -1
                cursor = found + 1 if found >= 0 else cursor
                if problem := _link_problem(url):
                    out.append(warning(doc.file.path, *_at(doc, first, block, found), *problem))
    return out


def _at(doc: RawDocument, first_line: int, block: str, offset: int) -> tuple[int, int]:
    """File (line, col) of `offset` in a block that starts on body line `first_line` (0-based); the
    block's start when the text was not found (-1)."""
    line, col = line_col(block, max(offset, 0))
    return doc.body_line + first_line + line - 1, col


def _link_problem(url: str) -> tuple[str, str, str] | None:
    """(code, message, hint) for a link destination that will not work well, or None."""
    lowered = url.lower()
    if lowered.startswith("http://"):
        return ("insecure-link", f"'{url[:60]}' is an insecure http:// link",
                "use https:// if the site serves it, as most do")
    if lowered.startswith("www."):
        return ("schemeless-link", f"'{url[:60]}' has no scheme, so it points inside this site",
                f"write https://{url[:60]}")
    if url.startswith("/") and not url.startswith("//"):
        return ("root-relative-link", f"'{url[:60]}' is root-relative: it breaks when the site is served "
                "under a sub-path such as https://user.github.io/repo/",
                "link a note with [[note-slug]], or use a relative link such as ../contribute/")
    return None
