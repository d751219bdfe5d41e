"""Stage 7: Markdown → HTML fragments, then Jinja2 templates → every output file.

`Renderer.render_all` plans every page as a `PageJob` (template + context, the body left as a
`BodyRef` until the page is rendered); `render_pages` renders the jobs it is given, in this
process or across worker processes, and streams each page straight into the staging folder.
Every page is a pure function of the `Site`, so the output is the same for any worker count.
Autoescape and StrictUndefined are on, so a note's text can never inject markup and a template
typo fails the build.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import hashlib
import json
import math
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from .diagnostics import Diagnostic, error
from .markdown import heading_anchor, make_markdown, mark_sections, parse_document, render_html
from .model import Note, Page, ParsedMarkdown, RawDocument, ReadingPath, Site, Source
from .og_image import og_image_path
from .reader_data import add_heading_anchors, previews_json, search_terms_json
from .routes import Routes
from .synonyms import Synonyms, display, gloss
from .validate import EDITORS_SECTIONS

WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3
PAGE_LINKS_AROUND = 2  # numbered page links shown either side of the current one


@dataclass(frozen=True)
class PathNav:
    """Where a note stands in one reading path, for previous/next links."""

    path: ReadingPath
    position: int  # 1-based
    previous: Note | None
    next: Note | None


def make_environment(site: Site) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(site.config.templates_dir)),
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True, default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["isodate"] = lambda d: d.isoformat() if d else ""
    env.filters["longdate"] = lambda d: f"{d:%-d %B %Y}" if d else ""
    env.filters["tojson_ld"] = lambda v: Markup(
        json.dumps(v, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))
    return env


@dataclass(frozen=True)
class BodyRef:
    """The body HTML of a document, rendered only when its page is (see `Renderer.body`)."""

    kind: str
    slug: str
    editors_marked: bool = False  # a note's: each editors' section wrapped as ours (see body_html)


@dataclass(frozen=True)
class PageJob:
    """One page to render: where it goes, which template, and everything the template is given."""

    output: str  # relative path in the output folder
    url: str
    template: str
    context: dict[str, Any]


@dataclass(frozen=True)
class Written:
    """A file a build put into the staging folder."""

    output: str
    sha: str  # sha256 of the bytes
    indexed: bool  # Pagefind indexes it (an HTML page with data-pagefind-body)


@dataclass(frozen=True)
class Pagination:
    """One page of a long list: which page, the URL of every page, and the list's full length."""

    number: int  # 1-based
    urls: tuple[str, ...]
    total: int  # notes in the whole list

    @property
    def count(self) -> int:
        return len(self.urls)

    @property
    def url(self) -> str:
        return self.urls[self.number - 1]

    @property
    def previous(self) -> str | None:
        return self.urls[self.number - 2] if self.number > 1 else None

    @property
    def next(self) -> str | None:
        return self.urls[self.number] if self.number < self.count else None

    def shown(self) -> list[tuple[int, str] | None]:
        """The numbered links: first, last and two either side of this page; None marks a gap."""
        near = [n for n in range(1, self.count + 1)
                if n in (1, self.count) or abs(n - self.number) <= PAGE_LINKS_AROUND]
        out: list[tuple[int, str] | None] = []
        for index, n in enumerate(near):
            if index and n - near[index - 1] > 1:
                out.append(None)
            out.append((n, self.urls[n - 1]))
        return out


def paginate(urls: Routes, url: str, notes: list[Note], page_size: int) -> list[tuple[Pagination, list[Note]]]:
    """Split a list into pages of `page_size` (an empty list is one empty page)."""
    count = max(1, math.ceil(len(notes) / page_size))
    page_urls = tuple(urls.list_page(url, n) for n in range(1, count + 1))
    return [(Pagination(n, page_urls, len(notes)), notes[(n - 1) * page_size:n * page_size])
            for n in range(1, count + 1)]


