"""`dsguide serve` while editing: errors in the browser, no stale caches, drafts shown and marked.

Every wait is on a condition (the served page changing), never a fixed sleep.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from browser import chromium_browser
from conftest import FIXTURE_SITE, copy_site
from test_serve import Serving, fetch, wait_until

OVERLAY = 'id="dsguide-build-errors"'
BANNER = 'id="dsguide-draft-banner"'
TYPO = "content/notes/rest-days.md:4:10: error[unknown-topic]: unknown topic 'burnot' (did you mean 'burnout'?)"


def headers(url: str) -> dict[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}


def break_topic(note: Path) -> str:
    good = note.read_text(encoding="utf-8")
    note.write_text(good.replace("topics: [burnout, trust]", "topics: [burnot, trust]"), encoding="utf-8")
    return good


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(FIXTURE_SITE, tmp_path / "site")


def test_a_failed_build_shows_its_errors_on_every_page_until_fixed(site: Path) -> None:
    serving = Serving("--config", site, "--port", "0")
    note = site.parent / "content" / "notes" / "rest-days.md"
    pages = [f"{serving.base}/", f"{serving.base}/notes/interview-loops/", f"{serving.base}/no/such/page/"]
    try:
        assert all(OVERLAY not in fetch(page)[1] for page in pages)
        good = break_topic(note)
        assert wait_until(lambda: OVERLAY in fetch(pages[0])[1])
        for page in pages:  # every page, the 404 page too, names the error at path:line:col
            status, html = fetch(page)
            assert TYPO.replace("'", "&#x27;") in html, page
            assert status == (404 if "no/such" in page else 200)
        assert "Take rest days before you need them" in fetch(f"{serving.base}/notes/rest-days/")[1]  # last good
        note.write_text(good, encoding="utf-8")
        assert wait_until(lambda: OVERLAY not in fetch(pages[0])[1])
        assert all(OVERLAY not in fetch(page)[1] for page in pages)
    finally:
        output = serving.stop()
    assert TYPO in output  # the terminal says it too


def test_a_site_broken_from_the_start_is_served_with_the_overlay_until_fixed(site: Path) -> None:
    note = site.parent / "content" / "notes" / "rest-days.md"
    good = break_topic(note)
    serving = Serving("--config", site, "--port", "0")
    try:
        status, html = fetch(f"{serving.base}/notes/rest-days/")
        assert status == 503 and TYPO.replace("'", "&#x27;") in html
        note.write_text(good, encoding="utf-8")
        assert wait_until(lambda: fetch(f"{serving.base}/notes/rest-days/")[0] == 200)
        assert OVERLAY not in fetch(f"{serving.base}/notes/rest-days/")[1]
    finally:
        serving.stop()


def test_the_overlay_escapes_what_it_shows(site: Path) -> None:
    serving = Serving("--config", site, "--port", "0")
    note = site.parent / "content" / "notes" / "rest-days.md"
    try:
        hostile = "topics: ['<img src=x onerror=alert(1)>']"
        note.write_text(note.read_text().replace("topics: [burnout, trust]", hostile))
        assert wait_until(lambda: OVERLAY in fetch(f"{serving.base}/")[1])
        html = fetch(f"{serving.base}/")[1]
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    finally:
        serving.stop()


def test_nothing_served_is_cached(site: Path) -> None:
    serving = Serving("--config", site, "--port", "0")
    try:
        css = next((serving.folder / "static").rglob("*.css")).relative_to(serving.folder).as_posix()
        for path in ("/", "/notes/rest-days/", f"/{css}", "/no/such/page/"):
            try:
                found = headers(serving.base + path)
            except urllib.error.HTTPError as exc:
                found = {k.lower(): v for k, v in exc.headers.items()}
            assert found.get("cache-control") == "no-cache", path
    finally:
        serving.stop()


def draft_site(site: Path) -> Path:
    note = site.parent / "content" / "notes" / "rest-days.md"
    note.write_text(note.read_text().replace("---\n", "---\ndraft: true\n", 1))
    for other in (site.parent / "content").rglob("*.md"):  # nothing published may link to a draft
        text = re.sub(r"\[\[rest-days[^\]]*\]\]", "rest days", other.read_text())
        other.write_text(text.replace("  - note: rest-days\n", "  - note: our-synthesis\n"))
    return site


def test_drafts_are_served_with_a_banner_by_default(site: Path) -> None:
    serving = Serving("--config", draft_site(site), "--port", "0")
    try:
        status, html = fetch(f"{serving.base}/notes/rest-days/")
        assert status == 200 and BANNER in html and "is not on the published site" in html
        assert BANNER not in fetch(f"{serving.base}/notes/interview-loops/")[1]
    finally:
        serving.stop()


def test_no_drafts_leaves_drafts_out(site: Path) -> None:
    serving = Serving("--config", draft_site(site), "--port", "0", "--no-drafts")
    try:
        status, html = fetch(f"{serving.base}/notes/rest-days/")
        assert status == 404 and BANNER in html and "left out by --no-drafts" in html  # the 404 says why
        assert fetch(f"{serving.base}/notes/interview-loops/")[0] == 200
    finally:
        serving.stop()


@pytest.mark.browser
def test_in_a_browser_a_broken_note_shows_the_overlay_and_the_fix_reloads_clean(site: Path) -> None:
    with chromium_browser() as browser:
        serving = Serving("--config", site, "--port", "0")
        note = site.parent / "content" / "notes" / "rest-days.md"
        page: Any = browser.new_page()  # type: ignore[attr-defined]
        try:
            page.goto(f"{serving.base}/notes/interview-loops/")
            assert page.locator("#dsguide-build-errors").count() == 0
            good = break_topic(note)
            overlay = page.locator("#dsguide-build-errors")
            overlay.wait_for(state="visible", timeout=30_000)  # the page reloaded itself
            assert TYPO in overlay.inner_text()
            note.write_text(good, encoding="utf-8")
            overlay.wait_for(state="detached", timeout=30_000)
            assert page.locator("h1").first.inner_text().strip() != ""
        finally:
            page.close()
            serving.stop()


def test_with_strict_the_overlay_names_the_warnings_that_failed_the_build(site: Path, tmp_path: Path) -> None:
    import argparse

    from dsguide.commands import serve

    note = site.parent / "content" / "notes" / "rest-days.md"
    note.write_text(note.read_text() + "\n<!-- a review note -->\n")
    args = serve.add_parser(argparse.ArgumentParser().add_subparsers()).parse_args(
        ["--config", str(site), "--strict", "--quiet"])
    state = serve.BuildState()
    assert serve.rebuild_and_show(args, state, tmp_path / "out", "http://127.0.0.1:1/") is None
    assert [(d.path, d.code) for d in state.problems] == [("content/notes/rest-days.md", "html-comment")]
    assert "html-comment" in serve.overlay_html(state.problems)


@pytest.mark.parametrize("name", ["rest-days.markdown", "rest-days.MD"])
def test_a_draft_in_any_markdown_file_name_build_accepts_gets_the_banner(name: str, site: Path) -> None:
    from dsguide.commands import serve

    draft_site(site)
    notes = site.parent / "content" / "notes"
    (notes / "rest-days.md").rename(notes / name)
    assert serve.draft_title(site.parent / "content", "/notes/rest-days/") == "Take rest days before you need them"
