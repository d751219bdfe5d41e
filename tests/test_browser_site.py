"""The built sites in Debian's Chromium: accessibility, console, search, synonyms, keyboard, small screens.

Each site is served on a free loopback port by a thread for the module and shut down after it. The
repository's own site (its real content and index) is where accessibility, narrowing and the golden
queries are checked; the fixture site gives exact expectations; a third small site checks synonyms.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from browser import chromium_browser
from conftest import FIXTURE_SITE, REPO, build, copy_site, serve

pytestmark = pytest.mark.browser

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
GOLDEN = REPO / "tests" / "golden_queries.yaml"
PHONE = {"width": 360, "height": 740}

SEARCH_JS = """async ([query, count]) => {
  const pagefind = await import('/pagefind/pagefind.js');
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, count).map(r => r.data()));
  return data.map(d => ({url: d.url, title: d.meta.title, excerpt: d.excerpt,
                         sections: (d.sub_results || []).filter(s => s.url.includes('#'))
                                                       .map(s => s.title + ': ' + s.excerpt)}));
}"""


# --- serving and watching ---------------------------------------------------------------------------

@contextmanager
def served(folder: Path) -> Iterator[str]:
    server, url = serve(folder)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium_browser() as chromium:
        yield chromium


@pytest.fixture(scope="module")
def fixture_url(built_fixture: Path) -> Iterator[str]:
    with served(built_fixture) as url:
        yield url


@pytest.fixture(scope="module")
def repo_site(built_repo_site: Path) -> Path:
    if len(list((built_repo_site / "notes").glob("*/index.html"))) < 3:
        pytest.skip("the repository has too few notes for these checks yet")
    return built_repo_site


@pytest.fixture(scope="module")
def repo_url(repo_site: Path) -> Iterator[str]:
    with served(repo_site) as url:
        yield url


@dataclass
class Watch:
    """Everything that went wrong while a page loaded and ran: console errors, exceptions, failed fetches."""

    problems: list[str] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("console", lambda m: self.problems.append(f"console {m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("response", lambda r: self.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}")
                if "ERR_ABORTED" not in (r.failure or "") else None)  # aborted by the next navigation


@contextmanager
def new_page(browser: Any, **options: Any) -> Iterator[tuple[Any, Watch]]:
    context = browser.new_context(**options)
    page = context.new_page()
    watch = Watch()
    watch.attach(page)
    try:
        yield page, watch
    finally:
        context.close()


def slug_of(url: str) -> str:
    match = re.search(r"/notes/([a-z0-9-]+)/", url)
    return match[1] if match else url


def search(page: Any, query: str, count: int = 10) -> list[dict[str, str]]:
    """The top results of Pagefind's own API for `query`, on the site the page is on."""
    return page.evaluate(SEARCH_JS, [query, count])


def result_count(page: Any) -> int:
    text = page.locator(".pagefind-ui__message").inner_text()
    match = re.match(r"(\d+) results? for", text)
    assert match, text
    return int(match[1])


def wait_for_results(page: Any) -> int:
    page.wait_for_function("() => /\\d+ results? for/.test("
                           "document.querySelector('.pagefind-ui__message')?.textContent || '')")
    return result_count(page)


def run_axe(page: Any) -> list[str]:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run `npm ci` (package.json lists axe-core)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    return [f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:5]]}"
            for v in result["violations"]]


def open_all_filters(page: Any) -> None:
    page.wait_for_selector("details.pagefind-ui__filter-block")
    page.evaluate("() => document.querySelectorAll('details.pagefind-ui__filter-block').forEach(d => d.open = true)")


# --- which pages to check -----------------------------------------------------------------------------

def representative_pages(out: Path) -> dict[str, str]:
    """Home, the richest note, the biggest topic, a path and the search page with a query that finds notes."""
    notes = sorted((out / "notes").glob("*/index.html"))
    richest = max(notes, key=lambda p: (p.read_text(encoding="utf-8").count("<h2"), p.parent.name))
    topics = sorted((out / "topics").glob("*/index.html"))
    biggest = max(topics, key=lambda p: (p.read_text(encoding="utf-8").count('class="card"'), p.parent.name))
    paths = sorted((out / "paths").glob("*/index.html"))
    records = json.loads((out / "notes.json").read_text(encoding="utf-8"))
    word = next(w for w in re.findall(r"[a-z]{5,}", records[0]["title"].lower()))
    pages = {
        "home": "/",
        "note": f"/notes/{richest.parent.name}/",
        "topic": f"/topics/{biggest.parent.name}/",
        "search": f"/search/?q={word}",
    }
    if paths:
        pages["path"] = f"/paths/{paths[0].parent.name}/"
    return pages


