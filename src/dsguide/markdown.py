"""Stage 4: parse every body once into markdown-it tokens; read headings and wikilinks off them.

Rendering to HTML happens later (render stage) from the same tokens, so `check` never renders.
Raw HTML is off (shown as text) and unsafe URL schemes never become links. HTML comments are
left out of the page (with a warning): they are notes to reviewers, never text for readers.
Nesting deeper than markdown-it's limit is an error at its line, because markdown-it silently
drops whatever lies past the limit.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from functools import cached_property
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.parser_block import ParserBlock
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin

from .diagnostics import Diagnostic, LineIndex, error, warning
from .model import Content, Heading, ParsedMarkdown, RawDocument, WikiLink

WIKILINK_RE = re.compile(r"\[\[([^\[\]|#\n]+)(?:#([^\[\]|\n]+))?(?:\|([^\[\]\n]+))?\]\]")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# where a link destination starts: after `](`, in a reference definition `[x]: `, or in an autolink `<`
LINK_DESTINATION_RE = re.compile(r"\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?|<", re.M)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(\[])")  # a next sentence may open with a [[link]]
MARKDOWN_ESCAPE_RE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation
IMAGE_START_RE = re.compile(r"!\[")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")
COMMENT_RE = re.compile(r"<!--[\s\S]*?-->")
TOO_DEEP = "dsguide_too_deep"  # parse-env key: the (first, end) body lines markdown-it skipped as too deep

# What the render stage passes in: (target slug, anchor or None, label or None) -> (href, text) or None.
WikiLinkResolver = Callable[[str, str | None, str | None], tuple[str, str] | None]


def heading_anchor(text: str) -> str:
    """The id a heading gets; `[[note#Some Heading]]` and `[[note#some-heading]]` both match it."""
    return slugify(text)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[[", state.pos):
        return False
    match = WIKILINK_RE.match(state.src, state.pos)
    if not match:
        return False
    if not silent:
        token = state.push("wikilink", "", 0)
        token.content = match[0]
        token.meta = {
            "target": match[1].strip(),
            "anchor": match[2].strip() if match[2] else None,
            "label": match[3].strip() if match[3] else None,
        }
    state.pos = match.end()
    return True


def _comment_inline(state: StateInline, silent: bool) -> bool:
    """`<!-- … -->` inside a paragraph becomes an `html_comment` token, which renders as nothing."""
    match = COMMENT_RE.match(state.src, state.pos) if state.src.startswith("<!--", state.pos) else None
    if not match:
        return False
    if not silent:
        state.push("html_comment", "", 0).content = match[0]
    state.pos = match.end()
    return True


def _comment_block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """A comment that starts a line and ends a (possibly later) line, as CommonMark's HTML block type 2;
    it becomes an `html_comment` token, which renders as nothing. Text after `-->` on the closing line
    leaves it to the paragraph (and the inline rule), so no reader-facing text is dropped."""
    if state.is_code_block(start):
        return False
    opening = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith("<!--", opening):
        return False
    search_from = opening + 4
    for line in range(start, end):
        close = state.src.find("-->", search_from, state.eMarks[line])
        if close != -1:
            if state.src[close + 3 : state.eMarks[line]].strip():
                return False
            if not silent:
                token = state.push("html_comment", "", 0)
                token.map = [start, line + 1]
                token.content = state.src[opening : close + 3]
                token.block = True
            state.line = line + 1
            return True
        if line + 1 < end:
            search_from = state.bMarks[line + 1] + state.tShift[line + 1]
    return False


class _DepthCheckingBlockParser(ParserBlock):
    """markdown-it's block parser, recording what it skips: past `maxNesting` levels (ten nested lists,
    each a list and an item, or twenty quotes) it drops the rest of the enclosing block without a word.
    The skipped line ranges go to env[TOO_DEEP] so the author hears of it."""

    def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
        if state.level >= state.md.options.maxNesting:
            line = state.skipEmptyLines(startLine)
            if line < endLine and state.sCount[line] >= state.blkIndent:  # the loop below would skip it
                state.env.setdefault(TOO_DEEP, []).append((line, endLine))
        super().tokenize(state, startLine, endLine)


def _render_wikilink(self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]) -> str:
    meta = tokens[idx].meta
    resolved = env["resolve_wikilink"](meta["target"], meta["anchor"], meta["label"])
    if resolved is None:  # check already reported it; show the text rather than a dead link
        return escapeHtml(meta["label"] or meta["target"])
    href, text = resolved
    return f'<a class="wikilink" href="{escapeHtml(href)}">{escapeHtml(text)}</a>'


def _safe_url(url: str) -> bool:
    return not url.strip().lower().startswith(UNSAFE_SCHEMES)


def make_markdown() -> MarkdownIt:
    """CommonMark + tables + footnotes + heading anchors + wikilinks, raw HTML off."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")
    md.use(footnote_plugin).use(anchors_plugin, min_level=2, max_level=4, slug_func=heading_anchor)
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.inline.ruler.before("html_inline", "html_comment", _comment_inline)
    md.block.ruler.before("html_block", "html_comment", _comment_block,
                          {"alt": ["paragraph", "reference", "blockquote"]})
    checked = _DepthCheckingBlockParser()
    checked.ruler = md.block.ruler  # the same rules, plugins' included
    md.block = checked
    md.add_render_rule("wikilink", _render_wikilink)
    md.add_render_rule("html_comment", lambda *args: "")
    md.validateLink = _safe_url  # type: ignore[method-assign]  # markdown-it's documented hook
    return md


