"""Search synonyms, applied when the site is indexed (Pagefind has no synonym support of its own).

site.yaml lists groups such as `[ic, individual contributor]`. Wherever a page's text uses one term
of a group, the rendered HTML carries the group's other terms right beside it in a `hidden` element:
browsers and screen readers skip it, Pagefind indexes it. Because the partner terms sit next to the
words they stand for, a search for `IC` ranks a note about "individual contributors" as if it said
"IC", its excerpt and sub-result come from the sentence that uses the term, and no meta value
(title, summary, heading text) ever contains them.

Every added gloss is wrapped in GLOSS_OPEN … GLOSS_CLOSE. Pagefind strips that punctuation from the
words it indexes, so matching is unchanged, but its excerpts are cut from the page text including the
hidden glosses: the search script (static/search.js) removes everything between the two marks, so a
result never shows a word that is not on the page.

Matching is by whole word, case-insensitive, with an optional plural `s`. Short all-letter terms
(`ic`, `ds`, `ml`, `em`) are acronyms: they match only when written in capitals, so "10 ml" or an
"em dash" never count.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from html import escape

ACRONYM_MAX = 3
TAG_RE = re.compile(r"(<[^>]*>)")
TAG_NAME_RE = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)")
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
SKIP = frozenset({"pre", "code", "script", "style"})  # text there is code, not prose
GLOSS_OPEN, GLOSS_CLOSE = "\u27e6", "\u27e7"  # ⟦ ⟧: static/search.js cuts them and what they enclose
VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "source", "col", "area", "base"})


def gloss(text: str) -> str:
    """Hidden index text, marked so that search excerpts can drop it (see the module docstring)."""
    return f"{GLOSS_OPEN}{text}{GLOSS_CLOSE}"


def is_acronym(term: str) -> bool:
    return len(term) <= ACRONYM_MAX and term.isalpha()


def display(term: str) -> str:
    """How a term is written when it is added to a page: acronyms in capitals."""
    return term.upper() if is_acronym(term) else term


def _pattern(term: str) -> str:
    words = [re.escape(w) for w in term.split()]
    body = r"\s+".join(words)
    if is_acronym(term):
        return "(?-i:" + body.upper() + ")"
    return body


@dataclass(frozen=True)
class Synonyms:
    """The synonym groups of site.yaml, ready to find terms in text and annotate HTML."""

    groups: tuple[tuple[str, ...], ...] = ()
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False, compare=False)
    _group_of: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _terms: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        group_of: dict[str, int] = {}
        for index, group in enumerate(self.groups):
            for term in group:
                group_of.setdefault(term.lower(), index)
        object.__setattr__(self, "_group_of", group_of)
        if group_of:
            terms = tuple(sorted(group_of, key=lambda t: (-len(t), t)))  # longest first: "data scientist", "ds"
            alternation = "|".join(f"(?P<t{i}>{_pattern(t)})" for i, t in enumerate(terms))
            object.__setattr__(self, "_terms", terms)
            object.__setattr__(self, "_regex", re.compile(
                rf"(?<![\w&#])(?:{alternation})(?:s|['’]s)?(?!\w)", re.IGNORECASE))  # not inside &quot; or &#39;

    def _matched_term(self, match: re.Match[str]) -> str:
        name = match.lastgroup or ""
        return self._terms[int(name[1:])]

    def find(self, text: str) -> list[str]:
        """The terms of any group that `text` uses, in order of first use."""
        if self._regex is None:
            return []
        seen: dict[str, None] = {}
        for match in self._regex.finditer(text):
            seen.setdefault(self._matched_term(match), None)
        return list(seen)

    def partners(self, terms: Iterable[str]) -> list[str]:
        """For terms a text uses, the other terms of their groups, minus the ones it uses already."""
        used = [t.lower() for t in terms]
        out: dict[str, None] = {}
        for term in used:
            index = self._group_of.get(term)
            if index is None:
                continue
            for other in self.groups[index]:
                if other not in used:
                    out.setdefault(other, None)
        return list(out)

    def partners_in(self, text: str) -> list[str]:
        return self.partners(self.find(text))

    def annotate_html(self, html: str) -> str:
        """Put each used term's partners in a hidden element beside it.

        Text in headings gets its partners in a hidden paragraph just after the heading (inside the
        heading they would show in Pagefind's sub-result titles); code is left alone.
        """
        if self._regex is None or not html:
            return html
        out: list[str] = []
        open_tags: list[str] = []
        heading_terms: list[str] = []
        for piece in TAG_RE.split(html):
            if not piece:
                continue
            if piece.startswith("<"):
                out.append(piece)
                name_match = TAG_NAME_RE.match(piece)
                if not name_match or piece.startswith("<!"):
                    continue
                closing, name = name_match[1] == "/", name_match[2].lower()
                if closing:
                    if name in open_tags:
                        while open_tags and open_tags.pop() != name:
                            pass
                    if name in HEADINGS and not any(t in HEADINGS for t in open_tags):
                        extra = self.partners(heading_terms)
                        heading_terms = []
                        if extra:
                            hidden = escape(gloss(", ".join(map(display, extra))))
                            out.append(f'<p hidden class="synonyms">{hidden}</p>')
                elif name not in VOID and not piece.endswith("/>"):
                    open_tags.append(name)
                continue
            if any(t in SKIP for t in open_tags):
                out.append(piece)
            elif any(t in HEADINGS for t in open_tags):
                heading_terms += self.find(piece)
                out.append(piece)
            else:
                out.append(self._annotate_text(piece))
        return "".join(out)

    def _annotate_text(self, text: str) -> str:
        assert self._regex is not None
        parts: list[str] = []
        last = 0
        for match in self._regex.finditer(text):
            extra = self.partners([self._matched_term(match)])
            if not extra:
                continue
            parts.append(text[last:match.end()])
            parts.append(f'<span hidden class="synonyms"> {escape(gloss(", ".join(map(display, extra))))}</span>')
            last = match.end()
        parts.append(text[last:])
        return "".join(parts)
