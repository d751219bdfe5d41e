"""Blog exports in Markdown (WordPress, Hugo, Jekyll): front matter, WordPress block comments, raw
HTML, template tags. The result is plain CommonMark split at the essay's top-level headings.

WordPress paragraphs that carry their own colour or font size, in a post where other paragraphs do
not, are the quoted reader e-mail of a Q&A post; they are kept as blockquotes.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
import tomllib
from dataclasses import dataclass, replace
from typing import Any

import frontmatter
import yaml

from ..schema import slugify
from .model import LEAD_TITLE, Essay, Section
from .text import LIST_ITEM, drop_closing_calls, short_title

# --- front matter -----------------------------------------------------------------------------

YAML_FRONT = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
TOML_FRONT = re.compile(r"\A\+\+\+[ \t]*\n(.*?)\n\+\+\+[ \t]*(?:\n|\Z)", re.DOTALL)


class FrontMatterError(ValueError):
    """Front matter that is there but cannot be read; the file is reported, not guessed at."""


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """(metadata, body) from YAML (Jekyll, WordPress exports) or TOML (Hugo) front matter."""
    if match := TOML_FRONT.match(text):
        try:
            return tomllib.loads(match.group(1)), text[match.end():]
        except tomllib.TOMLDecodeError as exc:
            raise FrontMatterError(f"TOML front matter is not valid: {exc}") from exc
    if YAML_FRONT.match(text):
        try:
            post = frontmatter.loads(text)
        except yaml.YAMLError as exc:
            raise FrontMatterError(f"YAML front matter is not valid: {str(exc).splitlines()[0]}") from exc
        return dict(post.metadata), post.content
    return {}, text


# --- WordPress blocks -------------------------------------------------------------------------

WP_COMMENT = re.compile(r"<!--\s*(/?)wp:([a-z0-9/-]+)(\s+\{.*?\})?\s*(/?)\s*-->", re.DOTALL)
STYLE_KEYS = {"textColor", "backgroundColor", "fontSize", "style", "customTextColor", "customFontSize"}


@dataclass(frozen=True)
class Block:
    """A piece of the post as Markdown; `styled` marks a paragraph with its own colour or size."""

    markdown: str
    styled: bool = False


def wp_blocks(body: str) -> list[Block]:
    """The post's blocks, in order, each converted to Markdown; empty blocks are dropped."""
    blocks: list[Block] = []
    stack: list[tuple[str, dict[str, Any]]] = []  # open blocks: name, attributes
    last = 0
    for match in [*WP_COMMENT.finditer(body), None]:
        chunk = body[last:match.start() if match else len(body)]
        markdown = html_to_markdown(chunk)
        if markdown:
            inside = stack[-1][1] if stack else {}
            blocks.append(Block(markdown, bool(STYLE_KEYS & inside.keys())))
        if match is None:
            break
        last = match.end()
        closing, name, raw_attrs, self_closing = match.groups()
        if closing:
            while stack and stack.pop()[0] != name:
                pass
        elif not self_closing:
            stack.append((name, _attrs(raw_attrs)))
    return blocks