class Renderer:
    """Renders every page of a `Site`; one instance per build."""

    def __init__(self, site: Site):
        self.site = site
        self.config = site.config
        self.urls = Routes(site.config.base_path, site.config.base_url)
        self.env = make_environment(site)
        self.env.globals.update(site=site.config, urls=self.urls)  # imported macros see globals only
        self.md = make_markdown()
        self.synonyms = Synonyms(site.config.synonyms)
        self.env.globals["synonyms_json"] = json.dumps([list(g) for g in site.config.synonyms], ensure_ascii=False)
        self.sources = {s.id: s for s in site.content.sources}
        self.paths = {p.id: p for p in site.content.paths}
        self.pages = {p.slug: p for p in site.content.pages}
        self.documents: dict[str, dict[str, Note] | dict[str, Source] | dict[str, ReadingPath] | dict[str, Page]] = {
            "note": site.notes_by_slug, "source": self.sources, "path": self.paths, "page": self.pages}
        self.outputs: dict[str, str] = {}  # files made outside the templates' page jobs (feeds, JSON)
        self.jobs: list[PageJob] = []
        self.fingerprints: dict[int, tuple[object, bytes]] = {}  # id → (object, digest), see _fingerprint
        self.rendering = ""  # the page being rendered, for error messages
        self.html_urls: list[str] = []

    # --- helpers ------------------------------------------------------------------------------

    def resolve_wikilink(self, target: str, anchor: str | None, label: str | None) -> tuple[str, str] | None:
        note = self.site.notes_by_slug.get(target)
        if note is None:
            return None
        href = self.urls.note(target) + (f"#{heading_anchor(anchor)}" if anchor else "")
        return href, label or note.title

    def body_html(self, ref: BodyRef) -> str:
        """The body as HTML, with search synonyms beside the terms they stand for (see synonyms.py) and,
        for a note, each editors' section (validate.EDITORS_SECTIONS) in a <section> labelled as ours,
        so a reader can tell what the source says from what the dsguide editors add."""
        parsed = self.parsed(ref.kind, ref.slug)
        if not parsed.has_tokens:  # read from the build cache: parse this body again to render it
            parsed = parse_document(self.md, self.documents[ref.kind][ref.slug].doc)[0]
        if ref.editors_marked:
            parsed = replace(parsed, tokens=mark_sections(parsed.tokens, EDITORS_SECTIONS, _editors_section))
        html = self.synonyms.annotate_html(render_html(self.md, parsed, self.resolve_wikilink))
        return add_heading_anchors(html)

    def search_terms(self, *texts: str) -> str:
        """The synonyms of terms in a page's title and summary, as hidden text beside them (synonyms.py)."""
        partners = self.synonyms.partners_in("\n".join(texts))
        return gloss(", ".join(map(display, partners))) if partners else ""

    def search_keywords(self, *keywords: str) -> str:
        """Hidden words that help a note be found: its topic names and tags, and their synonyms."""
        partners = self.synonyms.partners_in("\n".join(keywords))
        return gloss(", ".join(dict.fromkeys([*keywords, *map(display, partners)])))

    def parsed(self, kind: str, slug: str) -> ParsedMarkdown:
        return self.site.markdown[(kind, slug)]

    def notes(self, slugs: tuple[str, ...] | list[str]) -> list[Note]:
        return [self.site.notes_by_slug[s] for s in slugs if s in self.site.notes_by_slug]

    def by_title(self, notes: list[Note]) -> list[Note]:
        return sorted(notes, key=lambda n: (n.title.casefold(), n.slug))

    def recent(self, notes: list[Note]) -> list[Note]:
        return sorted(notes, key=lambda n: (-(n.updated or dt.date.min).toordinal(), n.title.casefold()))

    def reading_minutes(self, note: Note) -> int:
        return max(1, math.ceil(self.parsed("note", note.slug).word_count / WORDS_PER_MINUTE))

    def edit_url(self, path: str) -> str | None:
        repo = self.config.repository
        return f"{repo.rstrip('/')}/edit/{self.config.edit_branch}/{path}" if repo else None

    def body(self, kind: str, slug: str) -> BodyRef:
        """A page's body, as a reference: its HTML is made when the page is rendered."""
        return BodyRef(kind, slug, editors_marked=kind == "note")

    def page(self, url: str, template: str, **context: Any) -> None:
        """Plan `template` as the page at `url`; `render_job` renders it."""
        context.setdefault("canonical", self.urls.absolute(url))
        context.update(page_url=url, topic_counts=self.topic_counts())
        self.jobs.append(PageJob(self.urls.output_file(url), url, template, context))
        if template != "404.html":  # the sitemap lists every page but the 404
            self.html_urls.append(url)

    def render_job(self, job: PageJob) -> str:
        """The text of one planned page."""
        self.rendering = job.url
        context = {name: self.body_html(value) if isinstance(value, BodyRef) else value
                   for name, value in job.context.items()}
        return self.env.get_template(job.template).render(**context)

    def job_key(self, job: PageJob, global_key: str) -> str:
        """A digest of everything the page is made from: its template and context, with each note
        as the fields a template can show and each body as its Markdown and the titles its
        wikilinks show. Templates, static files, site.yaml and dsguide itself are in `global_key`."""
        digest = hashlib.sha256(f"{global_key}\0{job.template}\0{job.url}\0".encode())
        for name in sorted(job.context):
            digest.update(f"{name}=".encode())
            _fingerprint(job.context[name], digest, self)
        return digest.hexdigest()

    def body_key(self, ref: BodyRef) -> str:
        parsed = self.parsed(ref.kind, ref.slug)
        titles = [f"{link.target}:{self.site.notes_by_slug[link.target].title}"
                  if link.target in self.site.notes_by_slug else link.target for link in parsed.wikilinks]
        return "\0".join([ref.kind, ref.slug, self.documents[ref.kind][ref.slug].doc.body, *titles])

    def topic_counts(self) -> list[tuple[Any, int]]:
        return [(t, len(self.site.notes_by_topic.get(t.slug, ()))) for t in self.config.topics]

    def path_nav(self, note: Note) -> list[PathNav]:
        navs = []
        for pos in self.site.path_positions.get(note.slug, ()):
            path = self.paths[pos.path_id]
            steps = [s.note for s in path.steps]
            prev = self.site.notes_by_slug.get(steps[pos.index - 1]) if pos.index > 0 else None
            nxt = self.site.notes_by_slug.get(steps[pos.index + 1]) if pos.index + 1 < len(steps) else None
            navs.append(PathNav(path, pos.index + 1, prev, nxt))
        return navs

    def attribution(self, note: Note) -> list[tuple[Source, str | None]]:
        return [(self.sources[r.source], r.section) for r in note.sources if r.source in self.sources]

    # --- pages --------------------------------------------------------------------------------

    def render_all(self) -> dict[str, str]:
        """Plan every page (into `self.jobs`) and make the machine-readable files (returned)."""
        site, urls = self.site, self.urls
        notes = list(site.content.notes)
        self.page(urls.home(), "home.html", recent=self.recent(notes)[:8], paths=list(site.content.paths),
                  note_count=len(notes), without_topic=sum(1 for n in notes if not n.topics))
        self.list_pages(urls.notes_index(), "notes_index.html", self.by_title(notes))
        for note in notes:
            self.render_note(note)
        for topic in self.config.topics:
            self.list_pages(urls.topic(topic.slug), "topic.html",
                            self.by_title(self.notes(site.notes_by_topic[topic.slug])), topic=topic)
        for tag, slugs in site.notes_by_tag.items():
            self.list_pages(urls.tag(tag), "tag.html", self.by_title(self.notes(slugs)), tag=tag,
                            vocabulary=self.config.tag(tag))
        self.page(urls.tags_index(), "tags_index.html",
                  tags=[(tag, len(slugs)) for tag, slugs in site.notes_by_tag.items()])
        for audience in self.config.audiences:
            self.list_pages(urls.audience(audience.slug), "audience.html",
                            self.by_title(self.notes(site.notes_by_audience[audience.slug])), audience=audience)
        for source in site.content.sources:
            drawn = self.notes(site.notes_by_source.get(source.id, ()))
            by_section: dict[str, list[Note]] = {}
            for note in drawn:
                for ref in note.sources:
                    if ref.source == source.id:
                        by_section.setdefault(ref.section or "", []).append(note)
            order = {s: i for i, s in enumerate(source.sections)}
            sections = sorted(by_section.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))
            self.page(urls.source(source.id), "source.html", source=source, sections=sections,
                      body=self.body("source", source.id), note_count=len(drawn),
                      index_terms=self.search_terms(source.title))
        for path in site.content.paths:
            steps = [(step, site.notes_by_slug[step.note]) for step in path.steps
                     if step.note in site.notes_by_slug]
            self.page(urls.path(path.id), "path.html", path=path, steps=steps,
                      body=self.body("path", path.id), audiences=self.audiences(path.audience),
                      index_terms=self.search_terms(path.title, path.summary,
                                                    *(f"{note.title}\n{step.why}" for step, note in steps)))
        for page in site.content.pages:
            self.page(urls.page(page.slug), "page.html", page=page, body=self.body("page", page.slug),
                      edit_url=self.edit_url(page.doc.file.path),
                      index_terms=self.search_terms(page.title, page.summary))
        self.render_further_reading()
        self.page(urls.search(), "search.html", topics=self.config.topics)
        self.render_reader_files()
        self.page(urls.file("404.html"), "404.html", canonical=urls.absolute(urls.file("404.html")))
        self.render_machine_files(notes)
        return self.outputs

    def render_reader_files(self) -> None:
        """The paths index and the JSON files the reader-side scripts fetch (reader_data.py)."""
        site = self.site
        self.page(self.urls.file("paths/"), "paths_index.html", paths=list(site.content.paths))
        self.outputs["search-terms.json"] = search_terms_json(site)
        note_urls = {n.slug: self.urls.note(n.slug) for n in site.content.notes}
        self.outputs["previews.json"] = previews_json(site, note_urls)

    def list_pages(self, url: str, template: str, notes: list[Note], **context: Any) -> None:
        """A list of notes as pages of `page_size`: `url`, then `url`page/2/ and on."""
        for pagination, items in paginate(self.urls, url, notes, self.config.page_size):
            self.page(pagination.url, template, notes=items, pagination=pagination, **context)

    def render_further_reading(self) -> None:
        """/further-reading/: the works the essays recommend, grouped by the essay that points to each;
        no page when no source record has `recommended_by`."""
        groups: dict[str, list[Source]] = {}
        for work in self.site.content.sources:
            for essay in work.recommended_by:
                groups.setdefault(essay, []).append(work)
        if groups:
            ordered = [(self.sources[essay], sorted(works, key=lambda w: (w.title.casefold(), w.id)))
                       for essay, works in sorted(groups.items(), key=lambda kv: self.sources[kv[0]].title.casefold())
                       if essay in self.sources]
            self.page(self.urls.further_reading(), "further_reading.html", groups=ordered)

    def audiences(self, slugs: tuple[str, ...]) -> list[Any]:
        return [self.config.audience(s) for s in slugs]

    def render_note(self, note: Note) -> None:
        parsed = self.parsed("note", note.slug)
        headings = [h for h in parsed.headings if h.level in (2, 3)]
        backlinks = [(self.site.notes_by_slug[b.source_slug], b.sentence)
                     for b in self.site.backlinks.get(note.slug, ())]
        self.page(
            self.urls.note(note.slug), "note.html",
            note=note,
            body=self.body("note", note.slug),
            toc=headings if len(headings) >= TOC_MIN_HEADINGS else [],
            topics=[self.config.topic(t) for t in note.topics],
            audiences=self.audiences(note.audience),
            attribution=self.attribution(note),
            backlinks=backlinks,
            related=self.notes(self.site.related.get(note.slug, ())),
            path_navs=self.path_nav(note),
            reading_minutes=self.reading_minutes(note),
            edit_url=self.edit_url(note.doc.file.path),
            json_ld=self.json_ld(note),
            og_image=og_image_path(self.site, note),
            index_terms=self.search_terms(note.title, note.summary),
            index_keywords=self.search_keywords(*(self.config.topic(t).name for t in note.topics),
                                                *(t.replace("-", " ") for t in note.tags)),
        )

    def json_ld(self, note: Note) -> dict[str, Any]:
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": note.title,
            "description": note.summary,
            "url": self.urls.absolute(self.urls.note(note.slug)),
            "inLanguage": self.config.language,
            "keywords": ", ".join([*note.topics, *note.tags]),
            "isBasedOn": [self.urls.absolute(self.urls.source(s.id)) for s, _ in self.attribution(note)],
        }
        if note.updated:
            data["dateModified"] = note.updated.isoformat()
        return data

    def render_machine_files(self, notes: list[Note]) -> None:
        urls = self.urls
        feed_notes = self.recent(notes)[:30]
        newest = max((n.updated for n in notes if n.updated), default=None)
        self.outputs["feed.xml"] = self.env.get_template("feed.xml").render(
            notes=feed_notes,
            updated=newest or (self.site.build_date.date() if self.site.build_date else None),
        )
        self.outputs["sitemap.xml"] = self.env.get_template("sitemap.xml").render(
            pages=sorted(set(self.html_urls)),
        )
        self.outputs["robots.txt"] = (
            f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(urls.file('sitemap.xml'))}\n"
        )
        records = [
            {
                "slug": n.slug,
                "title": n.title,
                "summary": n.summary,
                "topics": list(n.topics),
                "tags": list(n.tags),
                "audience": list(n.audience),
                "url": urls.absolute(urls.note(n.slug)),
                "sources": [{"source": r.source, "section": r.section} for r in n.sources],
                "links": list(self.site.links_out.get(n.slug, ())),
                "related": list(self.site.related.get(n.slug, ())),
                "updated": n.updated.isoformat() if n.updated else None,
                "evidence": {"kind": n.evidence.kind, "context": n.evidence.context} if n.evidence else None,
                "reviewed": n.reviewed.isoformat() if n.reviewed else None,
            }
            for n in notes
        ]
        self.outputs["notes.json"] = json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def _editors_section(heading_id: str) -> tuple[str, str]:
    """The markup around an editors' section heading (heading_id is already escaped)."""
    return (f'<section class="editors" aria-labelledby="{heading_id}">\n',
            '<p class="editors-label">Added by the dsguide editors</p>\n')


