"""Reading comfort in Chromium: the theme without a flash, previews by keyboard (and not on touch), the sticky
contents, the phone layout of search and notes, card grids without a lone card, no layout shift on search, and
axe on the open dialog and the reader-chosen dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from browser import chromium_browser
from conftest import serve
from playwright.sync_api import expect
from test_browser_site import run_axe

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}

# Records the theme attribute at the moment the first stylesheet <link> is parsed (nothing is painted before a
# render-blocking stylesheet), and again at DOMContentLoaded.
THEME_PROBE = """
window.__theme = {};
new MutationObserver((changes, observer) => {
  for (const change of changes) for (const node of change.addedNodes) {
    if (node.tagName === 'LINK' && node.rel === 'stylesheet' && !('atStylesheet' in window.__theme)) {
      window.__theme.atStylesheet = document.documentElement.getAttribute('data-theme');
      observer.disconnect();
    }
  }
}).observe(document, {childList: true, subtree: true});
document.addEventListener('DOMContentLoaded', () => {
  window.__theme.atDomContentLoaded = document.documentElement.getAttribute('data-theme');
  window.__theme.background = getComputedStyle(document.body).backgroundColor;
});
"""

LAYOUT_SHIFT_PROBE = """
window.__cls = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value; })
  .observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def repo_url(built_repo_site: Path) -> Iterator[str]:
    server, url = serve(built_repo_site)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def richest_note(out: Path) -> str:
    notes = sorted((out / "notes").glob("*/index.html"))
    best = max(notes, key=lambda p: (p.read_text(encoding="utf-8").count("<h2"), p.parent.name))
    return f"/notes/{best.parent.name}/"


