"""Search-term highlighting on an opened page, at the 3-letter boundary, in Debian's Chromium.

Terms of up to three letters mark whole words only (and their plural), so "job" never marks
"jobless"; longer terms mark every word they start, as Pagefind matches "rest" in "resting".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser import chromium_browser
from conftest import build, note, serve, write_site

pytestmark = pytest.mark.browser

BODY = ("A job is not a career. Jobless months teach patience. Two jobs at once wear you out.\n\n"
        "Rest matters. Resting is a skill; arrest the slide early.")


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("highlight")
    config = write_site(root / "site", {"notes/jobs.md": note("Work and leisure", body=BODY)})
    build(config, root / "out")
    server, url = serve(root / "out")
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.mark.parametrize(("term", "marked"), [
    ("job", ["job", "jobs"]),               # three letters: whole words, not "Jobless"
    ("rest", ["Rest", "Resting"]),          # four letters: word starts, not "arrest"
])
def test_short_terms_mark_whole_words_and_longer_ones_word_starts(term: str, marked: list[str], browser: Any,
                                                                  site_url: str) -> None:
    page = browser.new_page()
    try:
        page.goto(f"{site_url}/notes/jobs/?highlight={term}")
        page.wait_for_selector("mark.search-hit")
        assert page.locator("mark.search-hit").all_inner_texts() == marked
    finally:
        page.close()