def _attrs(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


def assemble(blocks: list[Block]) -> tuple[str, bool]:
    """Join blocks into one Markdown text; styled paragraphs become blockquotes when the post also
    has plain ones. Returns the text and whether any quote was made."""
    quoting = any(b.styled for b in blocks) and not all(b.styled for b in blocks)
    parts: list[str] = []
    previous_quoted = False
    for block in blocks:
        quoted = quoting and block.styled
        text = quote(block.markdown) if quoted else block.markdown
        if quoted and previous_quoted:
            parts[-1] += "\n>\n" + text
        else:
            parts.append(text)
        previous_quoted = quoted
    return "\n\n".join(parts), quoting


def quote(markdown: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in markdown.split("\n"))


# --- HTML and template tags -------------------------------------------------------------------

HTML_TAGS = set("""a abbr address article aside b blockquote body br caption center cite code col colgroup dd del
details dfn div dl dt em figcaption figure font footer h1 h2 h3 h4 h5 h6 head header hr html i iframe img ins kbd
li main mark nav ol p picture pre q s section small source span strong sub summary sup table tbody td tfoot th
thead time tr u ul video""".split())
TEMPLATE_TAG = re.compile(r"\{%-?.*?-?%\}|\{\{[<%].*?[>%]\}\}", re.DOTALL)


def html_to_markdown(fragment: str) -> str:
    """Raw HTML (as WordPress and some Hugo posts carry it) as Markdown. Tags that are not HTML,
    like a redacted '<Company name>', are escaped so they stay visible."""
    text = re.sub(r"<!--.*?-->", "", fragment, flags=re.DOTALL)
    text = TEMPLATE_TAG.sub("", text)
    text = re.sub(r"<pre[^>]*>\s*(?:<code[^>]*>)?(.*?)(?:</code>)?\s*</pre>",
                  lambda m: "\n\n```\n" + html.unescape(m.group(1)).strip("\n") + "\n```\n\n", text, flags=re.S)
    text = re.sub(r"<h([1-6])[^>]*>(.*?)</h\1\s*>",
                  lambda m: "\n\n" + "#" * int(m.group(1)) + " " + _one_line(m.group(2)) + "\n\n", text, flags=re.S)
    text = re.sub(r"<blockquote[^>]*>(.*?)</blockquote\s*>",
                  lambda m: "\n\n" + quote(html_to_markdown(m.group(1))) + "\n\n", text, flags=re.S)
    text = _lists(text)
    text = re.sub(r"</?p(?:\s[^>]*)?>|<hr[^>]*>", "\n\n", text)
    text = re.sub(r"<br\s*/?>", "\n", text)
    text = _inline(text)
    text = re.sub(r"</?([A-Za-z][\w-]*)(?:\s[^<>]*)?/?>",
                  lambda m: "" if m.group(1).lower() in HTML_TAGS else m.group(0), text)
    text = html.unescape(text).replace("\u00a0", " ")
    text = re.sub(r"<(?=[A-Za-z/!?])(?![A-Za-z][\w+.-]*:[^\s<>]*>)", r"\\<", text)
    return _tidy(text)


def _lists(text: str) -> str:
    def items(match: re.Match[str]) -> str:
        marker = "1." if match.group(1).lower() == "ol" else "-"
        found = re.findall(r"<li[^>]*>(.*?)</li\s*>", match.group(2), flags=re.S)
        return "\n\n" + "\n".join(f"{marker} {_one_line(item)}" for item in found) + "\n\n"

    return re.sub(r"<(ul|ol)[^>]*>(.*?)</\1\s*>", items, text, flags=re.S | re.I)


def _inline(text: str) -> str:
    text = re.sub(r"<(strong|b)(?:\s[^>]*)?>(.*?)</\1\s*>", r"**\2**", text, flags=re.S)
    text = re.sub(r"<(em|i)(?:\s[^>]*)?>(.*?)</\1\s*>", r"*\2*", text, flags=re.S)
    text = re.sub(r"<code[^>]*>(.*?)</code\s*>", r"`\1`", text, flags=re.S)
    text = re.sub(r"<a\s[^>]*?href=[\"']([^\"']*)[\"'][^>]*>(.*?)</a\s*>", r"[\2](\1)", text, flags=re.S)
    return re.sub(r"<img\s[^>]*?src=[\"']([^\"']*)[\"'](?:[^>]*?alt=[\"']([^\"']*)[\"'])?[^>]*>", r"![\2](\1)", text)


def _one_line(fragment: str) -> str:
    return " ".join(html.unescape(_inline(re.sub(r"<br\s*/?>|</?p[^>]*>", " ", fragment))).split())


def _tidy(text: str) -> str:
    """Trim lines, drop whitespace-only paragraphs and collapse runs of blank lines."""
    lines = [re.sub(r"(?<=\S) {2,}(?=\S)", " ", line.rstrip()) for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- sections ---------------------------------------------------------------------------------

ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")


def headings(markdown: str) -> list[tuple[int, int, str]]:
    """(line index, level, text) of every ATX heading outside fenced code."""
    found, fenced = [], False
    for index, line in enumerate(markdown.split("\n")):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and (match := ATX.match(line)):
            found.append((index, len(match.group(1)), plain(match.group(2))))
    return found


def plain(heading: str) -> str:
    """A heading's text without emphasis or link markup."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)
    return re.sub(r"[*_`]+", "", text).strip()


def split_sections(markdown: str, title: str) -> tuple[str | None, list[Section]]:
    """Sections at the top heading level. A lone leading '# Title' is the post's title, not a
    section; it is returned so the caller can use it when front matter has none."""
    lines = markdown.split("\n")
    found = headings(markdown)
    h1 = None
    if found and found[0][1] == 1 and sum(1 for h in found if h[1] == 1) == 1 \
            and not "\n".join(lines[:found[0][0]]).strip():
        h1 = found[0][2]
        lines[found[0][0]] = ""
        found = found[1:]
    level = min((h[1] for h in found), default=0)
    cuts = [h for h in found if h[1] == level]
    bounds = [(None, 0)] + [(text, index + 1) for index, _, text in cuts]
    sections = []
    for n, (heading, start) in enumerate(bounds):
        end = cuts[n][0] if n < len(cuts) else len(lines)
        body = "\n".join(lines[start:end]).strip()
        if body:
            sections.append(Section(heading or (LEAD_TITLE if cuts else title or h1 or ""), body + "\n",
                                    from_heading=bool(heading or not cuts)))
    return h1, sections


# --- the essay --------------------------------------------------------------------------------

QA_LABELS = {"q-and-a", "qa", "q-a", "ama", "ask-me-anything", "mailbag", "reader-questions", "questions"}


def parse(text: str) -> Essay:
    """Read a Markdown/WordPress post into sections of CommonMark."""
    meta, body = split_front_matter(text)
    if "<!-- wp:" in body:
        markdown, quoted = assemble(wp_blocks(body))
    else:
        markdown, quoted = html_to_markdown_keep(body), False
    title = _text(meta.get("title"))
    h1, sections = split_sections(markdown, title or "")
    title = title or h1 or (short_title(_first_words(markdown)) if markdown else "")
    sections = drop_closing_calls_md([replace(s, title=s.title or title) for s in sections])
    labels = {slugify(x) for key in ("tags", "categories") for x in _list(meta.get(key))}
    return Essay(
        title=title, format="markdown", sections=sections,
        source_format="q-and-a" if quoted or labels & QA_LABELS else "blog-post",
        subtitle=_text(meta.get("subtitle") or meta.get("description")),
        author=_author(meta), date=_date(meta), url=_url(meta),
        tags=[slugify(t) for t in _list(meta.get("tags")) if slugify(t)],
    )


FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)


def drop_closing_calls_md(sections: list[Section]) -> list[Section]:
    """Remove 'read all my posts' and sign-up paragraphs from the end of the last section."""
    if not sections:
        return sections
    last = sections[-1]
    blocks = drop_closing_calls(last.body_markdown.strip().split("\n\n"))
    body = "\n\n".join(blocks).strip()
    return sections[:-1] + ([replace(last, body_markdown=body + "\n")] if body else [])


def html_to_markdown_keep(body: str) -> str:
    """Markdown that may carry some raw HTML: convert the HTML outside fenced code, keep the rest."""
    parts, last = [], 0
    for match in FENCE.finditer(body):
        parts += [html_to_markdown(body[last:match.start()]), match.group(0)]
        last = match.end()
    parts.append(html_to_markdown(body[last:]))
    return _tidy("\n\n".join(p for p in parts if p))


def _first_words(markdown: str) -> str:
    return next((line for line in markdown.split("\n") if line.strip() and not LIST_ITEM.match(line)), "")


def _text(value: object) -> str | None:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) and str(value).strip() else None


def _list(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return [str(v) for v in value] if isinstance(value, list) else []


def _author(meta: dict[str, Any]) -> str | None:
    value = meta.get("author") or meta.get("authors") or meta.get("by")
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return _text(value)


def _date(meta: dict[str, Any]) -> dt.date | None:
    value = meta.get("date") or meta.get("published") or meta.get("pubDate")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _url(meta: dict[str, Any]) -> str | None:
    for key in ("url", "canonical_url", "canonicalURL", "permalink", "link"):
        value = meta.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return None
