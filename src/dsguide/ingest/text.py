"""Plain-text helpers every format parser shares: paragraphs, headings, footnote marks, boilerplate.

Essays arrive as text copied out of a browser or an export, so the same problems recur in every
format: one line per paragraph or hard-wrapped lines, headings that are just short lines, footnote
numbers glued to words, and sign-up or comment-form text at the end.
"""

from __future__ import annotations

import datetime as dt
import re

# --- normalising ------------------------------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060"), None)


def normalise(text: str) -> str:
    """One newline convention, no BOM or zero-width characters, no trailing spaces: parsers can
    then compare lines without caring where the text was copied from."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_INVISIBLE)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return "\n".join(line.rstrip() for line in text.split("\n"))


def word_count(text: str) -> int:
    return len(re.findall(r"\w+(?:['’]\w+)*", text))


# --- paragraphs and lists ---------------------------------------------------------------------

LIST_ITEM = re.compile(r"^\s*(?:[-*•‣◦▪]|\d{1,3}[.)])\s+")
BULLET = re.compile(r"^\s*[•‣◦▪]\s*")
WRAP_WIDTH = 100


def is_list_item(line: str) -> bool:
    return bool(LIST_ITEM.match(line))


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs.

    Copied web text has one paragraph per line; hard-wrapped text (no line longer than
    WRAP_WIDTH, blank lines between paragraphs) has to have its lines joined again. List items
    always start a paragraph of their own.
    """
    lines = text.split("\n")
    wrapped = "" in [line.strip() for line in lines] and max((len(x) for x in lines), default=0) <= WRAP_WIDTH
    out: list[str] = []
    joinable = False
    for line in lines:
        stripped = line.strip()
        if not stripped:
            joinable = False
            continue
        if wrapped and joinable and not is_list_item(line):
            out[-1] = f"{out[-1]} {stripped}"
        else:
            out.append(line.rstrip() if is_list_item(line) else stripped)
        joinable = wrapped
    return out


# --- headings ---------------------------------------------------------------------------------

HEADING_MAX_WORDS = 12
HEADING_MAX_CHARS = 90
# Short lines that open with these continue the previous paragraph's thought; headings rarely do.
_CONTINUATIONS = {"but", "and", "so", "or", "yet", "okay", "ok", "well", "anyway", "also", "plus"}


def starts_with_emoji(text: str) -> bool:
    return bool(text) and (0x1F000 <= ord(text[0]) <= 0x1FAFF or 0x2600 <= ord(text[0]) <= 0x27BF)


def looks_like_heading(line: str) -> bool:
    """A section heading in plain text: a short line that does not end like a sentence.

    A question or exclamation counts ("To code or not to code?") unless it opens like a
    continuation ("But how…?"), which is a paragraph that happens to be short.
    """
    text = line.strip()
    words = text.split()
    if not words or len(words) > HEADING_MAX_WORDS or len(text) > HEADING_MAX_CHARS:
        return False
    if is_list_item(text) or starts_with_emoji(text) or not (text[0].isupper() or re.match(r"\d+ [^\W\d_]", text)):
        return False
    if text[-1] in ".,;:…)\"”'’" or re.search(r"[.!?]\s", text):
        return False
    if text[-1] in "?!":
        return words[0].strip(",").lower() not in _CONTINUATIONS
    return True


def looks_like_title(line: str) -> bool:
    """An essay's first line: a short line that is not a sentence ending in a full stop."""
    text = line.strip()
    return 0 < word_count(text) <= 20 and len(text) <= 160 and not text.endswith((".", ",", ";", ":"))


def short_title(text: str, max_words: int = 8) -> str:
    """A stand-in title from the opening words of a text that has none (a thread, an unheaded part)."""
    first = re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0]
    first = LIST_ITEM.sub("", first)
    words = first.split()
    if len(words) <= max_words:
        return first.rstrip(".:;,")
    return " ".join(words[:max_words]).rstrip(".:;,—–-") + "…"


# --- footnote marks ---------------------------------------------------------------------------

# A number glued to the end of a lowercase word or a closing mark ("learners1", "work.3"), followed
# by a space, punctuation or the end of the line. Capitals before it mean an acronym (F1, COVID19).
_FOOTNOTE_MARK = re.compile(r"(?<=[a-z)\]\"”’'.,;:!?])(\d{1,2})(?=[\s.,;:!?)\"”’']|$)")


def strip_footnote_marks(paras: list[str]) -> tuple[list[str], int]:
    """Remove glued footnote numbers, returning the paragraphs and how many marks were removed.

    Only a run 1, 2, 3… in reading order counts as footnotes, so a stray 'python3' or 'web3'
    survives unless it happens to be the next number expected.
    """
    expected = 1
    out = []
    for para in paras:
        pieces, last = [], 0
        for match in _FOOTNOTE_MARK.finditer(para):
            if int(match.group(1)) != expected:
                continue
            pieces.append(para[last:match.start()])
            last = match.end()
            expected += 1
        out.append("".join(pieces) + para[last:])
    return out, expected - 1


