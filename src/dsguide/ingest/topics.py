"""Suggest topics for a text from the `keywords` each site.yaml topic lists.

A suggestion is only a hint for the curator, so it carries its evidence (which keywords matched,
how often) and needs a minimum of it: one stray 'manager' does not make a note about management.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import replace

from ..config import Topic
from .model import TopicSuggestion

MIN_HITS = 3          # keyword occurrences a topic needs in the text …
MIN_KEYWORDS = 2      # … spread over at least this many different keywords
MIN_SHARE = 0.25      # and at least this share of the best topic's hits, so the runners-up are close
MAX_TOPICS = 3        # notes take 1-3 topics
HEADING_WEIGHT = 3    # a keyword in the heading counts this many times


@functools.lru_cache(maxsize=512)
def keyword_pattern(keyword: str) -> re.Pattern[str]:
    """Whole words, any case; the words of a phrase may be split by any whitespace or a line break."""
    words = [re.escape(w) for w in keyword.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


def searchable(markdown: str) -> str:
    """The words a reader sees: link targets and image addresses would match keywords by accident."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", markdown)
    return re.sub(r"https?://\S+", " ", text)


def evidence(text: str, topics: Iterable[Topic]) -> list[TopicSuggestion]:
    """Every topic with at least one keyword in `text`, in site.yaml order, with its counts."""
    text = searchable(text)
    found = []
    for topic in topics:
        counts = {k: n for k in topic.keywords if (n := len(keyword_pattern(k).findall(text)))}
        if counts:
            ordered = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0].lower())))
            found.append(TopicSuggestion(topic.slug, ordered))
    return found


def suggest(text: str, topics: Iterable[Topic], *, heading: str = "", min_hits: int = MIN_HITS,
            min_keywords: int = MIN_KEYWORDS, min_share: float = MIN_SHARE,
            limit: int = MAX_TOPICS) -> list[TopicSuggestion]:
    """The topics with enough evidence, best first: most hits, then most distinct keywords, then
    site.yaml order, so the same text always gets the same suggestions.

    A keyword in the section's `heading` counts HEADING_WEIGHT times and stands in for the second
    distinct keyword: a section called 'Burnout is real' is about burnout even if its body says
    'exhausting' rather than 'exhausted'.
    """
    topics = list(topics)
    order = {t.slug: i for i, t in enumerate(topics)}
    titled = {s.slug: s for s in evidence(heading, topics)} if heading else {}
    found = evidence(f"{heading}\n{text}", topics)

    def weight(s: TopicSuggestion) -> int:
        return s.hits + (HEADING_WEIGHT - 1) * (titled[s.slug].hits if s.slug in titled else 0)

    found = [replace(s, in_heading=tuple(titled[s.slug].evidence)) if s.slug in titled else s for s in found]
    ranked = sorted(found, key=lambda s: (-weight(s), -len(s.evidence), order[s.slug]))
    best = weight(ranked[0]) if ranked else 0
    return [s for s in ranked if weight(s) >= min_hits and weight(s) >= min_share * best
            and (len(s.evidence) >= min_keywords or s.slug in titled)][:limit]
