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
from collections.abc import Callable
from dataclasses import replace

from .config import SiteConfig
from .diagnostics import Diagnostic, error, warning
from .markdown import WIKILINK_RE, heading_anchor
from .model import Backlink, Content, Note, ParsedMarkdown, PathPosition, ReadingPath, Site
from .schema import SLUG_RE, did_you_mean
from .validate import PLACEHOLDER, stale_reviews
from .yamltext import KeyPath

RELATED_COUNT = 5
SUGGESTED_TARGETS = 100  # broken link targets that get a "did you mean"; past that, difflib's cost dominates
TERMS_PER_NOTE = 40
POSTINGS_PER_TERM = 8  # notes kept per term or tag in the candidate index
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
    """Connect the content, in named steps; each step's problems go to one `_Links` checker."""
    draft_notes = tuple(n for n in content.notes if n.draft)
    if not include_drafts:  # drafts are left out of the site, but links to them get their own error
        content = replace(content, notes=tuple(n for n in content.notes if not n.draft))
    links = _Links(content, set() if include_drafts else {n.slug for n in draft_notes})
    backlinks, links_out = _wikilinks(content, markdown, links)
    notes_by_source = _sources_and_related(content, links)
    if not include_drafts:  # drafts cite sources too: a wrong id is found now, not at publishing time
        _draft_sources(draft_notes, links)
    _check_rejected(content, markdown, links.note_exists, links.source_exists)
    path_positions = _path_positions(content, links)
    by_topic, by_tag, by_audience = _vocabulary_indexes(config, content.notes)
    titled = {slug: tuple(Backlink(b.source_slug, _titled(b.sentence, links.notes)) for b in items)
              for slug, items in backlinks.items()}
    site = Site(
        config=config,
        content=content,
        markdown=markdown,
        notes_by_topic=by_topic,
        notes_by_tag=by_tag,
        notes_by_audience=by_audience,
        notes_by_source={k: tuple(v) for k, v in sorted(notes_by_source.items())},
        backlinks={k: tuple(sorted(v, key=lambda b: b.source_slug)) for k, v in sorted(titled.items())},
        related=related_notes(content.notes, markdown),
        path_positions={k: tuple(v) for k, v in sorted(path_positions.items())},
        include_drafts=include_drafts,
        notes_by_slug=links.notes,
        links_out={k: tuple(sorted(v)) for k, v in sorted(links_out.items())},
    )
    return site, links.diagnostics


class _Links:
    """Whether a named note or source exists, reporting each broken reference once, at its place.

    A slug claimed by a file whose front matter failed is not "broken": that file's own error says why.
    """

    def __init__(self, content: Content, drafts: set[str]):
        self.notes = {n.slug: n for n in content.notes}
        self.sources = {s.id: s for s in content.sources}
        self.drafts = drafts
        self.claimed_notes = content.claimed.get("note", frozenset())
        self.claimed_sources = content.claimed.get("source", frozenset())
        self.note_slugs = sorted(self.claimed_notes)
        self.suggestions: dict[str, str] = {}  # each distinct broken target is looked up once
        self.diagnostics: list[Diagnostic] = []

    def suggestion(self, slug: str) -> str:
        if slug not in self.suggestions:
            self.suggestions[slug] = (did_you_mean(slug, self.note_slugs)
                                      if len(self.suggestions) < SUGGESTED_TARGETS else "")
        return self.suggestions[slug]

    def note_exists(self, slug: str, path: str, line: int, col: int, what: str) -> bool:
        if slug in self.notes:
            return True
        if slug in self.drafts:
            self.diagnostics.append(error(path, line, col, "draft-link",
                                          f"{what} is a draft note (build with --drafts, or publish it)"))
        elif slug not in self.claimed_notes:
            hint_text = self.suggestion(slug)
            self.diagnostics.append(error(path, line, col, "broken-link", f"{what} names no note{hint_text}",
                                          "" if hint_text else "a note is named by its file name in "
                                          "content/notes/, without .md"))
        return False

    def source_exists(self, source: str, path: str, line: int, col: int, section: object = None) -> bool:
        """Whether `source` is a valid source; with `section`, also warn when the source does not list it."""
        if source in self.sources:
            listed = self.sources[source].sections
            if isinstance(section, str) and listed and section not in listed and PLACEHOLDER not in section:
                guess = did_you_mean(section, listed)
                shown = "; ".join(f"'{s}'" for s in listed[:6]) + ("; …" if len(listed) > 6 else "")
                self.diagnostics.append(warning(path, line, col, "unknown-section",
                                                f"source '{source}' lists no section '{section}'{guess}",
                                                "" if guess else f"its sections: {shown}"))
            return True
        if source not in self.claimed_sources:
            guess = did_you_mean(source, sorted(self.claimed_sources))
            self.diagnostics.append(error(path, line, col, "unknown-source", f"unknown source '{source}'{guess}",
                                          "" if guess else "a source id is a file name in content/sources/, "
                                          "without .md"))
        return False