def test_a_chosen_dark_theme_is_set_before_the_first_paint_and_kept_across_pages(context: Any,
                                                                               served_fixture: str) -> None:
    context.add_init_script(THEME_PROBE)
    page = context.new_page()
    page.goto(served_fixture + "/notes/rest-days/")
    toggle = page.locator(".theme-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    assert page.evaluate("() => window.__theme.atStylesheet") is None  # no choice yet: the system's theme
    light = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    dark = page.evaluate("() => getComputedStyle(document.body).backgroundColor")
    assert dark != light

    page.goto(served_fixture + "/notes/interview-loops/")
    theme = page.evaluate("() => window.__theme")
    assert theme == {"atStylesheet": "dark", "atDomContentLoaded": "dark", "background": dark}
    page.locator(".theme-toggle").click()  # and back: light is remembered too, even on a dark system
    page.emulate_media(color_scheme="dark")
    page.goto(served_fixture + "/")
    assert page.evaluate("() => window.__theme")["atStylesheet"] == "light"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == light


def test_a_linked_note_previews_on_keyboard_focus_and_escape_dismisses_it(context: Any, served_fixture: str) -> None:
    page = context.new_page()
    page.goto(served_fixture + "/notes/interview-loops/")
    link = page.locator(".prose a[href='/notes/rest-days/']")
    link.focus()
    preview = page.locator("#link-preview")
    expect(preview).to_be_visible()
    expect(preview).to_have_role("tooltip")
    expect(preview.locator("strong")).to_have_text("Take rest days before you need them")
    expect(link).to_have_attribute("aria-describedby", "link-preview")
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    expect(link).not_to_have_attribute("aria-describedby", "link-preview")
    page.locator(".prose a[href='/notes/rest-days/#why-it-holds']").hover()
    expect(preview).to_be_visible()


def test_previews_are_off_on_a_touch_screen(browser: Any, served_fixture: str) -> None:
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    try:
        page = context.new_page()
        page.goto(served_fixture + "/notes/interview-loops/")
        assert page.evaluate("() => matchMedia('(hover: hover)').matches") is False
        page.locator(".prose a[href='/notes/rest-days/']").focus()
        page.wait_for_load_state("networkidle")
        assert page.locator("#link-preview").count() == 0
    finally:
        context.close()


def test_the_contents_stay_in_view_beside_a_long_note_on_a_wide_screen(context: Any, repo_url: str,
                                                                      built_repo_site: Path) -> None:
    page = context.new_page()
    page.goto(repo_url + richest_note(built_repo_site))
    toc = page.locator("nav.toc")
    expect(toc.locator("details")).to_have_attribute("open", "")
    article = page.locator("article.note .prose").bounding_box()
    box = toc.bounding_box()
    assert box["x"] > article["x"] + article["width"], "the contents sit beside the text"
    page.mouse.wheel(0, 1200)
    page.wait_for_function("() => window.scrollY >= 1000")
    assert 0 <= toc.bounding_box()["y"] <= 40, "the contents stay at the top of the window"


def test_on_a_phone_the_first_result_and_a_note_s_first_paragraph_are_on_the_first_screen(
        browser: Any, repo_url: str, built_repo_site: Path) -> None:
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(repo_url + "/search/?q=stakeholders")
        expect(page.locator("#search")).to_have_attribute("data-state", "ready")
        first = page.locator("#search-results .result").first.bounding_box()
        assert first["y"] + 40 <= PHONE["height"], f"the first result starts at y={first['y']}"
        expect(page.locator("#search-facets")).not_to_have_attribute("open", "")  # filters folded, below
        expect(page.locator("#to-filters")).to_be_visible()
        page.goto(repo_url + richest_note(built_repo_site))
        paragraph = page.locator("article .prose > p").first.bounding_box()
        assert paragraph["y"] + 24 <= PHONE["height"], f"the first paragraph starts at y={paragraph['y']}"
        page.goto(repo_url + "/")
        boxes = page.locator("input[type=search]:visible, input[type=text]:visible")
        assert boxes.count() == 1, "one search box on the home page"
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 768, 1024, 1280, 1440])
def test_home_and_topic_pages_leave_no_card_alone_on_a_row(browser: Any, repo_url: str, built_repo_site: Path,
                                                           width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        page = context.new_page()
        topics = sorted(p.parent.name for p in (built_repo_site / "topics").glob("*/index.html"))
        for url in ["/", "/paths/", *(f"/topics/{t}/" for t in topics)]:
            page.goto(repo_url + url)
            for grid in page.locator("main ul.cards, main ul.topic-grid").all():
                tops = grid.locator(":scope > li").evaluate_all("els => els.map(e => Math.round(e.offsetTop))")
                rows = [tops.count(top) for top in dict.fromkeys(tops)]
                if len(rows) > 1 and rows[0] > 1:
                    assert rows[-1] > 1, f"{url} at {width}px: one card alone on the last row of {rows}"
    finally:
        context.close()


@pytest.mark.parametrize("width", [360, 1280])
def test_the_search_page_does_not_shift_as_results_and_filters_arrive(browser: Any, repo_url: str, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    try:
        context.add_init_script(LAYOUT_SHIFT_PROBE)
        page = context.new_page()
        page.goto(repo_url + "/search/?q=data")
        expect(page.locator("#search")).to_have_attribute("data-state", "ready")
        expect(page.locator("#facet-groups input").first).to_be_attached()
        page.wait_for_load_state("networkidle")
        assert page.evaluate("() => window.__cls") == 0
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_open_dialog_and_the_chosen_theme_pass_axe(context: Any, repo_url: str, built_repo_site: Path,
                                                       scheme: str) -> None:
    page = context.new_page()
    page.goto(repo_url + richest_note(built_repo_site))
    expect(page.locator(".theme-toggle")).to_be_visible()
    if scheme == "dark":
        page.locator(".theme-toggle").click()
        expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert run_axe(page) == []
    page.keyboard.press("Control+k")
    expect(page.locator("#dialog-q")).to_be_focused()
    page.keyboard.type("how to build trust with stakeholders")
    expect(page.locator("#search-dialog")).to_have_attribute("data-state", "ready")
    expect(page.locator("#dialog-results [role=option]").first).to_be_visible()
    assert run_axe(page) == []
    page.keyboard.press("Escape")
    page.goto(repo_url + "/search/?topic=hiring")
    expect(page.locator("#search")).to_have_attribute("data-state", "ready")
    assert run_axe(page) == []


def test_a_heading_anchor_copies_a_link_to_its_section(browser: Any, served_fixture: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=served_fixture)
        page = context.new_page()
        page.goto(served_fixture + "/notes/interview-loops/?highlight=loops")
        anchor = page.locator("h2#try-this-week a.heading-anchor")
        anchor.focus()
        expect(anchor).to_have_css("opacity", "1")  # shown when focused (and on hover)
        anchor.click()
        expect(page.locator("#site-announce")).to_have_text("Link to this section copied")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        assert copied == served_fixture + "/notes/interview-loops/#try-this-week"  # no ?highlight= in it
        assert page.url.endswith("#try-this-week")
    finally:
        context.close()
