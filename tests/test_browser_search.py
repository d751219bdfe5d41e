"""The search page in a real browser: a query finds the note, a topic filter narrows the results."""

from __future__ import annotations

import pytest
from browser import chromium_browser

pytestmark = pytest.mark.browser


# Pagefind UI shows a placeholder per result until that result's data has loaded
EVERY_RESULT_LOADED = """() => {
    const items = [...document.querySelectorAll('.pagefind-ui__result')];
    return items.length > 0 && !document.querySelector('.pagefind-ui__result .pagefind-ui__loading')
        && items.every(li => li.querySelector('.pagefind-ui__result-link'));
}"""


def result_links(page) -> list[str]:
    """The pages in the results, in order, without highlight parameters or sub-result anchors."""
    hrefs = page.locator(".pagefind-ui__result-link").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    return list(dict.fromkeys(h.split("?")[0].split("#")[0] for h in hrefs))


def test_search_finds_a_note_and_a_topic_filter_narrows(served_fixture: str) -> None:
    with chromium_browser() as browser:
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"{served_fixture}/search/")
        box = page.locator(".pagefind-ui__search-input")
        box.fill("rest")
        page.wait_for_function(EVERY_RESULT_LOADED)
        before = result_links(page)
        assert "/notes/rest-days/" in before
        assert len(before) >= 2

        # the topic filter group starts open; Pagefind UI styles the checkbox, so click its label
        page.locator("label[for='topic-Hiring']").click()
        # the list empties and refills as the filter applies: wait for the refilled list
        page.wait_for_function("""() => {
            const links = [...document.querySelectorAll('.pagefind-ui__result-link')].map(a => a.href);
            return links.length > 0 && !links.some(h => h.includes('rest-days'));
        }""")
        after = result_links(page)
        assert after == ["/notes/interview-loops/"]
        assert errors == []


def test_search_runs_a_query_from_the_url(served_fixture: str) -> None:
    with chromium_browser() as browser:
        page = browser.new_page()
        page.goto(f"{served_fixture}/search/?q=candidates")
        page.wait_for_selector(".pagefind-ui__result-link")
        assert page.locator(".pagefind-ui__search-input").input_value() == "candidates"
        assert "/notes/interview-loops/" in result_links(page)