def parse_document(md: MarkdownIt, doc: RawDocument) -> tuple[ParsedMarkdown, list[Diagnostic]]:
    env: dict[str, Any] = {}
    tokens = md.parse(doc.body, env)
    skipped: list[tuple[int, int]] = env.pop(TOO_DEEP, [])
    body_lines = doc.body.split("\n")
    headings: list[Heading] = []
    links: list[WikiLink] = []
    words: list[str] = []
    diagnostics: list[Diagnostic] = []

    def at(block_start: int, lines: LineIndex, offset: int) -> tuple[int, int]:
        line, col = lines.line_col(offset)
        return doc.body_line + block_start + line - 1, col

    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = " ".join(COMMENT_RE.sub(" ", tokens[i + 1].content).split())  # as the TOC shows it
            headings.append(Heading(int(token.tag[1]), text, str(token.attrs.get("id", ""))))
        if token.type == "html_comment" and token.map:
            line = token.map[0]
            col = len(body_lines[line]) - len(body_lines[line].lstrip()) + 1
            diagnostics.append(_comment_warning(doc, doc.body_line + line, col))
        if token.type != "inline" or not token.children:
            continue
        words.append(COMMENT_RE.sub(" ", token.content))
        block_start, block_end = token.map or (0, len(body_lines))
        block_text = "\n".join(body_lines[block_start:block_end])
        lines = LineIndex(block_text)
        # comments are masked, so a [[link]] or image inside one is not mistaken for a rendered one
        searchable = COMMENT_RE.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), block_text)
        located = iter(WIKILINK_RE.finditer(searchable))
        images = iter(IMAGE_START_RE.finditer(searchable))
        comments = iter(COMMENT_RE.finditer(block_text))
        unclosed = iter(re.finditer("<!--", searchable))
        sentences = Sentences(*_plain_with_marks(token.children))
        for child_index, child in enumerate(token.children):
            if child.type == "wikilink":
                found = next(located, None)
                links.append(WikiLink(child.meta["target"], child.meta["anchor"], child.meta["label"],
                                      *at(block_start, lines, found.start() if found else 0),
                                      sentences.around(child_index)))
            elif child.type == "image":
                found = next(images, None)
                if not child.content.strip():
                    diagnostics.append(error(doc.file.path, *at(block_start, lines, found.start() if found else 0),
                                             "image-alt", "image has no alt text: write ![what it shows](url)"))
            elif child.type == "html_comment":
                comment = next(comments, None)
                diagnostics.append(_comment_warning(doc, *at(block_start, lines, comment.start() if comment else 0)))
            elif child.type == "text" and "<!--" in child.content:
                opened = next(unclosed, None)
                diagnostics.append(warning(doc.file.path, *at(block_start, lines, opened.start() if opened else 0),
                                           "html-comment",
                                           "'<!--' without '-->' in the same paragraph is published as text",
                                           "close the comment, or keep review notes out of the note"))
    for first, end in skipped:
        diagnostics.append(_too_deep(doc, body_lines, first, end))
        links += _links_in_skipped_lines(doc, body_lines, first, end)
    for line, col, scheme, disguised in unsafe_links(doc.body):
        how = " (even spelled with character references or escapes)" if disguised else ""
        diagnostics.append(error(doc.file.path, doc.body_line + line - 1, col, "unsafe-link",
                                 f"'{scheme}' links are not allowed{how}"))
    plain = "\n".join(words)
    parsed = ParsedMarkdown(tokens, env, headings, links, plain, len(WORD_RE.findall(plain)))
    return parsed, diagnostics


def _comment_warning(doc: RawDocument, line: int, col: int) -> Diagnostic:
    return warning(doc.file.path, line, col, "html-comment",
                   "HTML comments are not published: this one is left out of the page and the search index",
                   "remove it, or keep review notes in the pull request")


def _too_deep(doc: RawDocument, body_lines: list[str], first: int, end: int) -> Diagnostic:
    col = len(body_lines[first]) - len(body_lines[first].lstrip()) + 1
    last = max(index for index in range(first, min(end, len(body_lines))) if body_lines[index].strip())
    return error(doc.file.path, doc.body_line + first, col, "too-deep",
                 f"lists or quotes nested too deep: Markdown stops here and would drop lines "
                 f"{doc.body_line + first}–{doc.body_line + last}",
                 "flatten it: lists may nest nine levels deep, quotes nineteen")


