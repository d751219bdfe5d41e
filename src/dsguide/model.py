"""The values that flow between pipeline stages. Data only; behaviour lives in the stages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .config import SiteConfig
from .yamltext import LocatedYaml

Kind = Literal["note", "source", "path", "page"]


@dataclass(frozen=True)
class ContentFile:
    """A file found in content/: its kind, its slug (the file name) and where it is."""

    kind: Kind
    slug: str
    path: str  # as shown in diagnostics, relative to the site root: content/notes/x.md
    abs_path: Path


@dataclass(frozen=True)
class RawDocument:
    """A content file split into located front matter and a Markdown body."""

    file: ContentFile
    meta: LocatedYaml
    body: str
    body_line: int  # the file line the body starts on (1-based)


@dataclass(frozen=True)
class SourceRef:
    source: str
    section: str | None = None
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class Evidence:
    """What a note's advice rests on: `kind` from schema.EVIDENCE_KINDS, `context` in plain words."""

    kind: str
    context: str

    @property
    def kind_label(self) -> str:
        """'practitioner-experience' → 'practitioner experience', as a reader sees it."""
        return self.kind.replace("-", " ")


@dataclass(frozen=True)
class Note:
    slug: str
    title: str
    summary: str
    topics: tuple[str, ...]
    tags: tuple[str, ...]
    audience: tuple[str, ...]
    sources: tuple[SourceRef, ...]
    original: bool
    related: tuple[str, ...]
    updated: dt.date | None
    draft: bool
    doc: RawDocument
    evidence: Evidence | None = None  # None only for `original: true` notes
    reviewed: dt.date | None = None  # required by the schema; None only for notes built by hand in tests


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    author: str | None
    published: dt.date | None
    url: str | None
    format: str
    sections: tuple[str, ...]
    doc: RawDocument
    recommended_by: tuple[str, ...] = ()  # a further-reading record: the sources that point to it
    recommendation: str = ""  # and why they point to it, in our words


@dataclass(frozen=True)
class PathStep:
    note: str
    why: str
    line: int = 0
    col: int = 0


@dataclass(frozen=True)
class ReadingPath:
    id: str
    title: str
    summary: str
    audience: tuple[str, ...]
    steps: tuple[PathStep, ...]
    doc: RawDocument


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    summary: str
    doc: RawDocument


@dataclass(frozen=True)
class Content:
    """Validated content, each kind sorted by slug."""

    notes: tuple[Note, ...] = ()
    sources: tuple[Source, ...] = ()
    paths: tuple[ReadingPath, ...] = ()
    pages: tuple[Page, ...] = ()
    # every slug a file claims, valid or not, so one bad note does not make links to it "broken"
    claimed: dict[str, frozenset[str]] = field(default_factory=dict)
    # documents whose front matter broke a rule: not published, but their links are still checked
    rejected: tuple[RawDocument, ...] = ()

    def documents(self) -> list[Note | Source | ReadingPath | Page]:
        return [*self.notes, *self.sources, *self.paths, *self.pages]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str


@dataclass(frozen=True)
class WikiLink:
    target: str
    anchor: str | None
    label: str | None
    line: int
    col: int
    sentence: str  # the plain-text sentence the link stands in, for backlinks


@dataclass
class ParsedMarkdown:
    """A body parsed once into markdown-it tokens; links and headings are read off the tokens."""

    tokens: list[Any]
    env: dict[str, Any]  # markdown-it's parse env (footnotes live here); render needs it back
    headings: list[Heading]
    wikilinks: list[WikiLink]
    plain_text: str
    word_count: int
    has_tokens: bool = True  # False: read from the build cache without tokens; render parses the body again


@dataclass(frozen=True)
class Backlink:
    source_slug: str
    sentence: str


@dataclass(frozen=True)
class PathPosition:
    path_id: str
    index: int  # 0-based step index


@dataclass(frozen=True)
class Site:
    """Everything the render stage needs; render reads it and never changes it."""

    config: SiteConfig
    content: Content
    markdown: dict[tuple[str, str], ParsedMarkdown]  # (kind, slug) -> parsed body
    notes_by_topic: dict[str, tuple[str, ...]]
    notes_by_tag: dict[str, tuple[str, ...]]
    notes_by_audience: dict[str, tuple[str, ...]]
    notes_by_source: dict[str, tuple[str, ...]]
    backlinks: dict[str, tuple[Backlink, ...]]
    related: dict[str, tuple[str, ...]]
    path_positions: dict[str, tuple[PathPosition, ...]]
    include_drafts: bool = False
    build_date: dt.datetime | None = None
    notes_by_slug: dict[str, Note] = field(default_factory=dict)
    links_out: dict[str, tuple[str, ...]] = field(default_factory=dict)  # note slug -> notes it links
