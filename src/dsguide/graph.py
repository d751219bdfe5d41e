"""Stage 5: connect the content: wikilinks, sources ↔ notes, topics, tags, backlinks, related notes, paths.

The output `Site` is everything render needs. Link problems are errors with their location;
content-health findings (orphans, dead ends…) are separate warnings that `check` adds.
"""

from __future__ import annotations

import datetime as dt
import heapq
import math
import re
from collections import Counter, defaultdict

from .config import SiteConfig
from .diagnostics import Diagnostic, error, warning
from .markdown import WIKILINK_RE, heading_anchor
from .model import Backlink, Content, Note, ParsedMarkdown, PathPosition, Site
from .schema import did_you_mean
from .validate import stale_reviews

RELATED_COUNT = 5
TERMS_PER_NOTE = 40
TOKEN_RE = re.compile(r"[a-z][a-z0-9'-]{2,}")
STOPWORDS = frozenset(
    "the and for that this with you your are was were but not have has had they them their what when "
    "which who why how can will would could should about into from than then there these those our "
    "out its it's also more most some such only other very just been being one two all any each may "
    "might like get got make made does did doing over under after before because while where here "
    "well much many even still own same too off let lot lots it’s you’re don't isn't".split()
)


def build_graph(
    config: SiteConfig,
    content: Content,
    markdown: dict[tuple[str, str], ParsedMarkdown],
    *,
    include_drafts: bool = False,
) -> tuple[Site, list[Diagnostic]]:
    if not include_drafts:
        drafts = {n.slug for n in content.notes if n.draft}
        content = Content(tuple(n for n in content.notes if not n.draft), content.sources, content.paths,
                          content.pages, content.claimed)
    else:
        drafts = set()
    notes = {n.slug: n for n in content.notes}
    sources = {s.id: s for s in content.sources}
    claimed_notes = content.claimed.get("note", frozenset())
    diagnostics: list[Diagnostic] = []

    def note_exists(slug: str, path: str, line: int, col: int, what: str) -> bool:
        if slug in notes:
            return True
        if slug in drafts:
            diagnostics.append(error(path, line, col, "draft-link",
                                     f"{what} is a draft note (build with --drafts, or publish it)"))
        elif slug not in claimed_notes:  # a note that exists but failed validation was reported already
            diagnostics.append(error(path, line, col, "broken-link", f"{what} names no note"
                                     f"{did_you_mean(slug, sorted(claimed_notes))}"))
        return False

    # wikilinks in every document, with backlinks for notes
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    links_out: dict[str, set[str]] = defaultdict(set)
    for item in content.documents():
        file = item.doc.file
        for link in markdown[(file.kind, file.slug)].wikilinks:
            if not note_exists(link.target, file.path, link.line, link.col, "[[" + link.target + "]]"):
                continue
            if link.anchor is not None:
                anchors = {h.anchor for h in markdown[("note", link.target)].headings}
                if heading_anchor(link.anchor) not in anchors:
                    diagnostics.append(error(file.path, link.line, link.col, "broken-anchor",
                                             f"[[{link.target}#{link.anchor}]]: '{link.target}' has no "
                                             f"heading '{link.anchor}'"
                                             f"{did_you_mean(heading_anchor(link.anchor), sorted(anchors))}"))
            if file.kind == "note" and link.target != file.slug:
                if link.target not in links_out[file.slug]:
                    backlinks[link.target].append(Backlink(file.slug, link.sentence))
                links_out[file.slug].add(link.target)

    # sources and sections
    notes_by_source: dict[str, list[str]] = defaultdict(list)
    for note in content.notes:
        for ref in note.sources:
            if ref.source not in sources:
                diagnostics.append(error(note.doc.file.path, ref.line, ref.col, "unknown-source",
                                         f"unknown source '{ref.source}'{did_you_mean(ref.source, sorted(sources))}"))
                continue
            if note.slug not in notes_by_source[ref.source]:
                notes_by_source[ref.source].append(note.slug)
            sections = sources[ref.source].sections
            if ref.section and sections and ref.section not in sections:
                diagnostics.append(warning(note.doc.file.path, ref.line, ref.col, "unknown-section",
                                           f"source '{ref.source}' lists no section '{ref.section}'"
                                           f"{did_you_mean(ref.section, sections)}"))
        for index, slug in enumerate(note.related):
            line, col = note.doc.meta.where(("related", index))
            note_exists(slug, note.doc.file.path, line, col, f"related note '{slug}'")

    # reading paths
    path_positions: dict[str, list[PathPosition]] = defaultdict(list)
    for reading_path in content.paths:
        for index, step in enumerate(reading_path.steps):
            if note_exists(step.note, reading_path.doc.file.path, step.line, step.col,
                           f"path step '{step.note}'"):
                path_positions[step.note].append(PathPosition(reading_path.id, index))

    by_topic: dict[str, list[str]] = {t.slug: [] for t in config.topics}
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_audience: dict[str, list[str]] = {a.slug: [] for a in config.audiences}
    for note in content.notes:
        for topic in note.topics:
            by_topic[topic].append(note.slug)
        for tag in note.tags:
            by_tag[tag].append(note.slug)
        for audience in note.audience:
            by_audience[audience].append(note.slug)

    titled = {slug: tuple(Backlink(b.source_slug, _titled(b.sentence, notes)) for b in items)
              for slug, items in backlinks.items()}
    site = Site(
        config=config,
        content=content,
        markdown=markdown,
        notes_by_topic={k: tuple(v) for k, v in by_topic.items()},
        notes_by_tag={k: tuple(v) for k, v in sorted(by_tag.items())},
        notes_by_audience={k: tuple(v) for k, v in by_audience.items()},
        notes_by_source={k: tuple(v) for k, v in sorted(notes_by_source.items())},
        backlinks={k: tuple(sorted(v, key=lambda b: b.source_slug)) for k, v in sorted(titled.items())},
        related=related_notes(content.notes, markdown),
        path_positions={k: tuple(v) for k, v in sorted(path_positions.items())},
        include_drafts=include_drafts,
        notes_by_slug=notes,
        links_out={k: tuple(sorted(v)) for k, v in sorted(links_out.items())},
    )
    return site, diagnostics