def every_kind_of_page(out: Path) -> list[str]:
    """One page of each template, for the small-screen check."""
    urls = ["/", "/notes/", "/search/?q=team", "/404.html"]
    for folder in ("notes", "topics", "tags", "audiences", "sources", "paths"):
        found = sorted((out / folder).glob("*/index.html"))
        if found:
            urls.append(f"/{folder}/{found[-1].parent.name}/")
    urls += [f"/{p.parent.name}/" for p in sorted(out.glob("*/index.html"))
             if p.parent.name not in ("notes", "topics", "tags", "audiences", "sources", "paths", "search")][:2]
    return urls


# --- accessibility and console ------------------------------------------------------------------------

KINDS = ["home", "note", "topic", "path", "search"]


def check_page(browser: Any, base: str, out: Path, kind: str) -> None:
    pages = representative_pages(out)
    if kind not in pages:
        pytest.skip(f"this site has no {kind} page")
    with new_page(browser) as (page, watch):
        page.goto(base + pages[kind])
        if kind == "search":
            assert wait_for_results(page) > 0, f"{pages[kind]} finds nothing"
            open_all_filters(page)
        page.wait_for_load_state("networkidle")
        problems = {}
        for scheme in ("light", "dark"):
            page.emulate_media(color_scheme=scheme)
            problems[scheme] = run_axe(page)
        assert problems == {"light": [], "dark": []}, pages[kind]
        assert watch.problems == [], pages[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_repo_site_pages_pass_axe_and_log_no_errors(browser: Any, repo_url: str, repo_site: Path, kind: str) -> None:
    check_page(browser, repo_url, repo_site, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_fixture_site_pages_pass_axe_and_log_no_errors(browser: Any, fixture_url: str, built_fixture: Path,
                                                       kind: str) -> None:
    check_page(browser, fixture_url, built_fixture, kind)


def test_the_404_page_and_a_missing_favicon_request_are_clean(browser: Any, fixture_url: str) -> None:
    with new_page(browser) as (page, watch):
        page.goto(fixture_url + "/404.html")
        assert page.request.get(fixture_url + "/favicon.ico").status == 200
        page.wait_for_load_state("networkidle")
        assert run_axe(page) == []
        assert watch.problems == []


# --- small screens ------------------------------------------------------------------------------------

@pytest.mark.parametrize("site_name", ["fixture", "repo"])
def test_no_page_scrolls_sideways_on_a_360px_phone(browser: Any, request: pytest.FixtureRequest,
                                                   site_name: str) -> None:
    out: Path = request.getfixturevalue("built_fixture" if site_name == "fixture" else "repo_site")
    base: str = request.getfixturevalue("fixture_url" if site_name == "fixture" else "repo_url")
    wide = []
    with new_page(browser, viewport=PHONE) as (page, watch):
        for url in every_kind_of_page(out):
            page.goto(base + url)
            if url.startswith("/search/"):
                wait_for_results(page)
                open_all_filters(page)
            width = page.evaluate("() => [document.scrollingElement.scrollWidth, window.innerWidth]")
            if width[0] > width[1]:
                wide.append(f"{url}: {width[0]} px wide in a {width[1]} px window")
        assert wide == []
        assert watch.problems == []


# --- search ---------------------------------------------------------------------------------------------

def test_a_search_narrows_with_each_filter(browser: Any, repo_url: str) -> None:
    """In each filter group pick a value that holds some but not all current results: the UI count drops to
    what Pagefind's API counts for the query with every filter chosen so far."""
    counts_js = """async ([query, filters]) => {
      const pagefind = await import('/pagefind/pagefind.js');
      const search = await pagefind.search(query, {filters});
      return {total: search.results.length, filters: search.filters};
    }"""
    query = "data"
    with new_page(browser) as (page, watch):
        page.goto(f"{repo_url}/search/?q={query}")
        total = wait_for_results(page)
        open_all_filters(page)
        chosen: dict[str, str] = {}
        steps = []
        for group in ("topic", "audience", "tag", "source", "kind"):
            counts = page.evaluate(counts_js, [query, chosen])
            assert counts["total"] == total
            narrower = sorted((c, v) for v, c in counts["filters"].get(group, {}).items() if 0 < c < total)
            if not narrower:
                continue
            expected, value = narrower[-1]  # the gentlest narrowing keeps later groups useful
            # The UI re-renders its filter panel after each search: wait for this value's box, open its group
            # again, and click only once its label shows; then wait for the box to be checked and the count.
            box = page.locator(f'input.pagefind-ui__filter-checkbox[name="{group}"][value="{value}"]')
            box.wait_for(state="attached")
            open_all_filters(page)
            label = page.locator(f'label[for="{box.get_attribute("id")}"]')
            label.wait_for(state="visible")
            label.click()
            page.wait_for_function("([name, value]) => [...document.querySelectorAll("
                                   "'input.pagefind-ui__filter-checkbox')].some(b => b.name === name "
                                   "&& b.value === value && b.checked)", arg=[group, value])
            page.wait_for_function("n => new RegExp(`^${n} results? for`).test("
                                   "document.querySelector('.pagefind-ui__message').textContent)", arg=expected)
            chosen[group] = value
            steps.append((group, value, total, expected))
            total = expected
        assert len(steps) >= 3, f"only {steps} narrowed"
        assert watch.problems == []


def test_the_address_follows_the_query_so_a_search_can_be_shared(browser: Any, fixture_url: str) -> None:
    with new_page(browser) as (page, watch):
        page.goto(fixture_url + "/search/")
        page.locator(".pagefind-ui__search-input").fill("loops")
        wait_for_results(page)
        page.wait_for_function("() => location.search === '?q=loops'")
        page.reload()
        assert wait_for_results(page) >= 1
        assert page.locator(".pagefind-ui__search-input").input_value() == "loops"
        assert watch.problems == []


def test_keyboard_alone_reaches_the_search_box_and_a_result_that_opens_highlighted(browser: Any,
                                                                                   fixture_url: str) -> None:
    with new_page(browser) as (page, watch):
        page.goto(fixture_url + "/")
        for _ in range(12):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.id") == "header-q":
                break
        else:
            pytest.fail("Tab never reached the header search box")
        page.keyboard.type("rest")
        page.keyboard.press("Enter")
        page.wait_for_url("**/search/?q=rest")
        wait_for_results(page)
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.classList.contains('pagefind-ui__result-link')"):
                break
        else:
            pytest.fail("Tab never reached a search result")
        visible = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
        assert visible != "none", "the focused result shows no focus outline"
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/notes/[a-z0-9-]+/\?highlight=rest"))
        page.wait_for_selector("mark.search-hit")
        assert page.locator("mark.search-hit").first.inner_text().lower().startswith("rest")
        assert watch.problems == []


def test_the_header_search_is_a_plain_form_without_javascript(browser: Any, fixture_url: str) -> None:
    with new_page(browser, java_script_enabled=False) as (page, _):
        page.goto(fixture_url + "/notes/rest-days/")
        page.locator("#header-q").fill("burnout")
        page.locator("#header-q").press("Enter")
        page.wait_for_url("**/search/?q=burnout")
        assert page.get_by_role("link", name="Burnout").first.is_visible()  # the no-JavaScript way on
        assert "needs JavaScript" in page.locator("main").inner_text()


def test_search_terms_and_their_synonyms_are_highlighted_on_the_opened_page(browser: Any, fixture_url: str) -> None:
    with new_page(browser) as (page, watch):
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url))
        page.goto(fixture_url + "/notes/rest-days/")
        page.wait_for_load_state("networkidle")
        assert not any("pagefind" in u for u in fetched), "the highlighter loads only for a search"
        page.goto(fixture_url + "/notes/rest-days/?highlight=ic")
        page.wait_for_selector("mark.search-hit")
        marks = page.locator("mark.search-hit").all_inner_texts()
        assert [" ".join(m.split()) for m in marks if m.strip()] == ["individual contributor"]
        assert page.locator("mark.search-hit").first.is_visible()
        assert watch.problems == []


