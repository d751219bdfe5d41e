"""What each page of the built fixture site offers a reader, read from the HTML (no browser)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from site_html import Element, html_pages, parse, read, url_of

BASE = "https://fixture.example.org"
ATOM = "{http://www.w3.org/2005/Atom}"


def hrefs(element: Element) -> list[str]:
    return [a.attrs["href"] for a in element.find_all("a", href=True)]


def card_titles(element: Element) -> list[str]:
    return [h.text() for h in element.iter() if "card-title" in h.attrs.get("class", "").split()]


def test_every_page_has_a_header_search_box_that_works_without_javascript(built_fixture: Path) -> None:
    """In the header; on the home and search pages, which have a bigger box of their own, only that one."""
    for path in html_pages(built_fixture):
        page = parse(path.read_text(encoding="utf-8"))
        own_box = url_of(built_fixture, path) in ("/", "/search/")
        in_header = page.find("header").find_all("form", role="search")
        assert len(in_header) == (0 if own_box else 1), path
        form = (in_header or page.find("main").find_all("form", role="search"))[0]
        assert form.attrs["action"] == "/search/" and form.attrs["method"] == "get", path
        box = form.find("input", name="q")
        assert page.find("label", for_=box.attrs["id"]), f"{path}: the search box has no label"
        assert form.find("button", type="submit")


def test_every_page_has_the_head_a_reader_and_a_crawler_need(built_fixture: Path) -> None:
    for path in html_pages(built_fixture):
        page = parse(path.read_text(encoding="utf-8"))
        url = url_of(built_fixture, path)
        assert page.find("html").attrs["lang"] == "en"
        assert page.find("title").text().strip()
        assert page.find("meta", name="description").attrs["content"].strip()
        assert page.find("meta", name="viewport")
        assert page.find("link", rel="canonical").attrs["href"] == BASE + url, path
        assert page.find("meta", property="og:url").attrs["content"] == BASE + url
        icons = {link.attrs["href"] for link in page.find_all("link", rel="icon")}
        assert icons == {"/favicon.ico", "/static/favicon.svg"}
        assert page.find("a", class_="skip-link").attrs["href"] == "#main"
        assert page.find("main", id="main")


def test_no_page_loads_anything_from_another_host(built_fixture: Path) -> None:
    for path in html_pages(built_fixture):
        page = parse(path.read_text(encoding="utf-8"))
        loaded = [e.attrs["src"] for e in page.find_all(src=True)]
        loaded += [e.attrs["href"] for e in page.find_all("link") if e.attrs.get("rel") in ("stylesheet", "icon",
                                                                                             "preload")]
        assert all(u.startswith("/") and not u.startswith("//") for u in loaded), (path, loaded)
    css = (built_fixture / "static" / "site.css").read_text(encoding="utf-8")
    assert "@font-face" not in css and "@import" not in css and "url(http" not in css


def test_home_says_what_this_is_and_offers_topics_paths_recent_notes_and_search(built_fixture: Path) -> None:
    home = read(built_fixture, "/")
    main = home.find("main")
    assert main.find("h1").text() == "Fixture Guide"
    assert main.find("p", class_="lede").text() == "A tiny knowledge base used by the tests."
    assert main.find("form", role="search").find("input", name="q")
    topics = main.find("section", id="topics")
    cards = topics.find_all("li", class_="card")
    assert [c.find("a").text() for c in cards] == ["Hiring", "Trust", "Burnout", "IC vs manager"]
    assert [c.find("p", class_="meta").text() for c in cards] == ["1 note", "2 notes", "1 note", "0 notes"]
    assert cards[0].find("p", class_="card-summary").text() == "Finding and interviewing people."
    paths = main.find("section", id="paths")
    assert hrefs(paths) == ["/paths/start-here/"]
    recent = main.find("section", aria_labelledby="recent-h")
    assert card_titles(recent) == ["Take rest days before you need them", "Keep interview loops short",
                                   "What the fixture notes add up to"]  # newest first, undated last
    assert "/audiences/new-manager/" in hrefs(main)


def test_note_page_has_everything_the_issue_lists(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/interview-loops/")
    article = page.find("article", class_="note")
    assert article.find("h1").text() == "Keep interview loops short"
    assert article.find("p", class_="summary").text().startswith("Long loops lose good candidates")
    assert "/topics/hiring/" in hrefs(article.find("header"))
    assert "/tags/interviews/" in hrefs(article)
    meta = article.find("p", class_="meta")
    assert "1 min read" in meta.text() and "/audiences/new-manager/" in hrefs(meta)
    assert meta.find("time").attrs["datetime"] == "2024-06-01"
    toc = article.find("nav", class_="toc")
    assert hrefs(toc) == ["#what-the-source-says", "#why-it-holds", "#try-this-week", "#when-it-does-not-apply"]
    aside = page.find("aside", class_="note-aside")
    drawn = aside.find("section", aria_labelledby="drawn-h")
    assert hrefs(drawn) == ["/sources/fixture-essay/"] and "section “Interviews”" in drawn.text()
    backlinks = aside.find("ul", class_="backlinks")
    assert hrefs(backlinks) == ["/notes/our-synthesis/", "/notes/rest-days/"]
    assert [b.text() for b in backlinks.find_all("blockquote")] == [
        "Read Keep interview loops short and then Take rest days before you need them.",
        "Loops like Keep interview loops short suffer too.",
    ]
    related = aside.find("section", aria_labelledby="related-h")
    assert card_titles(related) == ["Take rest days before you need them", "What the fixture notes add up to"]
    path_nav = aside.find("nav", class_="path-nav")
    assert "Step 1 of 2" in path_nav.text()
    assert path_nav.find("a", rel="next").attrs["href"] == "/notes/rest-days/"
    assert not path_nav.find_all("a", rel="prev")
    assert "https://example.org/fixture/repo/edit/main/content/notes/interview-loops.md" in hrefs(aside)


def test_a_note_with_fewer_than_three_headings_has_no_table_of_contents(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/our-synthesis/")
    assert not page.find_all("nav", class_="toc")
    drawn = page.find("section", aria_labelledby="drawn-h")
    assert "Our own synthesis" in drawn.text()


def test_note_json_ld_is_an_article(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/rest-days/")
    data = json.loads(page.find("script", type="application/ld+json").text())
    assert data["@type"] == "Article" and data["headline"] == "Take rest days before you need them"
    assert data["url"] == f"{BASE}/notes/rest-days/"
    assert data["dateModified"] == "2024-07-01"
    assert data["isBasedOn"] == [f"{BASE}/sources/fixture-essay/"]
    assert page.find("meta", property="og:type").attrs["content"] == "article"
    assert page.find("meta", name="description").attrs["content"] == data["description"]


def test_the_search_index_sees_text_not_chrome(built_fixture: Path) -> None:
    """Reading time, audience links and filter values stay out of the indexed text (and so out of excerpts)."""
    page = read(built_fixture, "/notes/rest-days/")
    body = page.find(data_pagefind_body=True)

    def indexed_text(element: Element) -> str:
        if "data-pagefind-ignore" in element.attrs:
            return ""
        return "".join(c if isinstance(c, str) else indexed_text(c) for c in element.children)

    text = " ".join(indexed_text(body).split())
    assert "min read" not in text and "Updated" not in text and "Job seekers" not in text
    assert text.startswith("Take rest days before you need them Rest planned in advance")
    filters = {(e.attrs["data-pagefind-filter"], e.text()) for e in body.find_all(data_pagefind_filter=True)}
    assert filters == {("kind", "Note"), ("topic", "Burnout"), ("topic", "Trust"), ("tag", "interviews"),
                       ("tag", "wellbeing"), ("evidence", "practitioner experience"), ("audience", "New managers"),
                       ("audience", "Job seekers"), ("source", "A made-up essay about teams")}
    assert all(any("hidden" in a.attrs for a in [e, *e.ancestors()]) for e in body.find_all(data_pagefind_filter=True))


@pytest.mark.parametrize(("url", "titles"), [
    ("/topics/trust/", ["Take rest days before you need them", "What the fixture notes add up to"]),
    ("/tags/interviews/", ["Keep interview loops short", "Take rest days before you need them"]),
    ("/audiences/new-manager/", ["Keep interview loops short", "Take rest days before you need them"]),
    ("/notes/", ["Keep interview loops short", "Take rest days before you need them",
                 "What the fixture notes add up to"]),
])
def test_listing_pages_show_their_notes_a_to_z_with_summaries(built_fixture: Path, url: str,
                                                              titles: list[str]) -> None:
    main = read(built_fixture, url).find("main")
    assert card_titles(main) == titles
    summaries = main.find_all("p", class_="card-summary")
    assert len(summaries) == len(titles) and all(s.text().strip() for s in summaries)


def test_topic_and_audience_pages_explain_themselves(built_fixture: Path) -> None:
    topic = read(built_fixture, "/topics/burnout/").find("main")
    assert topic.find("h1").text() == "Topic: Burnout" and topic.find("p", class_="lede").text() == "Rest and workload."
    audience = read(built_fixture, "/audiences/job-seeker/").find("main")
    assert audience.find("h1").text() == "For job seekers"
    empty = read(built_fixture, "/topics/ic-vs-manager/").find("main")
    assert "No notes yet." in empty.text()


def test_the_tags_index_lists_every_tag_with_its_count(built_fixture: Path) -> None:
    main = read(built_fixture, "/tags/").find("main")
    assert hrefs(main) == ["/tags/interviews/", "/tags/wellbeing/"]
    assert [" ".join(a.text().split()) for a in main.find_all("a")] == ["#interviews (2 notes)", "#wellbeing (1 note)"]
    assert "/tags/" in hrefs(read(built_fixture, "/").find("main"))
    assert "/tags/" in hrefs(read(built_fixture, "/tags/interviews/").find("main"))


def test_source_page_gives_the_facts_our_summary_and_the_notes_by_section(built_fixture: Path) -> None:
    main = read(built_fixture, "/sources/fixture-essay/").find("main")
    facts = main.find("dl", class_="facts").text()
    assert "Not named in the text" in facts and "1 May 2024" in facts and "essay" in facts
    assert "An invented essay for tests" in main.find("div", class_="prose").text()
    sections = main.find("section", aria_labelledby="drawn-h")
    assert [h.text() for h in sections.find_all("h3")] == ["Interviews", "Rest"]
    assert hrefs(sections) == ["/notes/interview-loops/", "/notes/rest-days/"]


def test_path_page_gives_the_audience_and_the_ordered_steps_with_reasons(built_fixture: Path) -> None:
    main = read(built_fixture, "/paths/start-here/").find("main")
    assert "/audiences/new-manager/" in hrefs(main.find("p", class_="meta"))
    steps = main.find("ol", class_="path-steps").find_all("li")
    assert [hrefs(s) for s in steps] == [["/notes/interview-loops/"], ["/notes/rest-days/"]]
    assert [s.find("p").text() for s in steps] == ["Hiring comes first.", "Then look after the people you hired."]


def test_404_offers_search_and_works_from_any_depth(built_fixture: Path) -> None:
    page = read(built_fixture, "/404.html")
    form = page.find("main").find("form", role="search")
    assert form.attrs["action"] == "/search/" and form.find("input", name="q")
    assert page.find("meta", name="robots").attrs["content"] == "noindex"
    # served for any missing URL, so every link and asset is site-absolute
    for e in page.iter():
        for attr in ("href", "src", "action"):
            value = e.attrs.get(attr)
            if value is not None:
                assert value.startswith(("/", "#", "https://")), value


def test_search_page_loads_the_search_ui_and_has_a_no_javascript_way_on(built_fixture: Path) -> None:
    page = read(built_fixture, "/search/")
    scripts = [s.attrs["src"] for s in page.find_all("script", src=True)]
    assert scripts == ["/static/site.js", "/static/search.js"]  # search.js imports Pagefind's own API
    assert not [link for link in page.find_all("link", rel="stylesheet") if "pagefind" in link.attrs["href"]]
    assert page.find("div", id="search").find("input", name="q")
    noscript = page.find("noscript")
    assert "/topics/hiring/" in hrefs(noscript) and "/notes/" in hrefs(noscript)


def test_highlighting_script_is_on_indexed_pages_only(built_fixture: Path) -> None:
    for path in html_pages(built_fixture):
        page = parse(path.read_text(encoding="utf-8"))
        indexed = bool(page.find_all(data_pagefind_body=True))
        scripts = page.find_all("script", src="/static/highlight.js")
        assert bool(scripts) == indexed, path
        if scripts:
            assert "defer" in scripts[0].attrs
            assert scripts[0].attrs["data-bundle"] == "/pagefind/pagefind-highlight.js"
            assert json.loads(scripts[0].attrs["data-synonyms"]) == [["ic", "individual contributor"]]


def test_feed_is_atom_with_absolute_links(built_fixture: Path) -> None:
    feed = ET.parse(built_fixture / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}link[@rel='self']").attrib["href"] == f"{BASE}/feed.xml"
    assert feed.findtext(f"{ATOM}updated") == "2024-07-01T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [
        f"{BASE}/notes/rest-days/", f"{BASE}/notes/interview-loops/", f"{BASE}/notes/our-synthesis/"]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.findtext(f"{ATOM}summary")
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT00:00:00Z", entry.findtext(f"{ATOM}updated") or "")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None


def test_sitemap_lists_every_page_but_the_404_with_absolute_urls(built_fixture: Path) -> None:
    root = ET.parse(built_fixture / "sitemap.xml").getroot()
    locs = [e.text for e in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    expected = sorted(BASE + url_of(built_fixture, p) for p in html_pages(built_fixture) if p.name != "404.html")
    assert sorted(locs) == expected
    robots = (built_fixture / "robots.txt").read_text(encoding="utf-8")
    assert robots.splitlines() == ["User-agent: *", "Allow: /", f"Sitemap: {BASE}/sitemap.xml"]


def test_notes_json_describes_every_note(built_fixture: Path) -> None:
    records = json.loads((built_fixture / "notes.json").read_text(encoding="utf-8"))
    assert [r["slug"] for r in records] == ["interview-loops", "our-synthesis", "rest-days"]
    first = records[0]
    assert {"slug", "title", "summary", "topics", "tags", "audience", "url", "sources", "links"} <= set(first)
    assert first["url"] == f"{BASE}/notes/interview-loops/"
    assert first["sources"] == [{"source": "fixture-essay", "section": "Interviews"}]
    assert first["links"] == ["rest-days"]


def test_favicons_exist_where_browsers_ask(built_fixture: Path) -> None:
    ico = (built_fixture / "favicon.ico").read_bytes()
    assert ico[:4] == b"\x00\x00\x01\x00", "an ICO file"
    assert b"\x89PNG" in ico
    assert (built_fixture / "static" / "favicon.svg").read_text(encoding="utf-8").startswith("<svg")