def _wikilinks(content: Content, markdown: dict[tuple[str, str], ParsedMarkdown],
               links: _Links) -> tuple[dict[str, list[Backlink]], dict[str, set[str]]]:
    """Check every document's [[links]] and their #anchors; collect notes' backlinks and links out."""
    backlinks: dict[str, list[Backlink]] = defaultdict(list)
    links_out: dict[str, set[str]] = defaultdict(set)
    for item in content.documents():
        file = item.doc.file
        for link in markdown[(file.kind, file.slug)].wikilinks:
            if not links.note_exists(link.target, file.path, link.line, link.col, "[[" + link.target + "]]"):
                continue
            if link.anchor is not None:
                anchors = {h.anchor for h in markdown[("note", link.target)].headings}
                if heading_anchor(link.anchor) not in anchors:
                    links.diagnostics.append(error(
                        file.path, link.line, link.col, "broken-anchor",
                        f"[[{link.target}#{link.anchor}]]: '{link.target}' has no heading '{link.anchor}'"
                        f"{did_you_mean(heading_anchor(link.anchor), sorted(anchors))}"))
            if file.kind == "note" and link.target != file.slug:
                if link.target not in links_out[file.slug]:
                    backlinks[link.target].append(Backlink(file.slug, link.sentence))
                links_out[file.slug].add(link.target)
    return backlinks, links_out


def _sources_and_related(content: Content, links: _Links) -> dict[str, list[str]]:
    """Check each note's sources, sections and front-matter related notes; the notes drawn from each source."""
    notes_by_source: dict[str, list[str]] = defaultdict(list)
    for note in content.notes:
        for ref in note.sources:
            if links.source_exists(ref.source, note.doc.file.path, ref.line, ref.col, ref.section) \
                    and note.slug not in notes_by_source[ref.source]:
                notes_by_source[ref.source].append(note.slug)
        for index, slug in enumerate(note.related):
            line, col = note.doc.meta.where(("related", index))
            links.note_exists(slug, note.doc.file.path, line, col, f"related note '{slug}'")
    return notes_by_source


def _draft_sources(draft_notes: tuple[Note, ...], links: _Links) -> None:
    for note in draft_notes:
        for ref in note.sources:
            if PLACEHOLDER.lower() not in ref.source:  # the template's `replace-me` is a placeholder warning
                links.source_exists(ref.source, note.doc.file.path, ref.line, ref.col)


def _path_positions(content: Content, links: _Links) -> dict[str, list[PathPosition]]:
    """Check every reading path's steps; where each note stands in each path."""
    positions: dict[str, list[PathPosition]] = defaultdict(list)
    for reading_path in content.paths:
        for index, step in enumerate(reading_path.steps):
            if links.note_exists(step.note, reading_path.doc.file.path, step.line, step.col,
                                 f"path step '{step.note}'"):
                positions[step.note].append(PathPosition(reading_path.id, index))
    return positions