# --- synonyms, against a real index ---------------------------------------------------------------------

SYNONYM_NOTES = {
    # slug: (body, expected to be found by every term of its group)
    "syn-ic-short": "Going back to being an IC after two years of leading is common.",
    "syn-ic-long": "Plenty of people grow for a decade as an individual contributor.",
    "syn-ds-short": "Our DS team reviews every chart before it ships.",
    "syn-ds-long": "Data science work goes better with a clear question.",
    "syn-ml-short": "Shipping ML to production takes patience and logging.",
    "syn-ml-long": "Machine learning projects can fail quietly for months.",
    "syn-em-short": "Your EM can unblock a stuck hiring loop.",
    "syn-em-long": "An engineering manager plans headcount a year ahead.",
    "syn-11-short": "Keep a weekly 1:1 with each report, even when busy.",
    "syn-11-long": "A one-on-one belongs to the report, not to the lead.",
}
# ordinary words around each sentence, so excerpts are windows of a page as long as a real note's
PADDING = ("This paragraph only adds ordinary words, so that the page reads about as long as a real note "
           "does and a search result shows a window of it around the matching sentence rather than all of it.")
GROUPS = {
    "ic": ["IC", "individual contributor"],
    "ds": ["DS", "data science", "data scientist"],
    "ml": ["ML", "machine learning"],
    "em": ["EM", "engineering manager"],
    "11": ["1:1", "one-on-one"],
}