_FOOTNOTE_LINE = re.compile(r"^\[?(\d{1,2})[\].)]?\s+\S")


def strip_footnote_lines(paras: list[str], marks: int) -> list[str]:
    """Drop a closing block of footnote texts numbered 1..marks (as in '1 See…' or '[2] …')."""
    if not marks or len(paras) < marks:
        return paras
    tail = paras[-marks:]
    numbers = [m.group(1) for m in map(_FOOTNOTE_LINE.match, tail) if m]
    return paras[:-marks] if numbers == [str(n) for n in range(1, marks + 1)] else paras


# --- boilerplate ------------------------------------------------------------------------------

# Headings after which a blog post or newsletter has only its colophon: thanks, author bio,
# subscribe box, footnote texts. Everything from such a heading to the end is dropped.
TAIL_HEADINGS = re.compile(
    r"^(acknowledge?ments?|about (this|the) (newsletter|author|blog)|about me|footnotes|end ?notes|notes|"
    r"references|further reading|share this( post)?|subscribe|related( posts)?|comments?|"
    r"like this|leave a (reply|comment)|thanks|thank you|thanks for reading)\W*$",
    re.IGNORECASE,
)

# Calls to action that close an essay ("sign up below…", "subscribe…").
CALL_TO_ACTION = re.compile(
    r"\b(sign up|subscribe|subscribing|to your inbox|share this (post|article)|buy me a coffee|"
    r"see you next (week|time|month)|until next (week|time)|(all|more) of (these|my|our) (posts|articles|essays))\b",
    re.IGNORECASE)

# Comment forms and export footers: whole paragraphs that are never part of the essay.
BOILERPLATE = [re.compile(p, re.IGNORECASE) for p in (
    r"^leave a (reply|comment)\W*$",
    r"^your email address will not be published\b",
    r"^required fields are marked\b",
    r"^(post comment|cancel reply|share this:?|like this:?|related|loading\.*)\W*$",
    r"\bcomment section below\b",
    r"^that does it for this (week|month)'?s? issue\b",
    r"^missing some tweet in this thread\b",
    r"^force a refresh\W*$",
    r"^(thread reader app|keep current with|this thread may be removed)\b",
    r"^(enjoyed|enjoying) this thread\?",
)]


def is_boilerplate(para: str) -> bool:
    return any(p.search(para.strip()) for p in BOILERPLATE)


def cut_tail(paras: list[str]) -> list[str]:
    """Everything before the first colophon heading (acknowledgements, about, footnotes…)."""
    for index, para in enumerate(paras):
        if index and TAIL_HEADINGS.match(para.strip()):
            return paras[:index]
    return paras


def drop_closing_calls(paras: list[str]) -> list[str]:
    """Remove sign-up and 'tell me what you think' paragraphs from the end of an essay."""
    out = list(paras)
    while out and (CALL_TO_ACTION.search(out[-1]) or starts_with_emoji(out[-1]) or is_boilerplate(out[-1])):
        out.pop()
    return out


# --- bylines ----------------------------------------------------------------------------------

_BYLINE = re.compile(r"^(?:by|written by|author:)\s+([A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})\s*$", re.IGNORECASE)
_MONTHS = ("january february march april may june july august september october november december").split()


def parse_byline(line: str) -> str | None:
    match = _BYLINE.match(line.strip())
    return match.group(1) if match else None


def parse_date(line: str) -> dt.date | None:
    """A date on a line of its own: 2021-04-11, 11 April 2021, April 11, 2021 (or 'Apr 11, 2021')."""
    text = line.strip().rstrip(".")
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        return _date(int(match[1]), int(match[2]), int(match[3]))
    if match := re.fullmatch(r"(\d{1,2}) ([A-Za-z]{3,9})\.? (\d{4})", text):
        return _date(int(match[3]), _month(match[2]), int(match[1]))
    if match := re.fullmatch(r"([A-Za-z]{3,9})\.? (\d{1,2}),? (\d{4})", text):
        return _date(int(match[3]), _month(match[1]), int(match[2]))
    return None


def _month(name: str) -> int:
    name = name.lower()
    return next((i + 1 for i, m in enumerate(_MONTHS) if m.startswith(name[:3])), 0)


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


# --- Markdown out -----------------------------------------------------------------------------

def to_markdown(para: str) -> str:
    """One plain-text paragraph as Markdown: bullets become '-' items, and characters that
    Markdown would read as syntax at the start of a line ('#', '>') or as an HTML tag are escaped."""
    text = BULLET.sub("- ", para.strip()) if BULLET.match(para) else para.strip()
    text = re.sub(r"^(#+|>)", r"\\\1", text)
    return re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)


def join_markdown(blocks: list[str]) -> str:
    """Blocks separated by blank lines, except that neighbouring list items stay one tight list."""
    out: list[str] = []
    for block in blocks:
        if out and is_list_item(block) and is_list_item(out[-1].rsplit("\n", 1)[-1]):
            out[-1] += "\n" + block
        else:
            out.append(block)
    return "\n\n".join(out).strip() + "\n" if out else ""
