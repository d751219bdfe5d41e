"""site.yaml as a frozen, typed value. Unknown keys and wrong types are errors with their line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .diagnostics import Diagnostic, error
from .schema import SITE, WEB_URL_RE, check_value
from .yamltext import parse_yaml


@dataclass(frozen=True)
class Topic:
    slug: str
    name: str
    description: str
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Audience:
    slug: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class Tag:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class NavItem:
    title: str
    url: str


@dataclass(frozen=True)
class SiteConfig:
    """Everything site.yaml says; `root` is the folder site.yaml is in (content/ and templates/ live there)."""

    root: Path
    title: str
    description: str
    base_url: str
    language: str = "en"
    repository: str | None = None
    edit_branch: str = "main"
    output: str = "public"
    templates: str = "templates"
    static: str = "static"
    page_size: int = 50  # notes per page of a list (topic, tag, audience, all notes); see render.paginate
    topics: tuple[Topic, ...] = ()
    audiences: tuple[Audience, ...] = ()
    tags: tuple[str, ...] | None = None  # the allowed tag slugs, or None when any slug is allowed
    tag_vocabulary: tuple[Tag, ...] = ()  # the same tags with their names and descriptions
    review_after_months: int = 12  # check warns about notes not checked against their source for longer
    navigation: tuple[NavItem, ...] = ()
    synonyms: tuple[tuple[str, ...], ...] = ()
    config_path: str = "site.yaml"
    pagefind_timeout: int = 120  # seconds; site.yaml search.pagefind_timeout

    @property
    def base_path(self) -> str:
        """The URL path the site lives under ('/' or '/project/'), prefixed to every internal link."""
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def templates_dir(self) -> Path:
        return (self.root / self.templates).resolve()

    @property
    def static_dir(self) -> Path:
        return (self.root / self.static).resolve()

    @property
    def source_dirs(self) -> tuple[Path, ...]:
        """The folders a build reads: serve watches them, and no output folder may overlap them."""
        return (self.content_dir, self.templates_dir, self.static_dir)

    def topic(self, slug: str) -> Topic:
        return next(t for t in self.topics if t.slug == slug)

    def audience(self, slug: str) -> Audience:
        return next(a for a in self.audiences if a.slug == slug)

    def tag(self, slug: str) -> Tag | None:
        """The vocabulary entry for a tag; None when site.yaml declares no tags."""
        return next((t for t in self.tag_vocabulary if t.slug == slug), None)

    def vocabularies(self) -> dict[str, tuple[str, ...]]:
        vocab = {"topics": tuple(t.slug for t in self.topics),
                 "audiences": tuple(a.slug for a in self.audiences)}
        if self.tags is not None:
            vocab["tags"] = self.tags
        return vocab


def load_config(path: Path, *, base_url: str | None = None) -> tuple[SiteConfig | None, list[Diagnostic]]:
    """Read and validate site.yaml; None with diagnostics when it is unusable."""
    shown = path.name if path.parent == Path(".") else str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [error(shown, 0, 0, "not-utf8", f"not UTF-8 text: {exc.reason}")]
    except FileNotFoundError as exc:
        return None, [error(shown, 0, 0, "config-missing", f"cannot read config: {exc.strerror}")]
    except OSError as exc:
        return None, [error(shown, 0, 0, "unreadable", f"cannot read config: {exc.strerror}")]
    doc, diagnostics = parse_yaml(text, shown)
    if doc is None:
        return None, diagnostics
    if doc.value is None:
        required = [f.name for f in SITE.fields if f.required]
        needs = f"{', '.join(required[:-1])} and {required[-1]}"
        return None, [error(shown, 0, 0, "empty-config", f"{path.name} is empty: it needs at least {needs}")]
    diagnostics += check_value(doc.value, SITE, path=shown, doc=doc, at=())
    if diagnostics:
        return None, diagnostics
    data = doc.value
    for key in ("topics", "audiences", "tags"):
        seen: set[str] = set()
        for index, item in enumerate(data.get(key) or []):
            if item["slug"] in seen:
                line, col = doc.where((key, index, "slug"))
                diagnostics.append(error(shown, line, col, "duplicate-slug",
                                         f"{key} lists '{item['slug']}' twice"))
            seen.add(item["slug"])
    if problem := _base_url_problem(data["base_url"]):
        diagnostics.append(error(shown, *doc.where(("base_url",)), "bad-url", f"base_url {problem}"))
    url = data["base_url"] if base_url is None else base_url
    if base_url is not None and (problem := _base_url_problem(base_url)):
        diagnostics.append(error("--base-url", 0, 0, "bad-url", problem))
    if diagnostics:
        return None, diagnostics
    config = SiteConfig(
        root=path.parent.resolve(),
        title=data["title"],
        description=data["description"].strip(),
        base_url=normalised_base_url(url),
        language=data.get("language", "en"),
        repository=data.get("repository"),
        edit_branch=data.get("edit_branch", "main"),
        output=data.get("output", "public"),
        templates=data.get("templates", "templates"),
        static=data.get("static", "static"),
        page_size=data.get("page_size", 50),
        topics=tuple(Topic(t["slug"], t["name"], t["description"], tuple(t.get("keywords") or ()))
                     for t in data["topics"]),
        audiences=tuple(Audience(a["slug"], a["name"], a.get("description", ""))
                        for a in data.get("audiences") or ()),
        tags=tuple(t["slug"] for t in data["tags"]) if data.get("tags") is not None else None,
        tag_vocabulary=tuple(Tag(t["slug"], t["name"], t["description"]) for t in data.get("tags") or ()),
        review_after_months=data.get("review_after_months", 12),
        navigation=tuple(NavItem(n["title"], n["url"]) for n in data.get("navigation") or ()),
        synonyms=tuple(tuple(s.lower() for s in group)
                       for group in (data.get("search") or {}).get("synonyms") or ()),
        config_path=shown,
        pagefind_timeout=(data.get("search") or {}).get("pagefind_timeout", 120),
    )
    return config, []


def normalised_base_url(url: str) -> str:
    """`url` with its path ending in exactly one slash and no empty segments: `…/repo//` and
    `…/repo` both become `…/repo/`, so every link built on it has single slashes."""
    parts = urlsplit(url)
    path = "/".join(segment for segment in parts.path.split("/") if segment)
    return urlunsplit((parts.scheme, parts.netloc, f"/{path}/" if path else "/", "", ""))


def _base_url_problem(url: str) -> str | None:
    """Why `url` cannot be the address the site is published at, or None.

    Every canonical link, the feed and the sitemap are built by appending paths to it, so it must
    be an http(s) address with a host, and a query or fragment would end up in the middle of them.
    """
    try:
        parts = urlsplit(url)
        _ = parts.port  # raises ValueError for a port that is not a number
        usable = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and bool(WEB_URL_RE.match(url))
    except ValueError:  # also a malformed IPv6 address
        usable = False
    if not usable:
        return f"'{url}' must be an http:// or https:// address"
    if "?" in url or "#" in url:
        return f"'{url}' must not have a query (?) or a fragment (#)"
    return None