def _titled(sentence: str, notes: dict[str, Note]) -> str:
    """Replace the [[slug]] placeholders the markdown stage left in a sentence with note titles."""
    return WIKILINK_RE.sub(lambda m: notes[m[1]].title if m[1] in notes else m[1], sentence)


def health_warnings(site: Site) -> list[Diagnostic]:
    """Content that builds but serves readers poorly: orphans, dead ends, lonely tags, notes in no path."""
    out: list[Diagnostic] = []
    tag_counts = Counter(tag for note in site.content.notes for tag in note.tags)
    for note in site.content.notes:
        path = note.doc.file.path
        linked_in = bool(site.backlinks.get(note.slug))
        linked_out = bool(site.links_out.get(note.slug))
        if not linked_in and not linked_out:
            out.append(warning(path, 0, 0, "orphan", "no note links here and it links nowhere"))
        elif not linked_out:
            out.append(warning(path, 0, 0, "dead-end", "links to no other note"))
        for index, tag in enumerate(note.tags):
            if tag_counts[tag] == 1:
                line, col = note.doc.meta.where(("tags", index))
                out.append(warning(path, line, col, "lonely-tag", f"tag '{tag}' is used by no other note"))
        if site.content.paths and note.slug not in site.path_positions:
            out.append(warning(path, 0, 0, "no-path", "not in any reading path"))
    today = site.build_date.date() if site.build_date else dt.date.today()  # SOURCE_DATE_EPOCH fixes it
    out += stale_reviews(site.content.notes, site.config.review_after_months, today)
    return out


def _terms(text: str) -> list[str]:
    return [t for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS]


def related_notes(
    notes: tuple[Note, ...], markdown: dict[tuple[str, str], ParsedMarkdown]
) -> dict[str, tuple[str, ...]]:
    """3–5 related notes per note: the note's own `related` first, then by score.

    Score = TF-IDF cosine of the text (each note reduced to its TERMS_PER_NOTE heaviest terms, and
    compared through an inverted index so a large site stays fast) + 0.15 per shared topic
    + 0.08 per shared tag. Ties go by slug, so the result is deterministic.
    """
    docs = {n.slug: Counter(_terms(f"{n.title} {n.title} {n.summary} {markdown[('note', n.slug)].plain_text}"))
            for n in notes}
    df = Counter(term for counts in docs.values() for term in counts)
    total = len(docs)
    # a term in more than a tenth of a large site says little about any pair and makes the index slow
    common = max(20, total // 10)
    postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
    vectors: dict[str, dict[str, float]] = {}
    for slug, counts in docs.items():
        weights = {t: (1 + math.log(c)) * math.log((1 + total) / (1 + df[t]))
                   for t, c in counts.items() if df[t] <= common}
        top = sorted(weights.items(), key=lambda tw: (-tw[1], tw[0]))[:TERMS_PER_NOTE]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors[slug] = {t: w / norm for t, w in top}
        for term, weight in vectors[slug].items():
            postings[term].append((slug, weight))
    by_topic: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    for n in notes:
        for topic in n.topics:
            by_topic[topic].append(n.slug)
        for tag in n.tags:
            by_tag[tag].append(n.slug)
    out: dict[str, tuple[str, ...]] = {}
    for note in notes:
        chosen = [s for s in note.related if s in docs and s != note.slug]
        scores: dict[str, float] = defaultdict(float)
        for term, weight in vectors[note.slug].items():
            for other, other_weight in postings[term]:
                scores[other] += weight * other_weight
        for topic in note.topics:
            for other in by_topic[topic]:
                scores[other] += 0.15
        for tag in note.tags:
            for other in by_tag[tag]:
                scores[other] += 0.08
        wanted = max(0, RELATED_COUNT - len(chosen))
        ranked = heapq.nsmallest(wanted, ((-round(score, 9), other) for other, score in scores.items()
                                          if other != note.slug and other not in chosen))
        chosen += [slug for _, slug in ranked]
        out[note.slug] = tuple(chosen[:RELATED_COUNT])
    return out
