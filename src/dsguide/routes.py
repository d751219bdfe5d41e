"""Every URL rule in one place: slug → URL, URL → output file, URL → absolute URL."""

from __future__ import annotations

from dataclasses import dataclass

# Top-level names the site writes itself, which a free page (`/<slug>/`) may not take: every section,
# folder and root file the renderer, the static copy and Pagefind write, and a few that planned
# features use (`page` for `/page/N/` pagination, `og` images, `previews.json`). Names with a dot can
# never be slugs; they are listed so this stays the one list of what the site root holds.
RESERVED = frozenset({
    "notes", "topics", "tags", "audiences", "sources", "paths", "search", "further-reading", "static", "pagefind", "og",
    "page", "404", "feed.xml", "sitemap.xml", "robots.txt", "notes.json", "previews.json",
    "search-terms.json", "404.html",
    "favicon.ico", "favicon.svg", "index.html", ".dsguide-output", "__dsguide",  # serve's live reload
})
# Names an item inside a listed section may not take: `/notes/page/2/` is the notes index, page 2.
SECTION_RESERVED = frozenset({"page"})


def reserved_slugs(kind: str) -> frozenset[str]:
    """The slugs a content file of `kind` may not have, because its URL would clash with the site's own."""
    return RESERVED if kind == "page" else SECTION_RESERVED


@dataclass(frozen=True)
class Routes:
    """URLs are site-absolute paths under `base_path` ('/' or '/project/')."""

    base_path: str
    base_url: str

    def home(self) -> str:
        return self.base_path

    def note(self, slug: str) -> str:
        return f"{self.base_path}notes/{slug}/"

    def notes_index(self) -> str:
        return f"{self.base_path}notes/"

    def topic(self, slug: str) -> str:
        return f"{self.base_path}topics/{slug}/"

    def tags_index(self) -> str:
        return f"{self.base_path}tags/"

    def tag(self, slug: str) -> str:
        return f"{self.base_path}tags/{slug}/"

    def audience(self, slug: str) -> str:
        return f"{self.base_path}audiences/{slug}/"

    def source(self, slug: str) -> str:
        return f"{self.base_path}sources/{slug}/"

    def path(self, slug: str) -> str:
        return f"{self.base_path}paths/{slug}/"

    def page(self, slug: str) -> str:
        return f"{self.base_path}{slug}/"

    def list_page(self, url: str, number: int) -> str:
        """Page `number` (1-based) of the list at `url`: the first at `url` itself, then `url`page/2/…"""
        return url if number == 1 else f"{url}page/{number}/"

    def further_reading(self) -> str:
        return f"{self.base_path}further-reading/"

    def search(self) -> str:
        return f"{self.base_path}search/"

    def file(self, name: str) -> str:
        """A file at the site root or below it: 'feed.xml', 'static/site.css'."""
        return f"{self.base_path}{name}"

    def site_url(self, url: str) -> str:
        """A URL from the `navigation` setting ('/notes/') under the base path."""
        return self.base_path + url.lstrip("/") if url.startswith("/") else url

    def absolute(self, url: str) -> str:
        return self.base_url + url.removeprefix(self.base_path)

    def output_file(self, url: str) -> str:
        """Where the page for `url` is written, relative to the output folder."""
        relative = url.removeprefix(self.base_path)
        return relative + "index.html" if relative.endswith("/") or not relative else relative