def _vocabulary_indexes(config: SiteConfig, notes: tuple[Note, ...]) -> tuple[
        dict[str, tuple[str, ...]], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """The notes of each topic, tag and audience, in content order (every declared topic and audience
    has an entry, even an empty one; tags sorted)."""
    by_topic: dict[str, list[str]] = {t.slug: [] for t in config.topics}
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_audience: dict[str, list[str]] = {a.slug: [] for a in config.audiences}
    for note in notes:
        for topic in note.topics:
            by_topic[topic].append(note.slug)
        for tag in note.tags:
            by_tag[tag].append(note.slug)
        for audience in note.audience:
            by_audience[audience].append(note.slug)
    return ({k: tuple(v) for k, v in by_topic.items()}, {k: tuple(v) for k, v in sorted(by_tag.items())},
            {k: tuple(v) for k, v in by_audience.items()})


def _check_rejected(content: Content, markdown: dict[tuple[str, str], ParsedMarkdown],
                    note_exists: Callable[[str, str, int, int, str], bool],
                    source_exists: Callable[[str, str, int, int, object], bool]) -> None:
    """Check the links of documents whose front matter failed validation, as far as it has the right
    shape, so one run reports their broken links too (the checkers append their own diagnostics)."""
    for doc in content.rejected:
        path, meta = doc.file.path, doc.meta.value
        for link in markdown[(doc.file.kind, doc.file.slug)].wikilinks:
            note_exists(link.target, path, link.line, link.col, "[[" + link.target + "]]")
        for at, value in _raw_references(meta, doc.file.kind):
            line, col = doc.meta.where(at)
            if at[0] == "sources":
                cited = meta["sources"][at[1]]
                source_exists(value, path, line, col, cited.get("section") if isinstance(cited, dict) else None)
            else:
                what = f"related note '{value}'" if at[0] == "related" else f"path step '{value}'"
                note_exists(value, path, line, col, what)


def _raw_references(meta: dict[str, object], kind: str) -> list[tuple[KeyPath, str]]:
    """(key path, slug) of each source, related note and path step in unvalidated front matter."""
    found: list[tuple[KeyPath, str]] = []
    wanted = {"note": (("sources", "source"), ("related", None)), "path": (("steps", "note"),)}.get(kind, ())
    for key, inner in wanted:
        items = meta.get(key)
        for index, item in enumerate(items if isinstance(items, list) else []):
            value = item.get(inner) if inner and isinstance(item, dict) else item if inner is None else None
            if isinstance(value, str) and SLUG_RE.match(value):
                found.append(((key, index, inner) if inner else (key, index), value))
    return found


def rejected_references(content: Content, markdown: dict[tuple[str, str], ParsedMarkdown]) -> tuple[set[str], set[str]]:
    """(notes linked from rejected documents, notes named in rejected paths): health warnings skip these,
    so a YAML error in one file does not also make the notes it names 'orphans' or 'in no path'."""
    linked: set[str] = set()
    on_path: set[str] = set()
    for doc in content.rejected:
        linked |= {link.target for link in markdown[(doc.file.kind, doc.file.slug)].wikilinks}
        for at, slug in _raw_references(doc.meta.value, doc.file.kind):
            if at[0] == "related":
                linked.add(slug)
            elif at[0] == "steps":
                on_path.add(slug)
    return linked, on_path


def _titled(sentence: str, notes: dict[str, Note]) -> str:
    """Replace the [[slug]] placeholders the markdown stage left in a sentence with note titles."""
    return WIKILINK_RE.sub(lambda m: notes[m[1]].title if m[1] in notes else m[1], sentence)


def health_warnings(site: Site) -> list[Diagnostic]:
    """Content that builds but serves readers poorly: orphans, dead ends, lonely tags, notes in no path."""
    out: list[Diagnostic] = []
    tag_counts = Counter(tag for note in site.content.notes for tag in note.tags)
    linked_from_rejected, on_rejected_path = rejected_references(site.content, site.markdown)
    failed_notes = {doc.file.slug for doc in site.content.rejected if doc.file.kind == "note"}
    failed_notes |= site.content.claimed.get("note", frozenset()) - {n.slug for n in site.content.notes}
    shared_tags = sorted(tag for tag, count in tag_counts.items() if count > 1)  # once: the hint's choices
    for note in site.content.notes:
        path = note.doc.file.path
        links = {link.target for link in site.markdown[("note", note.slug)].wikilinks}
        linked_in = bool(site.backlinks.get(note.slug)) or note.slug in linked_from_rejected
        linked_out = bool(site.links_out.get(note.slug)) or bool(links & failed_notes)
        if not linked_in and not linked_out:
            out.append(warning(path, note.doc.body_line, 1, "orphan", "no note links here and it links nowhere",
                               f"link a related note with [[note-slug]], and link here from one with [[{note.slug}]]"))
        elif not linked_out:
            out.append(warning(path, note.doc.body_line, 1, "dead-end", "links to no other note",
                               "link a related note in the body with [[note-slug]]"))
        for index, tag in enumerate(note.tags):
            if tag_counts[tag] == 1:
                line, col = note.doc.meta.where(("tags", index))
                out.append(warning(path, line, col, "lonely-tag", f"tag '{tag}' is used by no other note"
                                   f"{did_you_mean(tag, shared_tags)}",
                                   "reuse a tag other notes have, listed on the site's /tags/ page, or drop it"))
        if (site.content.paths and note.slug not in site.path_positions
                and note.slug not in on_rejected_path):
            out.append(warning(path, 1, 1, "no-path", "not in any reading path",
                               f"add it to the steps of a path that fits: {_paths_for(site, note)}"))
    today = site.build_date.date() if site.build_date else dt.date.today()  # SOURCE_DATE_EPOCH fixes it
    out += stale_reviews(site.content.notes, site.config.review_after_months, today)
    return out


def _paths_for(site: Site, note: Note) -> str:
    """The path files most likely to fit `note` (those for its audience, or whose notes share a topic
    with it), at most three; every path file when none stands out."""
    def fits(reading_path: ReadingPath) -> bool:
        topics = {t for step in reading_path.steps if step.note in site.notes_by_slug
                  for t in site.notes_by_slug[step.note].topics}
        return bool(set(reading_path.audience) & set(note.audience)) or bool(topics & set(note.topics))
    fitting = [p.doc.file.path for p in site.content.paths if fits(p)] or [p.doc.file.path for p in site.content.paths]
    return ", ".join(fitting[:3]) + (f" or {len(fitting) - 3} more" if len(fitting) > 3 else "")


def _terms(text: str) -> list[str]:
    return [t for t in TOKEN_RE.findall(text.lower()) if t not in STOPWORDS]


def related_notes(
    notes: tuple[Note, ...], markdown: dict[tuple[str, str], ParsedMarkdown]
) -> dict[str, tuple[str, ...]]:
    """Up to RELATED_COUNT related notes per note: the note's own `related` first, then by score.

    Linear in the number of notes: candidates come from an inverted index whose postings are
    bounded. Each note is reduced to its TERMS_PER_NOTE heaviest TF-IDF terms; each term keeps only
    the POSTINGS_PER_TERM notes it weighs most in, and each tag the POSTINGS_PER_TERM first notes by
    slug (a rare tag names every note it has). A note's candidates are the notes in the postings of
    its own terms and tags — at most (TERMS_PER_NOTE + tags) × POSTINGS_PER_TERM, whatever the size
    of the site. Candidates are scored by text cosine + 0.15 per shared topic + 0.08 per shared tag
    (topics rank candidates; they add candidates, the first POSTINGS_PER_TERM by slug, only to a
    note that found too few, since a topic spans a large part of the site). Ties go by slug, so
    the result is deterministic.
    """
    docs = {n.slug: Counter(_terms(f"{n.title} {n.title} {n.summary} {markdown[('note', n.slug)].plain_text}"))
            for n in notes}
    df = Counter(term for counts in docs.values() for term in counts)
    total = len(docs)
    # a term in more than a tenth of a large site says little about any pair
    common = max(20, total // 10)
    postings: dict[str, list[tuple[float, str]]] = defaultdict(list)
    vectors: dict[str, dict[str, float]] = {}
    for slug, counts in docs.items():
        weights = {t: (1 + math.log(c)) * math.log((1 + total) / (1 + df[t]))
                   for t, c in counts.items() if df[t] <= common}
        top = heapq.nsmallest(TERMS_PER_NOTE, weights.items(), key=lambda tw: (-tw[1], tw[0]))
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        vectors[slug] = {t: w / norm for t, w in top}
        for term, weight in vectors[slug].items():
            postings[term].append((-weight, slug))
    bounded = {term: [(-w, slug) for w, slug in heapq.nsmallest(POSTINGS_PER_TERM, found)]
               for term, found in postings.items()}
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_topic: dict[str, list[str]] = defaultdict(list)
    for n in sorted(notes, key=lambda n: n.slug):
        for tag in n.tags:
            if len(by_tag[tag]) < POSTINGS_PER_TERM:
                by_tag[tag].append(n.slug)
        for topic in n.topics:
            if len(by_topic[topic]) < POSTINGS_PER_TERM:
                by_topic[topic].append(n.slug)
    facets = {n.slug: (frozenset(n.topics), frozenset(n.tags)) for n in notes}
    out: dict[str, tuple[str, ...]] = {}
    for note in notes:
        chosen = [s for s in note.related if s in docs and s != note.slug]
        scores: dict[str, float] = dict.fromkeys((other for tag in note.tags for other in by_tag[tag]), 0.0)
        for term, weight in vectors[note.slug].items():
            for other_weight, other in bounded[term]:
                scores[other] = scores.get(other, 0.0) + weight * other_weight
        if len(scores) <= RELATED_COUNT:  # a note with nothing rare in common: its topics' first notes
            scores.update((other, scores.get(other, 0.0)) for topic in note.topics for other in by_topic[topic])
        topics, tags = facets[note.slug]
        for other in scores:
            other_topics, other_tags = facets[other]
            scores[other] += 0.15 * len(topics & other_topics) + 0.08 * len(tags & other_tags)
        wanted = max(0, RELATED_COUNT - len(chosen))
        ranked = heapq.nsmallest(wanted, ((-score, other) for other, score in scores.items()
                                          if other != note.slug and other not in chosen))
        chosen += [slug for _, slug in ranked]
        out[note.slug] = tuple(chosen[:RELATED_COUNT])
    return out
