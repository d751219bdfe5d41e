"""Stage 4: parse every body once into markdown-it tokens; read headings and wikilinks off them.

Rendering to HTML happens later (render stage) from the same tokens, so `check` never renders.
Raw HTML is off (shown as text) and unsafe URL schemes never become links.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from mdit_py_plugins.footnote import footnote_plugin

from .diagnostics import Diagnostic, error, line_col
from .model import Content, Heading, ParsedMarkdown, RawDocument, WikiLink

WIKILINK_RE = re.compile(r"\[\[([^\[\]|#\n]+)(?:#([^\[\]|\n]+))?(?:\|([^\[\]\n]+))?\]\]")
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
# where a link destination starts: after `](`, in a reference definition `[x]: `, or in an autolink `<`
LINK_DESTINATION_RE = re.compile(r"\]\(\s*<?|^ {0,3}\[[^\]\n]+\]:[ \t]*<?|<", re.M)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
MARKDOWN_ESCAPE_RE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation
IMAGE_START_RE = re.compile(r"!\[")
WORD_RE = re.compile(r"\w+(?:['’]\w+)*")

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
    md.add_render_rule("wikilink", _render_wikilink)
    md.validateLink = _safe_url  # type: ignore[method-assign]  # markdown-it's documented hook
    return md


def parse_document(md: MarkdownIt, doc: RawDocument) -> tuple[ParsedMarkdown, list[Diagnostic]]:
    env: dict[str, Any] = {}
    tokens = md.parse(doc.body, env)
    body_lines = doc.body.split("\n")
    headings: list[Heading] = []
    links: list[WikiLink] = []
    words: list[str] = []
    diagnostics: list[Diagnostic] = []
    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            text = tokens[i + 1].content
            headings.append(Heading(int(token.tag[1]), text, str(token.attrs.get("id", ""))))
        if token.type != "inline" or not token.children:
            continue
        words.append(token.content)
        block_start, block_end = token.map or (0, len(body_lines))
        block_text = "\n".join(body_lines[block_start:block_end])
        located = iter(WIKILINK_RE.finditer(block_text))
        images = iter(IMAGE_START_RE.finditer(block_text))
        sentence_text, marks = _plain_with_marks(token.children)
        for child_index, child in enumerate(token.children):
            if child.type == "wikilink":
                found = next(located, None)
                line, col = line_col(block_text, found.start() if found else 0)
                links.append(WikiLink(child.meta["target"], child.meta["anchor"], child.meta["label"],
                                      doc.body_line + block_start + line - 1, col,
                                      _sentence_at(sentence_text, marks[child_index])))
            elif child.type == "image":
                found = next(images, None)
                if not child.content.strip():
                    line, col = line_col(block_text, found.start() if found else 0)
                    diagnostics.append(error(doc.file.path, doc.body_line + block_start + line - 1, col,
                                             "image-alt", "image has no alt text: write ![what it shows](url)"))
    for line, col, scheme, disguised in unsafe_links(doc.body):
        how = " (even spelled with character references or escapes)" if disguised else ""
        diagnostics.append(error(doc.file.path, doc.body_line + line - 1, col, "unsafe-link",
                                 f"'{scheme}' links are not allowed{how}"))
    plain = "\n".join(words)
    parsed = ParsedMarkdown(tokens, env, headings, links, plain, len(WORD_RE.findall(plain)))
    return parsed, diagnostics


def unsafe_links(body: str) -> list[tuple[int, int, str, bool]]:
    """(line, col, scheme, disguised) of each link to an unsafe scheme, at the URL as the author wrote it.

    The renderer drops these links anyway (`_safe_url`); this tells the author. markdown-it decodes
    `&#106;`-style references and backslash escapes in a link destination before judging it, so
    each destination is judged decoded too (autolinks take neither, so they are judged as written).
    """
    found = []
    for match in LINK_DESTINATION_RE.finditer(body):
        rest = body[match.end():match.end() + 80].split("\n", 1)[0]
        written = rest.lstrip()
        decoded = written if match[0] == "<" else html.unescape(MARKDOWN_ESCAPE_RE.sub("", written))
        scheme = next((s for s in UNSAFE_SCHEMES if decoded.lower().startswith(s)), None)
        if scheme:
            line, col = line_col(body, match.end() + len(rest) - len(written))
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


def _sentence_at(text: str, offset: int) -> str:
    start = 0
    for match in SENTENCE_END_RE.finditer(text):
        if match.end() > offset:
            return text[start : match.start()].strip()
        start = match.end()
    return text[start:].strip()


def parse_all(content: Content) -> tuple[dict[tuple[str, str], ParsedMarkdown], list[Diagnostic]]:
    md = make_markdown()
    parsed: dict[tuple[str, str], ParsedMarkdown] = {}
    diagnostics: list[Diagnostic] = []
    for item in content.documents():
        result, found = parse_document(md, item.doc)
        parsed[(item.doc.file.kind, item.doc.file.slug)] = result
        diagnostics += found
    return parsed, diagnostics


def render_html(md: MarkdownIt, parsed: ParsedMarkdown, resolve_wikilink: WikiLinkResolver) -> str:
    """HTML for a parsed body; `md` is the instance from `make_markdown()` (one per build)."""
    out: str = md.renderer.render(parsed.tokens, md.options, {**parsed.env, "resolve_wikilink": resolve_wikilink})
    return out
