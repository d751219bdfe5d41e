"""The values that flow through `dsguide ingest`: detection → Essay → topic suggestions → files.

Plain dataclasses with no behaviour, so each format parser can be tested on its own output.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

#: The essay formats `ingest` can read, in the order detection prefers them on a tie.
FORMATS = ("markdown", "newsletter", "thread", "essay")

#: The name of the text before an essay's first heading, in the source record's section list.
LEAD_TITLE = "Introduction"


@dataclass(frozen=True)
class Detection:
    """Which parser to use and why, in words a curator can check; `format` is None when nothing fits."""

    format: str | None
    reason: str


@dataclass(frozen=True)
class Section:
    """One part of an essay: its heading and clean Markdown. `from_heading` is False when the title
    is a stand-in (an unheaded opening, a thread's first words), so it is not evidence of a topic."""

    title: str
    body_markdown: str
    from_heading: bool = True


@dataclass(frozen=True)
class Essay:
    """What a format parser found in one file, with boilerplate, footnote marks and markup gone.

    `format` is the parser that read it (one of FORMATS); `source_format` is the content-model
    kind it maps to (essay, newsletter, thread, blog-post or q-and-a). `set_aside` lists the parts
    kept out of the sections on purpose (a newsletter's reading list), for the source record.
    """

    title: str
    format: str
    source_format: str
    sections: list[Section]
    subtitle: str | None = None
    author: str | None = None
    date: dt.date | None = None
    url: str | None = None
    tags: list[str] = field(default_factory=list)
    set_aside: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TopicSuggestion:
    """A topic from site.yaml with the keywords that matched and how often: the evidence for it."""

    slug: str
    evidence: dict[str, int]
    in_heading: tuple[str, ...] = ()

    @property
    def hits(self) -> int:
        return sum(self.evidence.values())


@dataclass(frozen=True)
class PlannedFile:
    """A file `ingest` wants to write, relative to --into, with its full text."""

    relpath: str
    text: str


@dataclass
class FileResult:
    """The outcome for one input file: what was detected, what was written, what went wrong."""

    path: str
    detection: Detection | None = None
    essay: Essay | None = None
    topics: list[TopicSuggestion] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors
