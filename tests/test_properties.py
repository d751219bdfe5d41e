"""Property-based tests (hypothesis): rules that must hold for every input, not just the ones we thought of.

Front-matter splitting, slugs, wikilink parsing, sentence lookup and terminal escaping. Examples are
kept moderate so the file runs in seconds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dsguide.diagnostics import UNPRINTABLE_RE, printable
from dsguide.front_matter import split_front_matter
from dsguide.markdown import SENTENCE_END_RE, Sentences, make_markdown, parse_document
from dsguide.model import ContentFile
from dsguide.schema import SLUG_MAX, SLUG_RE, slugify

FAST = settings(max_examples=150, deadline=None)
FILE = ContentFile("note", "x", "content/notes/x.md", Path("x.md"))
MD = make_markdown()

no_surrogates = st.characters(blacklist_categories=("Cs",))
any_text = st.text(no_surrogates, max_size=300)


def split(text: str):
    doc, problems = split_front_matter(FILE, text)
    assert doc is not None, problems
    return doc


# --- front matter -----------------------------------------------------------------------------

@FAST
@given(body=any_text)
def test_any_body_survives_the_split_and_starts_on_the_line_after_the_closing_dashes(body: str) -> None:
    doc = split("---\ntitle: x\n---\n" + body)
    assert doc.body == body.replace("\r\n", "\n")
    assert doc.body_line == 4
    assert doc.meta.value == {"title": "x"}


@FAST
@given(title=st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0xFFFF), min_size=1, max_size=60),
       blank_lines=st.integers(0, 3), body=any_text)
def test_a_quoted_value_comes_back_exactly_and_is_located_on_its_line(title: str, blank_lines: int,
                                                                      body: str) -> None:
    text = "---\n" + "\n" * blank_lines + f"title: {json.dumps(title)}\n---\n{body}"
    doc = split(text)
    assert doc.meta.value["title"] == title
    assert doc.meta.where(("title",)) == (2 + blank_lines, 8)
    assert doc.body_line == 4 + blank_lines


# --- slugs ------------------------------------------------------------------------------------

# titles like people write them: words of letters, digits and punctuation, some long enough to be cut
titles = st.lists(st.from_regex(r"[A-Za-z0-9'’?!,.-]{1,70}", fullmatch=True), min_size=1, max_size=12).map(" ".join)


@FAST
@given(title=st.one_of(any_text, titles))
def test_slugify_always_gives_a_valid_short_slug_or_nothing(title: str) -> None:
    slug = slugify(title)
    assert slug == "" or SLUG_RE.match(slug)
    assert len(slug) <= SLUG_MAX
    assert slugify(slug) == slug


@FAST
@given(slug=st.from_regex(SLUG_RE, fullmatch=True).filter(lambda s: len(s) <= SLUG_MAX))
def test_a_valid_slug_is_its_own_slug(slug: str) -> None:
    assert slugify(slug) == slug


# --- wikilinks --------------------------------------------------------------------------------

link_part = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]|#"),
                    min_size=1, max_size=20).filter(str.strip)
label_part = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]"),
                     min_size=1, max_size=20).filter(str.strip)
link = st.tuples(link_part, st.none() | link_part, st.none() | label_part)
word = st.sampled_from(["advice", "Managers", "trust.", "why?", "yes!", "2026", "(aside)", "\n", "teams,"])


def written(target: str, anchor: str | None, label: str | None) -> str:
    return f"[[{target}{'#' + anchor if anchor else ''}{'|' + label if label else ''}]]"


@FAST
@given(parts=st.lists(st.one_of(word, link), min_size=1, max_size=30))
def test_every_link_is_found_with_its_target_anchor_label_and_place(parts: list) -> None:
    body = "Start " + " ".join(written(*p) if isinstance(p, tuple) else p for p in parts) + "\n"
    doc = split("---\ntitle: x\n---\n" + body)
    parsed, _ = parse_document(MD, doc)
    wanted = [p for p in parts if isinstance(p, tuple)]
    assert [(w.target, w.anchor, w.label) for w in parsed.wikilinks] == [
        (t.strip(), a.strip() if a else None, lb.strip() if lb else None) for t, a, lb in wanted]
    lines = body.split("\n")
    for found, part in zip(parsed.wikilinks, wanted, strict=True):
        assert lines[found.line - doc.body_line][found.col - 1:].startswith(written(*part))


@FAST
@given(body=any_text)
def test_parsing_any_body_never_crashes_and_locates_links_inside_it(body: str) -> None:
    doc = split("---\ntitle: x\n---\n" + body)
    parsed, problems = parse_document(MD, doc)
    last_line = doc.body_line + body.count("\n") + body.count("\r")
    for item in parsed.wikilinks:
        assert doc.body_line <= item.line <= last_line and item.col >= 1
    for problem in problems:
        assert doc.body_line <= problem.line <= last_line


def sentence_by_rescanning(text: str, offset: int) -> str:
    """The quadratic reference: walk the sentence breaks from the start for every lookup."""
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        if match.end() > offset:
            return text[start:match.start()].strip()
        start = match.end()
    return text[start:].strip()


@FAST
@given(pieces=st.lists(st.sampled_from(["Word", "word", ".", "!", "?", " ", "  ", "[[x]]", "(a)", "9"]),
                       max_size=40))
def test_bisected_sentences_match_the_rescanning_reference(pieces: list[str]) -> None:
    marks = {}
    offset = 0
    for index, piece in enumerate(pieces):
        marks[index] = offset
        offset += len(piece)
    text = "".join(pieces)
    sentences = Sentences(text, marks)
    for index in marks:
        assert sentences.around(index) == sentence_by_rescanning(text, marks[index])


# --- terminal escaping ------------------------------------------------------------------------

ESCAPE_RE = re.compile(r"\\(\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def unescape(text: str) -> str:
    return ESCAPE_RE.sub(lambda m: "\\" if m[1] == "\\" else chr(int(m[1][1:], 16)), text)


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=200))
def test_escaped_text_holds_no_control_character_and_maps_back_to_the_original(text: str) -> None:
    shown = printable(text)
    assert not UNPRINTABLE_RE.search(shown.replace("\\", ""))
    assert unescape(shown) == text


@FAST
@given(text=st.text(st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
                                  blacklist_characters="\\"), max_size=200))
def test_ordinary_text_is_shown_as_it_is(text: str) -> None:
    assert printable(text) == text
