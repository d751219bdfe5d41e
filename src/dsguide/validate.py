"""Stage 3: check front matter against the schema and turn it into typed content."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from .config import SiteConfig
from .diagnostics import Diagnostic, error, line_col, warning
from .model import Content, Evidence, Note, Page, ParsedMarkdown, PathStep, RawDocument, ReadingPath, Source, SourceRef
from .schema import FORBIDDEN_CHAR_RE, KIND_SCHEMAS, check_value, did_you_mean
from .yamltext import KeyPath

PLACEHOLDER = "REPLACE-ME"  # what `dsguide new` puts where a contributor still has to write (any case)


def validate(config: SiteConfig, documents: list[RawDocument]) -> tuple[Content, list[Diagnostic]]:
    """Every schema problem of every document; documents with errors are left out of `Content`."""
    vocab = config.vocabularies()
    diagnostics: list[Diagnostic] = []
    built: dict[str, list[Any]] = defaultdict(list)
    rejected: list[RawDocument] = []
    claimed: dict[str, set[str]] = defaultdict(set)
    for doc in documents:
        kind = doc.file.kind
        claimed[kind].add(doc.file.slug)
        found = check_value(doc.meta.value, KIND_SCHEMAS[kind], path=doc.file.path, doc=doc.meta, at=(),
                            vocab=vocab)
        found += _body_rules(doc)
        diagnostics += found
        if not any(d.severity == "error" for d in found):
            built[kind].append(_typed(doc))
        else:
            rejected.append(doc)
    content = Content(
        notes=tuple(sorted(built["note"], key=lambda n: n.slug)),
        sources=tuple(sorted(built["source"], key=lambda s: s.id)),
        paths=tuple(sorted(built["path"], key=lambda p: p.id)),
        pages=tuple(sorted(built["page"], key=lambda p: p.slug)),
        claimed={kind: frozenset(slugs) for kind, slugs in claimed.items()},
        rejected=tuple(rejected),
    )
    return content, diagnostics + _recommenders(content)


def _recommenders(content: Content) -> list[Diagnostic]:
    """A further-reading record's `recommended_by` names other sources that exist."""
    ids = content.claimed.get("source", frozenset())
    out: list[Diagnostic] = []
    for source in content.sources:
        others = sorted(ids - {source.id})
        for index, other in enumerate(source.recommended_by):
            if other not in others:
                where = source.doc.meta.where(("recommended_by", index))
                problem = "is this record itself" if other == source.id else \
                    f"names no source{did_you_mean(other, others)}"
                out.append(error(source.doc.file.path, *where, "unknown-source", f"recommended_by '{other}' {problem}"))
    return out


def _body_rules(doc: RawDocument) -> list[Diagnostic]:
    """Rules that need more than one field, or the body."""
    out: list[Diagnostic] = []
    meta = doc.meta.value
    if doc.file.kind in ("note", "source", "page") and not doc.body.strip():
        out.append(error(doc.file.path, doc.body_line, 1, "empty-body", "the body is empty"))
    if doc.file.kind == "note" and not meta.get("sources") and meta.get("original") is not True:
        line, col = doc.meta.where(("sources",))
        out.append(error(doc.file.path, line, col, "no-source",
                         "a note needs 'sources', or 'original: true' when it is our own synthesis"))
    if doc.file.kind == "note" and meta.get("sources") and meta.get("original") is not True and "evidence" not in meta:
        out.append(error(doc.file.path, *doc.meta.where(()), "missing-field",
                         "missing required field 'evidence': say what kind of evidence the sources give "
                         "(not needed with 'original: true')"))
    if found := FORBIDDEN_CHAR_RE.search(doc.body):
        line, col = line_col(doc.body, found.start())
        out.append(error(doc.file.path, doc.body_line + line - 1, col, "bad-character",
                         f"the body contains the control character U+{ord(found[0]):04X}"))
    out += _placeholders(doc)
    return out


def _placeholders(doc: RawDocument) -> list[Diagnostic]:
    """Template text `dsguide new` left in place: a warning in a draft, an error in a published note."""
    report = warning if doc.meta.value.get("draft") is True else error
    message = f"'{PLACEHOLDER}' is still here from the template: write this part"
    out = [report(doc.file.path, *doc.meta.where(at), "placeholder", message)
           for at in _strings_containing(doc.meta.value, PLACEHOLDER, ())]
    offset = doc.body.lower().find(PLACEHOLDER.lower())
    if offset != -1:
        line, col = line_col(doc.body, offset)
        out.append(report(doc.file.path, doc.body_line + line - 1, col, "placeholder", message))
    return out


