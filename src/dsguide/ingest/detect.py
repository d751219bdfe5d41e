"""Which format a text is in, judged from the text alone, with the evidence in words.

Each format has a scorer that returns points and the signals it saw. The highest score wins
(ties go to the earlier format in FORMATS); the winner's signals are the reason the table shows,
so a curator can tell at a glance why a file was read the way it was.
"""

from __future__ import annotations

import re

from . import essay, markdown, newsletter, thread
from .model import FORMATS, Detection
from .text import (
    BULLET,
    CALL_TO_ACTION,
    TAIL_HEADINGS,
    is_boilerplate,
    looks_like_heading,
    looks_like_title,
    paragraphs,
    strip_footnote_marks,
    word_count,
)

MIN_WORDS = 40
MIN_SCORE = 3
POST_LIMIT = 300  # characters: a post on any microblog fits, an essay's paragraphs rarely do
Signals = tuple[int, list[str]]


def detect(text: str) -> Detection:
    """The format to read `text` with, or format None and why nothing fits."""
    words = word_count(text)
    if words < MIN_WORDS:
        return Detection(None, f"only {words} word{'s' * (words != 1)}; an essay needs at least {MIN_WORDS}")
    scored = [(SCORERS[name](text), name) for name in FORMATS]
    (points, signals), name = max(scored, key=lambda item: (item[0][0], -FORMATS.index(item[1])))
    if points < MIN_SCORE:
        return Detection(None, "no title line, headings, front matter, masthead or thread posts found")
    return Detection(name, "; ".join(signals))


def score_markdown(text: str) -> Signals:
    points, signals = 0, []
    if markdown.TOML_FRONT.match(text) or markdown.YAML_FRONT.match(text):
        keys = re.findall(r"^([A-Za-z_]\w*)\s*[:=]", text.split("\n---", 1)[0].split("\n+++", 1)[0], re.M)
        points += 10
        signals.append(f"front matter ({', '.join(keys[:5])})" if keys else "front matter")
    if blocks := len(re.findall(r"<!--\s*wp:", text)):
        points += 10
        signals.append(f"{blocks} WordPress block comments")
    if atx := len(re.findall(r"^#{1,6}\s+\S", text, re.M)):
        points += min(atx, 3)
        signals.append(f"{atx} Markdown heading{'s' * (atx != 1)}")
    if tags := len(re.findall(r"<h[1-6][\s>]", text, re.I)):
        points += min(tags, 3)
        signals.append(f"{tags} HTML heading{'s' * (tags != 1)}")
    if links := len(re.findall(r"\]\((?:https?://|/)", text)):
        points += 1
        signals.append(f"{links} Markdown link{'s' * (links != 1)}")
    return points, signals


def score_newsletter(text: str) -> Signals:
    points, signals = 0, []
    paras = paragraphs(text)
    if paras and newsletter.MASTHEAD.match(paras[0]):
        points += 5
        signals.append(f"masthead '{paras[0].strip()}' on the first line")
    if runs := newsletter.bullet_runs(paras):
        items = sum(end - start for start, end in runs)
        points += 2
        signals.append(f"reading list of {items} '•' items")
    if any(is_boilerplate(p) and re.search(r"reply|comment|email", p, re.I) for p in paras):
        points += 2
        signals.append("comment-form boilerplate")
    return points, signals


def score_thread(text: str) -> Signals:
    points, signals = 0, []
    lines = [line for line in text.split("\n") if line.strip()]
    if separators := sum(1 for line in lines if thread.SEPARATOR.match(line)):
        points += 4
        signals.append(f"{separators} thread separator{'s' * (separators != 1)} ('• • •')")
    if any(is_boilerplate(line) and re.search(r"tweet|thread|refresh", line, re.I) for line in lines):
        points += 5
        signals.append("thread-export boilerplate")
    numbered = sum(1 for line in lines if re.match(r"^\(?\d{1,3}(?:[.)]|/\d*)\s", line))
    if numbered >= 3:
        points += 1
        signals.append(f"{numbered} numbered posts")
    if len(lines) >= 10 and all(len(line) <= POST_LIMIT for line in lines):
        points += 2
        signals.append(f"every post at most {POST_LIMIT} characters")
    return points, signals


def score_essay(text: str) -> Signals:
    points, signals = 0, []
    paras = paragraphs(text)
    if paras and looks_like_title(paras[0]):
        points += 2
        signals.append("title on the first line")
    if sum(1 for p in paras if word_count(p) >= 25) >= 3:
        points += 2
        signals.append("prose paragraphs")
    body = essay.split_front(paras)[-1]
    heads = [p for p in body if looks_like_heading(p) and not TAIL_HEADINGS.match(p.strip())]
    if heads:
        points += min(len(heads), 3)
        signals.append(f"{len(heads)} short heading line{'s' * (len(heads) != 1)}")
    if strip_footnote_marks(paras)[1] >= 2:
        points += 1
        signals.append("footnote numbers glued to words")
    if any(TAIL_HEADINGS.match(p.strip()) or CALL_TO_ACTION.search(p) for p in paras[-12:]) \
            and not any(BULLET.match(p) for p in paras):
        signals.append("author/subscribe tail")
    return points, signals


SCORERS = {"markdown": score_markdown, "newsletter": score_newsletter, "thread": score_thread,
           "essay": score_essay}