class TemplateFailure(Exception):
    """A template that does not compile or render, as a diagnostic naming the template file and line."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format_text())
        self.diagnostic = diagnostic


def plan(site: Site) -> tuple[Renderer, dict[str, str]]:
    """A renderer with every page planned, and the machine-readable files; raises TemplateFailure."""
    renderer = Renderer(site)
    with template_failures(renderer):
        return renderer, renderer.render_all()


@contextlib.contextmanager
def template_failures(renderer: Renderer) -> Iterator[None]:
    """Turn an exception a template raises into a TemplateFailure naming the template line."""
    try:
        yield
    except Exception as exc:  # a template is code the maintainer wrote: report it, unless the fault is ours
        found = _template_diagnostic(exc, renderer.site, renderer.rendering)
        if found is None:
            raise
        raise TemplateFailure(found) from exc


def write_page(staging: Path, output: str, text: str) -> Written:
    """Put one file into the staging folder (a new file: never one shared with the published site)."""
    data = text.encode("utf-8")
    target = staging / output
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return Written(output, hashlib.sha256(data).hexdigest(),
                   output.endswith(".html") and b"data-pagefind-body" in data)


PARALLEL_MIN_PAGES = 200  # below this, starting worker processes costs more than it saves
CHUNK = 32  # pages a worker renders per task


def render_pages(renderer: Renderer, jobs: list[PageJob], staging: Path, workers: int,
                 on_progress: Callable[[int], None] | None = None) -> list[Written]:
    """Render `jobs` into `staging`, in this process or across `workers` forked processes.

    Workers inherit the planned site through fork (nothing large is pickled) and write their pages
    themselves, so no process holds every page. Raises TemplateFailure.
    """
    if workers <= 1 or len(jobs) < PARALLEL_MIN_PAGES or "fork" not in multiprocessing.get_all_start_methods():
        written = []
        with template_failures(renderer):
            for job in jobs:
                written.append(write_page(staging, job.output, renderer.render_job(job)))
                if on_progress:
                    on_progress(1)
        return written
    chunks = [list(range(start, min(start + CHUNK, len(jobs)))) for start in range(0, len(jobs), CHUNK)]
    gc.collect()
    gc.freeze()  # the site is shared with the workers; keep their collectors from copying it page by page
    try:
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker, initargs=(renderer, jobs, staging)) as pool:
            written = []
            for done in pool.imap_unordered(_render_chunk, chunks):
                if isinstance(done, Diagnostic):
                    pool.terminate()
                    raise TemplateFailure(done)
                written += done
                if on_progress:
                    on_progress(len(done))
    finally:
        gc.unfreeze()
    return sorted(written, key=lambda w: w.output)


@dataclass
class _WorkerState:
    renderer: Renderer
    jobs: list[PageJob]
    staging: Path


_worker: list[_WorkerState] = []  # in a worker process only: what it inherited from the build (set once)


def _start_worker(renderer: Renderer, jobs: list[PageJob], staging: Path) -> None:
    _worker.append(_WorkerState(renderer, jobs, staging))


def _render_chunk(indexes: list[int]) -> list[Written] | Diagnostic:
    state = _worker[0]
    try:
        with template_failures(state.renderer):
            return [write_page(state.staging, state.jobs[i].output, state.renderer.render_job(state.jobs[i]))
                    for i in indexes]
    except TemplateFailure as failure:  # sent back as a value: the exception itself does not pickle
        return failure.diagnostic


def _fingerprint(value: Any, digest: Any, renderer: Renderer) -> None:
    """Feed a canonical form of a template value into `digest` (see Renderer.job_key)."""
    if isinstance(value, BodyRef):
        digest.update(b"B")
        digest.update(renderer.body_key(value).encode())
    elif isinstance(value, str | int | float | bool | None | dt.date):
        digest.update(f"{type(value).__name__}:{value!r};".encode())
    elif isinstance(value, list | tuple):
        digest.update(b"[")
        for item in value:
            _fingerprint(item, digest, renderer)
        digest.update(b"]")
    elif isinstance(value, dict):
        digest.update(b"{")
        for key in sorted(value, key=repr):
            _fingerprint(key, digest, renderer)
            _fingerprint(value[key], digest, renderer)
        digest.update(b"}")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        known = renderer.fingerprints.get(id(value))
        if known is None or known[0] is not value:  # a note appears on many pages: digest it once
            inner = hashlib.sha256(f"{type(value).__name__}(".encode())
            for item in dataclasses.fields(value):
                field_value = getattr(value, item.name)
                if isinstance(field_value, RawDocument):  # the file's place; its body enters through BodyRef
                    field_value = field_value.file.path
                _fingerprint(field_value, inner, renderer)
            known = renderer.fingerprints[id(value)] = (value, inner.digest())
        digest.update(known[1])
    else:
        raise TypeError(f"cannot fingerprint a {type(value).__name__} for the build cache")


def _template_diagnostic(exc: Exception, site: Site, url: str) -> Diagnostic | None:
    """Where in the templates it went wrong: Jinja's own position for syntax errors, else the innermost
    template frame of the traceback (Jinja rewrites frames to template file and line). None when no
    template is to blame."""
    filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None) or 0
    if isinstance(exc, UnicodeDecodeError):
        filename, message = None, f"a template is not UTF-8 text ({exc.reason})"
    else:
        message = getattr(exc, "message", None) or f"{type(exc).__name__}: {exc}"
    if not isinstance(exc, jinja2.TemplateSyntaxError):
        templates = site.config.templates_dir.resolve()
        tb = exc.__traceback__
        while tb is not None:
            frame_file = Path(tb.tb_frame.f_code.co_filename)
            if frame_file.is_relative_to(templates):
                filename, line = str(frame_file), tb.tb_lineno
            tb = tb.tb_next
    if filename is None and not isinstance(exc, jinja2.TemplateError | UnicodeDecodeError):
        return None
    root = site.config.root.resolve()
    shown = Path(filename or site.config.templates_dir).resolve()
    shown_text = shown.relative_to(root).as_posix() if shown.is_relative_to(root) else str(shown)
    return error(shown_text, line, 0, "template", f"{message} (rendering {url or 'the site'})")
