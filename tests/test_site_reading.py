"""What the reader-side scripts read and what a shared link shows, checked in the built fixture site (no browser):
search-terms.json, previews.json, the paths index, breadcrumbs, heading anchors, the theme before paint,
Open Graph images, and topic pages that do not repeat their own topic on every card."""

from __future__ import annotations

import json
import struct
from pathlib import Path

from conftest import FIXTURE_SITE, build
from site_html import read

from dsguide.og_image import render_og_image

BASE = "https://fixture.example.org"


def test_search_terms_are_the_indexed_words_most_used_first(built_fixture: Path) -> None:
    words = json.loads((built_fixture / "search-terms.json").read_text(encoding="utf-8"))
    assert {"interview", "loops", "candidates", "rest"} <= set(words)
    assert len(words) == len(set(words)) and all(w == w.lower() and len(w) >= 4 for w in words)
    assert words.index("candidates") < words.index("panel")  # said more often, offered first
    assert not {"the", "and", "day2"} & set(words)  # short words and digits are never suggested


def one_og_image(site: Path, slug: str) -> Path:
    """A note's share image: og/<slug>.<digest of what it shows>.png, exactly one."""
    found = sorted((site / "og").glob(f"{slug}.*.png"))
    assert len(found) == 1, found
    return found[0]


def test_previews_give_each_note_url_its_title_and_summary(built_fixture: Path) -> None:
    previews = json.loads((built_fixture / "previews.json").read_text(encoding="utf-8"))
    assert previews["/notes/interview-loops/"] == {
        "title": "Keep interview loops short",
        "summary": "Long loops lose good candidates; three focused conversations are enough."}
    assert set(previews) == {f"/notes/{p.parent.name}/" for p in (built_fixture / "notes").glob("*/index.html")}


def test_two_builds_write_the_same_reader_files_and_images(tmp_path: Path, built_fixture: Path) -> None:
    again = tmp_path / "again"
    build(FIXTURE_SITE / "site.yaml", again)
    image = one_og_image(built_fixture, "interview-loops").relative_to(built_fixture).as_posix()
    for name in ("search-terms.json", "previews.json", image, "paths/index.html"):
        assert (again / name).read_bytes() == (built_fixture / name).read_bytes(), name


def test_the_menu_and_footer_lead_to_a_paths_index_that_lists_every_path(built_fixture: Path) -> None:
    page = read(built_fixture, "/paths/")
    assert [a.attrs["href"] for a in page.find("main").find_all("a")] == ["/paths/start-here/"]
    assert "/paths/" in [a.attrs["href"] for a in page.find("footer").find_all("a")]


def breadcrumb_trail(page) -> tuple[list[tuple[str, str]], dict]:
    nav = page.find("nav", class_="breadcrumbs")
    links = [(a.text(), a.attrs["href"]) for a in nav.find_all("a")]
    blocks = [json.loads(s.text()) for s in page.find_all("script", type="application/ld+json")]
    (trail,) = [b for b in blocks if b["@type"] == "BreadcrumbList"]
    return links, trail


def test_breadcrumbs_lead_from_topic_to_note_and_from_path_to_step(built_fixture: Path) -> None:
    links, trail = breadcrumb_trail(read(built_fixture, "/notes/interview-loops/"))
    assert links == [("Home", "/"), ("Hiring", "/topics/hiring/"),
                     ("Keep interview loops short", "/notes/interview-loops/")]
    assert [(i["position"], i["name"], i["item"]) for i in trail["itemListElement"]] == [
        (1, "Home", BASE + "/"), (2, "Hiring", BASE + "/topics/hiring/"),
        (3, "Keep interview loops short", BASE + "/notes/interview-loops/")]
    links, _ = breadcrumb_trail(read(built_fixture, "/paths/start-here/"))
    assert links == [("Home", "/"), ("Reading paths", "/paths/"), ("Start here", "/paths/start-here/")]
    step = read(built_fixture, "/notes/rest-days/").find("nav", class_="breadcrumbs path-trail")
    assert [(a.text(), a.attrs["href"]) for a in step.find_all("a")] == [
        ("Reading paths", "/paths/"), ("Start here", "/paths/start-here/"), ("Step 2 of 2", "/notes/rest-days/")]


