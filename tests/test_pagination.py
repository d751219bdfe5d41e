"""Long lists (topic, tag, audience, all notes) are split into pages of site.yaml's `page_size`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, build, note, write_site

from dsguide.config import load_config


def page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def card_slugs(html: str) -> list[str]:
    return re.findall(r'class="card-title"><a href="/notes/([a-z0-9-]+)/"', html)


def page_links(html: str) -> list[tuple[str, str]]:
    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S)
    return re.findall(r'<a href="([^"]+)"([^>]*)>', nav[0]) if nav else []


@pytest.fixture(scope="module")
def paged_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """12 hiring notes (3 also tagged 'x') and 1 trust note, 5 to a page."""
    root = tmp_path_factory.mktemp("paged")
    files = {f"notes/n{i:02d}.md": note(f"Note {i:02d}", tags="[x]" if i < 3 else None) for i in range(12)}
    files["notes/t.md"] = note("Trust note", topics="[trust]", audience="[ic]")
    config = write_site(root / "site", files, MINIMAL_CONFIG + "page_size: 5\n")
    out = root / "public"
    build(config, out)
    return out


def test_a_long_topic_is_split_into_pages_at_stable_urls(paged_site: Path) -> None:
    pages = [page(paged_site, url) for url in ("/topics/hiring/", "/topics/hiring/page/2/", "/topics/hiring/page/3/")]
    assert [card_slugs(html) for html in pages] == [
        ["n00", "n01", "n02", "n03", "n04"], ["n05", "n06", "n07", "n08", "n09"], ["n10", "n11"]]
    assert not (paged_site / "topics/hiring/page/1").exists()  # page 1 is the plain URL
    assert not (paged_site / "topics/hiring/page/4").exists()
    assert "12 notes, A–Z; page 2 of 3" in pages[1]


def test_page_links_mark_the_current_page_and_link_previous_and_next(paged_site: Path) -> None:
    first, middle, last = (page(paged_site, u) for u in ("/topics/hiring/", "/topics/hiring/page/2/",
                                                         "/topics/hiring/page/3/"))
    assert page_links(middle) == [
        ("/topics/hiring/", ' rel="prev"'), ("/topics/hiring/", ""),
        ("/topics/hiring/page/2/", ' aria-current="page"'), ("/topics/hiring/page/3/", ""),
        ("/topics/hiring/page/3/", ' rel="next"')]
    assert page_links(first)[0] == ("/topics/hiring/", ' aria-current="page"')
    assert page_links(last)[-1] == ("/topics/hiring/page/3/", ' aria-current="page"')
    assert '<link rel="prev" href="/topics/hiring/">' in middle
    assert '<link rel="next" href="/topics/hiring/page/3/">' in middle
    assert 'rel="prev"' not in first and 'rel="next"' not in last


def test_short_lists_have_no_page_links_and_every_page_is_in_the_sitemap(paged_site: Path) -> None:
    assert page_links(page(paged_site, "/tags/x/")) == []
    assert page_links(page(paged_site, "/audiences/ic/")) == []
    assert card_slugs(page(paged_site, "/notes/page/3/")) == ["n10", "n11", "t"]
    sitemap = (paged_site / "sitemap.xml").read_text(encoding="utf-8")
    for url in ("topics/hiring/page/2/", "topics/hiring/page/3/", "notes/page/2/", "notes/page/3/"):
        assert f"<loc>https://tiny.example.org/{url}</loc>" in sitemap


@pytest.mark.parametrize(("value", "message"), [
    ("0", "'page_size' must be a whole number from 5 to 1000, not 0"),
    ("ten", "'page_size' must be a whole number from 5 to 1000, not a string"),
    ("true", "'page_size' must be a whole number from 5 to 1000, not a boolean"),
])
def test_page_size_is_validated_at_its_line(value: str, message: str, tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {}, MINIMAL_CONFIG + f"page_size: {value}\n")
    config, problems = load_config(config_path)
    line = MINIMAL_CONFIG.count("\n") + 1
    assert config is None
    assert [d.format_text() for d in problems] == [f"{config_path}:{line}:12: error[{d.code}]: {message}"
                                                   for d in problems]


def test_numbered_links_show_first_last_and_nearby_pages_with_gaps() -> None:
    from dsguide.render import Pagination

    pages = Pagination(5, tuple(f"/p{n}/" for n in range(1, 11)), 100)
    assert [s[0] if s else None for s in pages.shown()] == [1, None, 3, 4, 5, 6, 7, None, 10]
    assert (pages.previous, pages.next) == ("/p4/", "/p6/")
