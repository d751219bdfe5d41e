"""A note page, search excluded, weighs at most 50 KB: its HTML plus the CSS, JS and icons it loads.

Pagefind's files are left out: the highlighter loads only when a search result opened the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO
from site_html import parse

BUDGET = 50_000  # bytes, uncompressed


def note_weight(out: Path, page: Path) -> tuple[int, list[str]]:
    """Bytes a browser fetches for a note page (HTML + stylesheets, scripts, icons), and what they are."""
    html = page.read_bytes()
    doc = parse(html.decode("utf-8"))
    assets = {e.attrs["src"] for e in doc.find_all("script", src=True)}
    assets |= {e.attrs["href"] for e in doc.find_all("link") if e.attrs.get("rel") in ("stylesheet", "icon")}
    assets = {a for a in assets if not a.startswith("/pagefind/")}
    icons = {e.attrs["href"] for e in doc.find_all("link", rel="icon")}
    if len(icons) > 1:  # a browser fetches one icon: count the larger
        assets -= icons
        assets.add(max(icons, key=lambda a: (out / a.lstrip("/")).stat().st_size))
    total = len(html) + sum((out / a.lstrip("/")).stat().st_size for a in assets)
    return total, sorted(assets)


@pytest.mark.parametrize("site_fixture", ["built_fixture", "built_repo_site"])
def test_every_note_page_is_within_the_weight_budget(site_fixture: str, request: pytest.FixtureRequest) -> None:
    if site_fixture == "built_repo_site" and not list((REPO / "content" / "notes").glob("*.md")):
        pytest.skip("the repository has no notes yet")
    out: Path = request.getfixturevalue(site_fixture)
    pages = sorted((out / "notes").glob("*/index.html"))
    assert pages
    weights = {page.parent.name: note_weight(out, page) for page in pages}
    heaviest = max(weights, key=lambda slug: weights[slug][0])
    total, assets = weights[heaviest]
    assert "/static/site.css" in assets and "/static/highlight.js" in assets
    assert total <= BUDGET, f"notes/{heaviest}/ weighs {total} bytes with {assets}"
