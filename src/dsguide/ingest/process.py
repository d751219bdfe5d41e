"""One input file through the ingest steps: read → detect → parse → suggest topics → write.

Each step's failure becomes a one-line message on the file's result instead of an exception, so
one bad file never stops the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..config import Topic
from ..fingerprint import SUFFIX as FINGERPRINT_SUFFIX
from ..fingerprint import fingerprint_file_text, fingerprints, read_fingerprints, words
from ..front_matter import split_front_matter
from ..model import ContentFile
from ..schema import slugify
from . import essay, markdown, newsletter, thread, topics
from .detect import detect
from .model import LEAD_TITLE, Detection, Essay, FileResult, PlannedFile
from .text import normalise
from .write import note_text, source_text, unique, write_all

PARSERS: dict[str, Callable[[str], Essay]] = {
    "essay": essay.parse, "newsletter": newsletter.parse, "thread": thread.parse, "markdown": markdown.parse,
}
SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to read: each file given, and the text and Markdown files inside each folder, sorted."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                          and not any(part.startswith(".") for part in p.relative_to(path).parts))
        else:
            out.append(path)
    return out


def read(path: Path) -> tuple[str | None, str | None]:
    """(text, None) or (None, why it cannot be read) for a UTF-8 text file."""
    if path.exists() and not path.is_dir() and not path.is_file():  # a pipe or device would block the read
        return None, "not a regular file"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, "no such file"
    except IsADirectoryError:
        return None, "is a folder"
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    if not data.strip():
        return None, "empty file"
    if b"\0" in data[:8192]:
        return None, "binary file, not text"
    try:
        return normalise(data.decode("utf-8-sig")), None
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); convert it to UTF-8 first"


SAME_TEXT = 0.5  # an essay whose 10-word runs are at least half in one source's fingerprints is that source


@dataclass(frozen=True)
class KnownSource:
    """A source the site already has: what an essay is compared with before it gets an id."""

    id: str
    title: str
    fingerprints: frozenset[str]


def known_sources(sources_dir: Path) -> list[KnownSource]:
    """Every content/sources/<id>.md with its title and its fingerprints (empty when it has none)."""
    found = []
    for path in sorted(sources_dir.glob("*.md")) if sources_dir.is_dir() else []:
        try:
            document, _ = split_front_matter(ContentFile("source", path.stem, path.name, path),
                                             path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError):
            continue
        title = document.meta.value.get("title") if document is not None else None
        hashes, _ = read_fingerprints(path.with_suffix(FINGERPRINT_SUFFIX), path.name)
        found.append(KnownSource(path.stem, str(title or ""), hashes))
    return found


def _title_key(title: str) -> str:
    return " ".join(w.text for w in words(title))


class Ingester:
    """Ingests files one by one into `into`, keeping slugs unique across the whole run, and never
    giving a second id to an essay that is already a source (of the site or of this run)."""

    def __init__(self, into: Path, topic_list: Iterable[Topic], *, fmt: str = "auto", force: bool = False,
                 allowed_tags: Iterable[str] | None = None, known: Iterable[KnownSource] = (),
                 today: dt.date | None = None) -> None:
        self.into = into
        self.topics = tuple(topic_list)
        self.fmt = fmt
        self.force = force
        self.allowed_tags = set(allowed_tags) if allowed_tags is not None else None
        self.known = list(known)
        self.today = today or dt.date.today()
        self.source_ids: set[str] = {k.id for k in self.known}
        self.note_slugs: set[str] = set()

    def already_known(self, title: str, hashes: frozenset[str]) -> tuple[KnownSource, str] | None:
        """The source this essay already is, and why we think so; None for a new essay."""
        for source in self.known:
            if title and _title_key(title) == _title_key(source.title):
                return source, f"the same title as content/sources/{source.id}.md"
            shared = len(hashes & source.fingerprints) / len(hashes) if hashes else 0.0
            if shared >= SAME_TEXT:
                return source, (f"{shared:.0%} of its 10-word runs are in "
                                f"content/sources/{source.id}{FINGERPRINT_SUFFIX}")
        return None

    def ingest(self, path: Path) -> FileResult:
        result = FileResult(str(path))
        text, problem = read(path)
        if text is None:
            result.errors.append(problem or "cannot read")
            return result
        result.detection = detect(text) if self.fmt == "auto" else Detection(self.fmt, "chosen with --format")
        if result.detection.format is None:
            result.errors.append(f"unrecognised format: {result.detection.reason}")
            return result
        try:
            parsed = PARSERS[result.detection.format](text)
        except markdown.FrontMatterError as exc:
            result.errors.append(str(exc))
            return result
        if not parsed.sections or not parsed.title:
            result.errors.append(f"no essay text found when read as {result.detection.format}")
            return result
        result.essay = parsed
        result.topics = topics.suggest("\n".join(s.body_markdown for s in parsed.sections), self.topics,
                                       heading=parsed.title)
        hashes = frozenset(fingerprints(text))
        match = self.already_known(parsed.title, hashes)
        if match is not None and not self.force:
            source, why = match
            result.errors.append(f"already a source: '{source.id}' ({why}); not ingested again "
                                 "(--force drafts it again under that id)")
            return result
        planned = self.plan(path, parsed, result.detection.reason, match[0].id if match else None)
        self.known.append(KnownSource(planned[0].relpath.removeprefix("sources/").removesuffix(".md"),
                                      parsed.title, hashes))
        source_record = planned[0].relpath.removesuffix(".md")  # the copy guard's fingerprints go beside it
        planned.insert(1, PlannedFile(source_record + FINGERPRINT_SUFFIX, fingerprint_file_text(text)))
        written, problems = write_all(self.into, planned, force=self.force)
        result.written = [str(p) for p in written]
        result.errors += problems
        return result

    def plan(self, path: Path, parsed: Essay, reason: str, source_id: str | None = None) -> list[PlannedFile]:
        """The source record and one draft note per section, with run-unique slugs (and the id of the
        source the essay already is, when given)."""
        source_id = source_id or unique(slugify(parsed.title), self.source_ids)
        files = [PlannedFile(f"sources/{source_id}.md", source_text(parsed, source_id, path.name, reason))]
        tags = [t for t in parsed.tags if self.allowed_tags is None or t in self.allowed_tags]
        for index, section in enumerate(parsed.sections):
            # An unheaded opening is named 'Introduction' in the source; its note takes the essay's title.
            lead = index == 0 and section.title == LEAD_TITLE and not section.from_heading
            title = parsed.title if lead else section.title
            slug = unique(slugify(title), self.note_slugs)
            suggestions = topics.suggest(section.body_markdown, self.topics,
                                         heading=section.title if section.from_heading else "")
            text = note_text(section, title, source_id, path.name, suggestions, tags, self.today)
            files.append(PlannedFile(f"notes/{slug}.md", text))
        return files