def _strings_containing(value: object, text: str, at: KeyPath) -> list[KeyPath]:
    if isinstance(value, str):
        return [at] if text.lower() in value.lower() else []
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _strings_containing(item, text, at + (str(key),))]
    if isinstance(value, list):
        return [p for index, item in enumerate(value) for p in _strings_containing(item, text, at + (index,))]
    return []


def _typed(doc: RawDocument) -> Note | Source | ReadingPath | Page:
    meta, slug = doc.meta.value, doc.file.slug
    text = _clean
    match doc.file.kind:
        case "note":
            return Note(
                slug=slug,
                title=text(meta["title"]),
                summary=text(meta["summary"]),
                topics=tuple(meta["topics"]),
                tags=tuple(meta.get("tags") or ()),
                audience=tuple(meta.get("audience") or ()),
                sources=tuple(
                    SourceRef(ref["source"], ref.get("section"), *doc.meta.where(("sources", i, "source")))
                    for i, ref in enumerate(meta.get("sources") or ())
                ),
                original=bool(meta.get("original", False)),
                related=tuple(meta.get("related") or ()),
                updated=meta.get("updated"),
                draft=bool(meta.get("draft", False)),
                doc=doc,
                evidence=Evidence(meta["evidence"]["kind"], text(meta["evidence"]["context"]))
                if "evidence" in meta else None,
                reviewed=meta["reviewed"],
            )
        case "source":
            return Source(slug, text(meta["title"]), meta["author"], meta["published"], meta["url"],
                          meta["format"], tuple(meta.get("sections") or ()), doc,
                          tuple(meta.get("recommended_by") or ()), text(meta.get("recommendation") or ""))
        case "path":
            steps = tuple(PathStep(s["note"], text(s["why"]), *doc.meta.where(("steps", i, "note")))
                          for i, s in enumerate(meta["steps"]))
            return ReadingPath(slug, text(meta["title"]), text(meta["summary"]), tuple(meta["audience"]),
                               steps, doc)
        case _:
            return Page(slug, text(meta["title"]), text(meta.get("summary") or ""), doc)


SOURCE_SECTION = "What the source says"  # the heading that reports the source, and only the source
EDITORS_SECTIONS = ("What we add", "When it does not apply", "Questions to ask yourself", "Where the sources differ")


def section_rules(content: Content, markdown: dict[tuple[str, str], ParsedMarkdown]) -> list[Diagnostic]:
    """A note drawn from sources keeps what the source says apart from what we add: it needs the
    '## What the source says' section (the editors' sections are optional)."""
    out: list[Diagnostic] = []
    for note in content.notes:
        parsed = markdown.get(("note", note.slug))
        if note.original or not note.sources or parsed is None or not note.doc.body.strip():
            continue  # no sources or no body: 'no-source' or 'empty-body' already says what is wrong
        if not any(h.level == 2 and h.text.strip() == SOURCE_SECTION for h in parsed.headings):
            out.append(error(note.doc.file.path, note.doc.body_line, 1, "missing-section",
                             f"a note drawn from sources needs a '## {SOURCE_SECTION}' section that reports "
                             "only the source, with its hedges"))
    return out


def stale_reviews(notes: tuple[Note, ...], months: int, today: dt.date) -> list[Diagnostic]:
    """Notes whose `reviewed` date is more than `months` months before `today`: the source may have
    been misread, or the advice may have aged; someone should re-read the cited section."""
    out: list[Diagnostic] = []
    for note in notes:
        if note.reviewed is not None and add_months(note.reviewed, months) < today:
            out.append(warning(note.doc.file.path, *note.doc.meta.where(("reviewed",)), "stale-review",
                               f"last checked against its source on {note.reviewed.isoformat()}, more than "
                               f"{months} months ago: re-read the cited section and update 'reviewed'"))
    return out


def add_months(day: dt.date, months: int) -> dt.date:
    """`day` plus whole calendar months; the 31st becomes the month's last day when it has no 31st."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("every month has a 28th")  # pragma: no cover


def _clean(value: str) -> str:
    return " ".join(value.split())
