"""The search UI in Chromium on the fixture site: the dialog and its shortcuts, focus, the search page's address
(query and filters) across reload, Back and Forward, browsing by facet, whole questions, excerpts, highlighting.

Every wait is on a condition: the page marks `#search[data-state]` and the dialog `[data-state]` "ready" once
the answer to the latest query is drawn (older answers are dropped, never drawn).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser import chromium_browser
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture
def page(browser: Any, served_fixture: str) -> Iterator[Any]:
    """A page whose console must stay clean; it closes before the site's server stops (hence served_fixture)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    yield page
    context.close()
    assert problems == []


def search_ready(page: Any) -> None:
    expect(page.locator("#search")).to_have_attribute("data-state", "ready")


def result_links(page: Any) -> list[str]:
    hrefs = page.locator("#search-results .result-title a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return [h.split("?")[0] for h in hrefs]


# --- the dialog -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shortcut", ["/", "Control+k", "Meta+k"])
def test_a_shortcut_opens_the_dialog_and_escape_returns_focus(page: Any, served_fixture: str, shortcut: str) -> None:
    page.goto(served_fixture + "/notes/rest-days/")
    expect(page.locator("html")).to_have_attribute("data-search", "ready")
    page.locator(".breadcrumbs a").first.focus()
    page.keyboard.press(shortcut)
    dialog = page.locator("#search-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#dialog-q")).to_be_focused()
    assert page.evaluate("() => document.getElementById('search-dialog').matches(':modal')")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator(".breadcrumbs a").first).to_be_focused()


def test_typing_in_the_header_box_moves_into_the_dialog_with_results_as_you_type(page: Any,
                                                                              served_fixture: str) -> None:
    page.goto(served_fixture + "/notes/rest-days/")
    expect(page.locator("html")).to_have_attribute("data-search", "ready")
    page.locator("#header-q").click()
    expect(page.locator("#dialog-q")).to_be_focused()
    page.keyboard.type("loops")
    expect(page.locator("#search-dialog")).to_have_attribute("data-state", "ready")
    combobox = page.locator("#dialog-q")
    expect(combobox).to_have_attribute("aria-expanded", "true")
    options = page.locator("#dialog-results [role=option]")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert combobox.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    expect(page.locator("#dialog-status")).to_have_text(re.compile(r"^\d+ results? for “loops”"))


def test_arrow_keys_choose_a_result_and_enter_opens_it_highlighted(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/about/")
    expect(page.locator("html")).to_have_attribute("data-search", "ready")
    page.keyboard.press("/")
    page.keyboard.type("rest")
    expect(page.locator("#search-dialog")).to_have_attribute("data-state", "ready")
    options = page.locator("#dialog-results [role=option]")
    assert options.count() >= 2
    page.keyboard.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(options.nth(0)).to_have_attribute("aria-selected", "false")
    page.keyboard.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    target = options.nth(0).get_attribute("data-href")
    page.wait_for_load_state("networkidle")  # leaving while Pagefind still loads would log its aborted fetch
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target.split("?")[0]) + r"\?highlight=rest"))
    expect(page.locator("mark.search-hit").first).to_be_visible()