@pytest.fixture(scope="module")
def synonym_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("synonyms")
    config = copy_site(FIXTURE_SITE, root / "site")
    text = config.read_text(encoding="utf-8")
    text = text.replace("    - [ic, individual contributor]\n", "".join(
        f"    - {json.dumps(g)}\n" for g in (["ic", "individual contributor"], ["ds", "data science", "data scientist"],
                                              ["ml", "machine learning"], ["em", "engineering manager"],
                                              ["1:1", "one-on-one", "one on one"])))
    config.write_text(text, encoding="utf-8")
    for number, (slug, body) in enumerate(SYNONYM_NOTES.items(), 1):
        (root / "site" / "content" / "notes" / f"{slug}.md").write_text(
            f"---\ntitle: Synonym note number {number}\nsummary: A note for the synonym tests.\n"
            f"topics: [trust]\noriginal: true\n---\n{PADDING}\n\n{body}\n\n{PADDING}\n", encoding="utf-8")
    build(config, root / "public")
    with served(root / "public") as url:
        yield url


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_every_term_of_a_synonym_group_finds_the_notes_that_use_any_of_them(browser: Any, synonym_url: str,
                                                                            group: str) -> None:
    with new_page(browser) as (page, watch):
        page.goto(synonym_url + "/")
        expected = {f"syn-{group}-short", f"syn-{group}-long"}
        for term in GROUPS[group]:
            results = search(page, term, 30)
            found = {slug_of(r["url"]) for r in results if "/notes/syn-" in r["url"]}
            assert found == expected, term
            for result in results:
                assert "(" not in result["title"], "synonyms never reach a result's title"
                if slug_of(result["url"]) in expected:
                    assert "Trust" not in result["excerpt"], "keywords stay out of the excerpt"
                    assert "<mark>" in result["excerpt"], (term, result["excerpt"])
        assert watch.problems == []


def test_a_synonym_match_shows_the_sentence_that_uses_the_word(browser: Any, synonym_url: str) -> None:
    with new_page(browser) as (page, _):
        page.goto(synonym_url + "/")
        (result,) = [r for r in search(page, "IC", 30) if "/syn-ic-long/" in r["url"]]
        assert "as an individual contributor <mark>(IC)" in result["excerpt"]
        (result,) = [r for r in search(page, "one-on-one", 30) if "/syn-11-short/" in r["url"]]
        assert "Keep a weekly 1:1 <mark>(one-on-one," in result["excerpt"]


# --- search quality --------------------------------------------------------------------------------------

def golden_queries() -> list[dict[str, Any]]:
    if not GOLDEN.is_file():
        return []
    return yaml.safe_load(GOLDEN.read_text(encoding="utf-8")) or []


def test_golden_queries_find_their_notes_in_the_top_three(browser: Any, repo_url: str, repo_site: Path) -> None:
    goldens = golden_queries()
    assert goldens, f"{GOLDEN.relative_to(REPO)} lists no queries"
    existing = {p.parent.name for p in (repo_site / "notes").glob("*/index.html")}
    misses = []
    with new_page(browser) as (page, watch):
        page.goto(repo_url + "/")
        for golden in goldens:
            missing = set(golden["expect"]) - existing
            assert not missing, f"{golden['query']!r} expects notes that do not exist: {sorted(missing)}"
            top = [slug_of(r["url"]) for r in search(page, golden["query"], 3)]
            lost = [slug for slug in golden["expect"] if slug not in top]
            if lost:
                misses.append(f"{golden['query']!r}: {lost} not in the top 3 {top}")
        assert watch.problems == []
    assert misses == []


def test_hidden_search_keywords_find_a_note_but_stay_out_of_section_excerpts(browser: Any, fixture_url: str) -> None:
    """'wellbeing' is only a tag of rest-days: it finds the note, yet no heading's excerpt shows the tag list.

    (Pagefind puts hidden text in the excerpt of the section it stands in; the keywords stand before the
    first heading, so only the page-level excerpt, shown when nothing else matched, can mention them.)
    """
    with new_page(browser) as (page, watch):
        page.goto(fixture_url + "/")
        [result] = search(page, "wellbeing", 3)
        assert slug_of(result["url"]) == "rest-days"
        [last] = search(page, "emergency", 1)[0]["sections"]  # the note's last section
        assert last.startswith("When it does not apply") and "wellbeing" not in last.lower()
        assert not [s for s in result["sections"] if "wellbeing" in s.lower()]
        assert watch.problems == []
