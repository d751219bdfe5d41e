"""Reading a built site's HTML in tests: elements with their attributes and text, without a browser."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def ancestors(self) -> list[Element]:
        out, node = [], self.parent
        while node is not None:
            out.append(node)
            node = node.parent
        return out

    def iter(self) -> list[Element]:
        out = [self]
        for child in self.children:
            if isinstance(child, Element):
                out += child.iter()
        return out

    def find_all(self, tag: str | None = None, **attrs: str | bool) -> list[Element]:
        """Descendants (and self) with `tag` whose attributes match: a string is the value, True "present"."""
        def matches(e: Element) -> bool:
            for name, value in attrs.items():
                name = name.rstrip("_").replace("_", "-")
                if value is True and name not in e.attrs:
                    return False
                if value is not True and e.attrs.get(name) != value:
                    return False
            return tag is None or e.tag == tag
        return [e for e in self.iter() if matches(e)]

    def find(self, tag: str | None = None, **attrs: str | bool) -> Element:
        found = self.find_all(tag, **attrs)
        assert found, f"no <{tag}> with {attrs}"
        return found[0]


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Element(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def parse(html: str) -> Element:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def read(out: Path, url: str) -> Element:
    """The page at site URL `url` ('/notes/x/' or '/404.html') of the site built into `out`."""
    relative = url.lstrip("/")
    path = out / (relative + "index.html" if not relative or relative.endswith("/") else relative)
    return parse(path.read_text(encoding="utf-8"))


def html_pages(out: Path) -> list[Path]:
    """Every HTML page of a built site, Pagefind's bundle excluded."""
    return sorted(p for p in out.rglob("*.html") if "pagefind" not in p.relative_to(out).parts)


def url_of(out: Path, page: Path) -> str:
    relative = page.relative_to(out).as_posix()
    return "/" + relative.removesuffix("index.html")