def test_a_word_nothing_matches_offers_topics_and_paths(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/about/")
    expect(page.locator("html")).to_have_attribute("data-search", "ready")
    page.keyboard.press("Control+k")
    page.keyboard.type("zzqxv")
    expect(page.locator("#search-dialog")).to_have_attribute("data-state", "ready")
    expect(page.locator("#dialog-status")).to_have_text("No results for “zzqxv”")
    empty = page.locator("#search-dialog .search-empty")
    expect(empty).to_be_visible()
    expect(empty.get_by_role("link", name=re.compile("^Hiring"))).to_have_attribute("href", "/topics/hiring/")
    expect(empty.get_by_role("link", name="reading path")).to_have_attribute("href", "/paths/")


# --- the search page ------------------------------------------------------------------------------------

def test_arriving_on_the_search_page_puts_focus_in_its_box_two_tabs_from_the_first_result(page: Any,
                                                                                         served_fixture: str) -> None:
    page.goto(served_fixture + "/search/?q=rest")
    search_ready(page)
    expect(page.locator("#search-q")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.locator("#search-results .result-title a").first).to_be_focused()
    page.locator("#search-q").focus()
    page.keyboard.press("ArrowDown")  # or straight down from the box
    expect(page.locator("#search-results .result-title a").first).to_be_focused()


def test_query_and_filters_live_in_the_address_across_reload_back_and_forward(page: Any,
                                                                             served_fixture: str) -> None:
    page.goto(served_fixture + "/search/")
    search_ready(page)
    page.locator("#search-q").fill("interviews")
    page.wait_for_function("() => location.search === '?q=interviews'")
    search_ready(page)
    assert set(result_links(page)) >= {"/notes/interview-loops/", "/notes/rest-days/"}
    page.locator("#facet-groups input[name=topic][value=Hiring]").check()
    page.wait_for_function("() => location.search === '?q=interviews&topic=hiring'")
    search_ready(page)
    assert result_links(page) == ["/notes/interview-loops/"]

    page.reload()
    search_ready(page)
    expect(page.locator("#search-q")).to_have_value("interviews")
    expect(page.locator("#facet-groups input[name=topic][value=Hiring]")).to_be_checked()
    assert result_links(page) == ["/notes/interview-loops/"]

    page.go_back()
    page.wait_for_function("() => location.search === '?q=interviews'")
    search_ready(page)
    expect(page.locator("#facet-groups input[name=topic][value=Hiring]")).not_to_be_checked()
    assert "/notes/rest-days/" in result_links(page)
    page.go_forward()
    page.wait_for_function("() => location.search === '?q=interviews&topic=hiring'")
    search_ready(page)
    assert result_links(page) == ["/notes/interview-loops/"]


def test_a_topic_alone_in_the_address_browses_that_topic(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/search/?topic=burnout")
    search_ready(page)
    assert result_links(page) == ["/notes/rest-days/"]
    expect(page.locator("#search-status")).to_have_text("1 result matches the chosen filters")
    expect(page.locator("#facet-groups input[name=topic][value=Burnout]")).to_be_checked()
    # values no result has are not offered; the ones the result has are, with its count
    labels = page.locator("#facet-groups label").all_inner_texts()
    assert "Hiring (0)" not in labels and "Trust (1)" in labels


def test_with_no_query_the_search_page_browses_every_page_by_facet(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/search/")
    search_ready(page)
    everything = len(result_links(page))
    assert everything >= 5  # notes, the path, the source, the page
    page.locator("#facet-groups input[name=kind][value=Note]").check()
    page.wait_for_function("() => location.search === '?kind=note'")
    search_ready(page)
    assert sorted(result_links(page)) == ["/notes/interview-loops/", "/notes/our-synthesis/", "/notes/rest-days/"]


def test_a_whole_question_falls_back_to_the_pages_with_most_of_its_words(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/search/?q=how+should+I+plan+rest+for+my+bakery")
    search_ready(page)
    expect(page.locator("#search-status")).to_have_text(re.compile(
        r"^No page has all of “plan rest bakery”; showing \d+ results? with most of them$"))
    assert result_links(page)[0] == "/notes/rest-days/"  # "plan" and "rest" (planned), no "bakery"
    expect(page.locator("#search .search-empty")).to_be_hidden()


def test_a_misspelled_word_gets_a_did_you_mean_from_the_site_s_own_words(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/search/?q=lopos")
    search_ready(page)  # nothing has the word as typed: answered for the correction instead
    corrected = re.compile(r"^Nothing matched “lopos”; showing .* for “loops”$")
    expect(page.locator("#search-status")).to_have_text(corrected)
    assert "/notes/interview-loops/" in result_links(page)
    page.goto(served_fixture + "/search/?q=candidtes")
    search_ready(page)
    expect(page.locator("#search-suggestion")).to_have_text("Did you mean candidates?")
    page.goto(served_fixture + "/search/?q=intervew+loops")
    search_ready(page)
    expect(page.locator("#search-suggestion")).to_have_text("Did you mean interview loops?")


def test_excerpts_show_only_words_on_the_page_and_no_repeated_section(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/search/?q=individual+contributor")
    search_ready(page)
    result = page.locator("#search-results .result").filter(has=page.locator("a[href^='/notes/rest-days/']"))
    excerpts = result.locator(".result-excerpt").all_inner_texts()
    assert excerpts and "individual contributor" in excerpts[0].lower()
    for text in excerpts:
        assert "⟦" not in text and "⟧" not in text and "(IC" not in text and not re.search(r"\bIC\b", text)
        assert not text.startswith("Summary")
    assert len(excerpts) == len(set(excerpts)), "a section repeats the page's own excerpt"


def test_the_opened_page_highlights_the_words_but_not_stop_words(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/notes/rest-days/?highlight=how&highlight=in&highlight=a&highlight=rest")
    page.wait_for_selector("mark.search-hit")
    prose = page.locator("article .summary").inner_text()
    assert " in " in prose and " a " in prose  # the stop words are there to be (wrongly) marked
    marks = {m.lower() for m in page.locator("mark.search-hit").all_inner_texts()}
    assert marks and all(m.startswith("rest") for m in marks), marks


def test_a_search_for_only_stop_words_still_searches(page: Any, served_fixture: str) -> None:
    page.goto(served_fixture + "/")
    terms = page.evaluate("async () => (await import('/static/search.js')).queryTerms('how to do it')")
    assert terms == ["how", "to", "do", "it"]
    terms = page.evaluate("async () => (await import('/static/search.js')).queryTerms(\"Should I become a manager?\")")
    assert terms == ["become", "manager"]