def test_section_headings_carry_an_anchor_kept_out_of_the_index(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/interview-loops/")
    anchors = page.find("div", class_="prose").find_all("a", class_="heading-anchor")
    assert [a.attrs["href"] for a in anchors] == ["#what-the-source-says", "#why-it-holds", "#try-this-week",
                                                   "#when-it-does-not-apply"]
    assert all("data-pagefind-ignore" in a.attrs and a.parent.tag == "h2" for a in anchors)
    assert anchors[1].attrs["aria-label"] == "Link to the section “Why it holds”"


def test_the_chosen_theme_is_set_before_any_stylesheet_loads(built_fixture: Path) -> None:
    head = read(built_fixture, "/notes/rest-days/").find("head")
    order = [e.tag for e in head.iter() if e.tag in ("script", "link") and (e.tag == "script" or
                                                                          e.attrs.get("rel") == "stylesheet")]
    assert order[0] == "script" and "data-theme" in head.find_all("script")[0].text()
    assert order.index("link") > 0


def test_a_note_shares_as_a_large_card_with_its_own_image(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/interview-loops/")
    meta = {m.attrs.get("property") or m.attrs.get("name"): m.attrs["content"] for m in page.find_all("meta")
            if "content" in m.attrs}
    image = one_og_image(built_fixture, "interview-loops")
    assert meta["og:image"] == BASE + "/" + image.relative_to(built_fixture).as_posix()
    assert meta["twitter:card"] == "summary_large_image"
    assert page.find("link", rel="canonical").attrs["href"] == BASE + "/notes/interview-loops/"
    png = image.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", png[16:24]) == (1200, 630)
    assert read(built_fixture, "/").find("meta", name="twitter:card").attrs["content"] == "summary"


def png_chunks(png: bytes) -> list[str]:
    chunks, at = [], 8
    while at < len(png):
        length, kind = struct.unpack(">I4s", png[at:at + 8])
        chunks.append(kind.decode())
        at += 12 + length
    return chunks


def test_an_og_image_has_no_timestamp_and_depends_only_on_its_text() -> None:
    one = render_og_image("A title long enough to wrap onto a second line of the card", "Hiring", "Guide")
    assert one == render_og_image("A title long enough to wrap onto a second line of the card", "Hiring", "Guide")
    assert one != render_og_image("Another title", "Hiring", "Guide")
    chunks = png_chunks(one)
    assert chunks == ["IHDR", *["IDAT"] * chunks.count("IDAT"), "IEND"]  # no tIME, tEXt or other metadata


def test_a_topic_page_does_not_repeat_its_own_topic_on_every_card(built_fixture: Path) -> None:
    page = read(built_fixture, "/topics/hiring/")
    cards = page.find("main").find_all("li", class_="card")
    assert cards
    chips = [a.attrs["href"] for card in cards for a in card.find_all("a", class_="chip")]
    assert "/topics/hiring/" not in chips
    everywhere = read(built_fixture, "/notes/").find_all("a", class_="chip")
    assert any(a.attrs["href"] == "/topics/hiring/" for a in everywhere)  # other listings keep the chip


def test_a_share_image_is_redrawn_only_when_what_it_shows_changes(tmp_path: Path) -> None:
    """The cached build carries unchanged images over and draws a retitled note's image under a new name."""
    from conftest import copy_site

    from dsguide.pipeline import build_site, load_site

    site_dir = copy_site(FIXTURE_SITE, tmp_path / "site").parent
    out = tmp_path / "public"

    def cached_build() -> None:
        site, report = load_site(site_dir / "site.yaml", use_cache=True)
        assert site is not None and not report.has_errors(False)
        result, report = build_site(site, out, use_cache=True)
        assert result is not None, report.render("text")

    cached_build()
    before = {p.name: p.stat().st_ino for p in (out / "og").iterdir()}
    note = site_dir / "content" / "notes" / "interview-loops.md"
    note.write_text(note.read_text(encoding="utf-8").replace("title: Keep interview loops short",
                                                             "title: Keep every interview loop short"),
                    encoding="utf-8")
    cached_build()
    after = {p.name: p.stat().st_ino for p in (out / "og").iterdir()}
    changed = set(after) - set(before)
    assert len(changed) == 1 and next(iter(changed)).startswith("interview-loops.")
    kept = set(before) & set(after)
    assert kept and all(before[name] == after[name] for name in kept)  # carried over, not redrawn


def test_share_images_drawn_by_several_processes_are_the_ones_one_process_draws(tmp_path: Path) -> None:
    """Past og_image.PARALLEL_FROM images the drawing is spread over worker processes; same files, same bytes."""
    from conftest import note, write_site

    from dsguide.og_image import PARALLEL_FROM, write_og_images
    from dsguide.pipeline import load_site

    count = PARALLEL_FROM + 5
    files = {f"notes/n{i:03d}.md": note(f"Note number {i} about hiring", f"See [[n{(i + 1) % count:03d}]].")
             for i in range(count)}
    site, _ = load_site(write_site(tmp_path / "site", files))
    assert site is not None and len(site.content.notes) == count
    one, two = tmp_path / "one", tmp_path / "two"
    assert write_og_images(site, one, jobs=1) == count
    assert write_og_images(site, two, jobs=2) == count
    drawn = {p.name: p.read_bytes() for p in (one / "og").iterdir()}
    assert len(drawn) == count and drawn == {p.name: p.read_bytes() for p in (two / "og").iterdir()}
