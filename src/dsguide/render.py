"""Stage 7: Markdown → HTML fragments, then Jinja2 templates → every output file, in memory.

Nothing is written here; `write` puts the result on disk. Autoescape and StrictUndefined are on,
so a note's text can never inject markup and a template typo fails the build.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import markupsafe

from .diagnostics import Diagnostic, error
from .markdown import heading_anchor, make_markdown, render_html
from .model import Note, ParsedMarkdown, ReadingPath, Site, Source
from .routes import Routes
from .synonyms import Synonyms, display

WORDS_PER_MINUTE = 220
TOC_MIN_HEADINGS = 3


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
    env.filters["tojson_ld"] = lambda v: markupsafe.Markup(
        json.dumps(v, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c"))
    return env


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
        self.outputs: dict[str, str] = {}
        self.rendering = ""  # the page being rendered, for error messages
        self.html_urls: list[str] = []

    # --- helpers ------------------------------------------------------------------------------

    def resolve_wikilink(self, target: str, anchor: str | None, label: str | None) -> tuple[str, str] | None:
        note = self.site.notes_by_slug.get(target)
        if note is None:
            return None
        href = self.urls.note(target) + (f"#{heading_anchor(anchor)}" if anchor else "")
        return href, label or note.title

    def body_html(self, kind: str, slug: str) -> str:
        """The body as HTML, with search synonyms beside the terms they stand for (see synonyms.py)."""
        return self.synonyms.annotate_html(render_html(self.md, self.parsed(kind, slug), self.resolve_wikilink))

    def search_terms(self, *texts: str) -> str:
        """The synonyms of terms in a page's title and summary, as hidden text beside them (synonyms.py)."""
        partners = self.synonyms.partners_in("\n".join(texts))
        return f"({', '.join(map(display, partners))})" if partners else ""

    def search_keywords(self, *keywords: str) -> str:
        """Hidden words that help a note be found: its topic names and tags, and their synonyms."""
        partners = self.synonyms.partners_in("\n".join(keywords))
        return ", ".join(dict.fromkeys([*keywords, *map(display, partners)]))

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

    def page(self, url: str, template: str, **context: Any) -> None:
        """Render `template` as the page at `url`."""
        self.rendering = url
        context.setdefault("canonical", self.urls.absolute(url))
        html = self.env.get_template(template).render(
            page_url=url, topic_counts=self.topic_counts(), **context
        )
        self.outputs[self.urls.output_file(url)] = html
        if template != "404.html":  # the sitemap lists every page but the 404
            self.html_urls.append(url)

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
        site, urls = self.site, self.urls
        notes = list(site.content.notes)
        self.page(urls.home(), "home.html", recent=self.recent(notes)[:8], paths=list(site.content.paths),
                  note_count=len(notes))
        self.page(urls.notes_index(), "notes_index.html", notes=self.by_title(notes))
        for note in notes:
            self.render_note(note)
        for topic in self.config.topics:
            self.page(urls.topic(topic.slug), "topic.html", topic=topic,
                      notes=self.by_title(self.notes(site.notes_by_topic[topic.slug])))
        for tag, slugs in site.notes_by_tag.items():
            self.page(urls.tag(tag), "tag.html", tag=tag, notes=self.by_title(self.notes(slugs)))
        self.page(urls.tags_index(), "tags_index.html",
                  tags=[(tag, len(slugs)) for tag, slugs in site.notes_by_tag.items()])
        for audience in self.config.audiences:
            self.page(urls.audience(audience.slug), "audience.html", audience=audience,
                      notes=self.by_title(self.notes(site.notes_by_audience[audience.slug])))
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
                      body=self.body_html("source", source.id), note_count=len(drawn),
                      index_terms=self.search_terms(source.title))
        for path in site.content.paths:
            steps = [(step, site.notes_by_slug[step.note]) for step in path.steps
                     if step.note in site.notes_by_slug]
            self.page(urls.path(path.id), "path.html", path=path, steps=steps,
                      body=self.body_html("path", path.id), audiences=self.audiences(path.audience),
                      index_terms=self.search_terms(path.title, path.summary,
                                                    *(f"{note.title}\n{step.why}" for step, note in steps)))
        for page in site.content.pages:
            self.page(urls.page(page.slug), "page.html", page=page, body=self.body_html("page", page.slug),
                      edit_url=self.edit_url(page.doc.file.path),
                      index_terms=self.search_terms(page.title, page.summary))
        self.page(urls.search(), "search.html", topics=self.config.topics)
        self.page(urls.file("404.html"), "404.html", canonical=urls.absolute(urls.file("404.html")))
        self.render_machine_files(notes)
        return self.outputs

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
            body=self.body_html("note", note.slug),
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
            }
            for n in notes
        ]
        self.outputs["notes.json"] = json.dumps(records, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


class TemplateFailure(Exception):
    """A template that does not compile or render, as a diagnostic naming the template file and line."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.format_text())
        self.diagnostic = diagnostic


def render(site: Site) -> dict[str, str]:
    """Every output file of the site as {relative path: text}; raises TemplateFailure."""
    renderer = Renderer(site)
    try:
        return renderer.render_all()
    except Exception as exc:  # a template is code the maintainer wrote: report it, unless the fault is ours
        found = _template_diagnostic(exc, site, renderer.rendering)
        if found is None:
            raise
        raise TemplateFailure(found) from exc


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
