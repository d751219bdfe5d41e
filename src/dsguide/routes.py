"""Every URL rule in one place: slug → URL, URL → output file, URL → absolute URL."""

from __future__ import annotations

from dataclasses import dataclass

# top-level URL names a free page may not take
RESERVED = frozenset({"notes", "topics", "tags", "audiences", "sources", "paths", "search", "further-reading", "static",
                      "pagefind", "feed.xml", "sitemap.xml", "robots.txt", "notes.json", "404.html"})


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