def _links_in_skipped_lines(doc: RawDocument, body_lines: list[str], first: int, end: int) -> list[WikiLink]:
    """The [[links]] in lines markdown-it skipped, so a broken one is still reported."""
    found = []
    for index in range(first, min(end, len(body_lines))):
        for match in WIKILINK_RE.finditer(body_lines[index]):
            found.append(WikiLink(match[1].strip(), match[2].strip() if match[2] else None,
                                  match[3].strip() if match[3] else None,
                                  doc.body_line + index, match.start() + 1, ""))
    return found


class Sentences:
    """The sentence around each child of an inline token. The sentence breaks are found once per
    paragraph and each lookup bisects them, so a paragraph of n links costs O(n log n), not O(n²)."""

    def __init__(self, text: str, marks: dict[int, int]):
        self.text, self.marks = text, marks

    @cached_property
    def breaks(self) -> tuple[list[int], list[int]]:
        """(starts, ends) of the whitespace between sentences; found on the first lookup only."""
        found = list(SENTENCE_END_RE.finditer(self.text))
        return [m.start() for m in found], [m.end() for m in found]

    def around(self, child_index: int) -> str:
        starts, ends = self.breaks
        offset = self.marks[child_index]
        index = bisect_right(ends, offset)  # the first break that ends after the child starts
        start = ends[index - 1] if index else 0
        stop = starts[index] if index < len(starts) else len(self.text)
        return self.text[start:stop].strip()


def unsafe_links(body: str) -> list[tuple[int, int, str, bool]]:
    """(line, col, scheme, disguised) of each link to an unsafe scheme, at the URL as the author wrote it.

    The renderer drops these links anyway (`_safe_url`); this tells the author. markdown-it decodes
    `&#106;`-style references and backslash escapes in a link destination before judging it, so
    each destination is judged decoded too (autolinks take neither, so they are judged as written).
    """
    found = []
    lines = LineIndex(body)
    for match in LINK_DESTINATION_RE.finditer(body):
        rest = body[match.end():match.end() + 80].split("\n", 1)[0]
        written = rest.lstrip()
        decoded = written if match[0] == "<" else html.unescape(MARKDOWN_ESCAPE_RE.sub("", written))
        scheme = next((s for s in UNSAFE_SCHEMES if decoded.lower().startswith(s)), None)
        if scheme:
            line, col = lines.line_col(match.end() + len(rest) - len(written))
            found.append((line, col, scheme, not written.lower().startswith(scheme)))
    return found


def _plain_with_marks(children: list[Token]) -> tuple[str, dict[int, int]]:
    """The inline text as plain words, and where each child starts in it."""
    parts: list[str] = []
    marks: dict[int, int] = {}
    length = 0
    for index, child in enumerate(children):
        marks[index] = length
        if child.type in ("text", "code_inline"):
            piece = child.content
        elif child.type == "wikilink":
            piece = child.meta["label"] or f"[[{child.meta['target']}]]"  # graph puts the title in
        elif child.type in ("softbreak", "hardbreak"):
            piece = " "
        else:
            piece = ""
        parts.append(piece)
        length += len(piece)
    return "".join(parts), marks


def parse_all(content: Content) -> tuple[dict[tuple[str, str], ParsedMarkdown], list[Diagnostic]]:
    md = make_markdown()
    parsed: dict[tuple[str, str], ParsedMarkdown] = {}
    diagnostics: list[Diagnostic] = []
    for doc in [*(item.doc for item in content.documents()), *content.rejected]:  # rejected: for link checks
        result, found = parse_document(md, doc)
        parsed[(doc.file.kind, doc.file.slug)] = result
        diagnostics += found
    return parsed, diagnostics


def mark_sections(tokens: list[Token], titles: Sequence[str],
                  opening: Callable[[str], tuple[str, str]]) -> list[Token]:
    """A copy of `tokens` in which each `## heading` whose text is one of `titles` starts an HTML
    `<section>` that runs to the next `##` heading or the footnotes. `opening(heading_id)` returns
    (markup before the heading, markup after it), e.g. a section tag and a label. The parsed tokens
    are shared with every other stage, so they are never changed in place."""
    out: list[Token] = []
    in_section = False
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.type == "heading_open" and token.tag == "h2") or token.type == "footnote_block_open":
            if in_section:
                out.append(_html_token("</section>\n"))
                in_section = False
            if token.type == "heading_open" and tokens[index + 1].content.strip() in titles:
                before, after = opening(escapeHtml(str(token.attrs.get("id", ""))))
                out += [_html_token(before), *tokens[index:index + 3], _html_token(after)]
                in_section = True
                index += 3  # heading_open, inline, heading_close
                continue
        out.append(token)
        index += 1
    if in_section:
        out.append(_html_token("</section>\n"))
    return out


def _html_token(html_text: str) -> Token:
    token = Token("html_block", "", 0)
    token.content = html_text
    return token


def render_html(md: MarkdownIt, parsed: ParsedMarkdown, resolve_wikilink: WikiLinkResolver) -> str:
    """HTML for a parsed body; `md` is the instance from `make_markdown()` (one per build)."""
    out: str = md.renderer.render(parsed.tokens, md.options, {**parsed.env, "resolve_wikilink": resolve_wikilink})
    return out
