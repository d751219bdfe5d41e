"""The second edition's note fields: evidence, reviewed, the source's section apart from ours, and the
tag vocabulary; each from the front matter to the diagnostics and the page a reader sees."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, note, run_cli, write_site
from site_html import Element, read

from dsguide.config import load_config
from dsguide.pipeline import load_site
from dsguide.validate import add_months


def diagnostics(capsys: pytest.CaptureFixture[str], config: Path, *flags: str) -> list[str]:
    _, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json", *flags)
    return [f"{d['path']}:{d['line']}:{d['col']}: {d['code']}: {d['message']}"
            for d in json.loads(out)["diagnostics"] if d["code"] not in ("orphan", "no-path", "body-length")]


# --- evidence ----------------------------------------------------------------------------------

def test_a_sourced_note_must_say_what_its_evidence_is(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/a.md": note(evidence=None)})
    assert diagnostics(capsys, config) == [
        "content/notes/a.md:2:1: missing-field: missing required field 'evidence': say what kind of evidence "
        "the sources give (not needed with 'original: true')"]


def test_an_original_note_needs_no_evidence_and_no_source_section(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/a.md": note(sources=None, evidence=None, original="true",
                                                      body="Our synthesis.")})
    assert diagnostics(capsys, config) == []


def test_evidence_kind_and_context_are_checked(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {
        "notes/a.md": note(evidence="{kind: anecdotal, context: One manager.}"),
        "notes/b.md": note(evidence="{kind: survey, context: " + "x" * 201 + "}"),
        "notes/c.md": note(evidence="{kind: opinion}"),
    })
    assert diagnostics(capsys, config) == [
        "content/notes/a.md:6:18: bad-choice: 'evidence.kind' must be one of anecdote, practitioner-experience, "
        "opinion, survey, research, not 'anecdotal' (did you mean 'anecdote'?)",
        "content/notes/b.md:6:35: too-long: 'evidence.context' is 201 characters; the limit is 200",
        "content/notes/c.md:6:11: missing-field: missing required field 'context' in 'evidence'",
    ]


# --- the source's section and ours -------------------------------------------------------------

def test_a_sourced_note_needs_the_what_the_source_says_section(tmp_path: Path, capsys) -> None:
    body = ("The claim.\n\n## What the sources say\n\nClose, but not the heading.\n\n"
            "### What the source says\n\nToo deep.")
    config = write_site(tmp_path, {"notes/a.md": note(body=body, source_section=False)})
    assert diagnostics(capsys, config) == [
        "content/notes/a.md:9:1: missing-section: a note drawn from sources needs a '## What the source says' "
        "section that reports only the source, with its hedges"]


def heading_text(heading: Element) -> str:
    """A heading's own words: its "#" link to itself (reader_data.add_heading_anchors) left out."""
    [anchor] = heading.find_all("a", class_="heading-anchor")
    assert anchor.attrs["href"] == "#" + heading.attrs["id"]
    return "".join(c if isinstance(c, str) else c.text() for c in heading.children if c is not anchor)


def test_the_editors_sections_are_marked_as_ours_on_the_page(built_fixture: Path) -> None:
    prose = read(built_fixture, "/notes/interview-loops/").find("div", class_="prose")
    [ours] = prose.find_all("section", class_="editors")
    heading = ours.find("h2")
    assert (heading_text(heading), ours.attrs["aria-labelledby"]) == ("When it does not apply", heading.attrs["id"])
    assert ours.find("p", class_="editors-label").text() == "Added by the dsguide editors"
    assert "Senior roles may need one more conversation." in ours.text()
    source_heading = prose.find("h2", id="what-the-source-says")
    assert not any(a.tag == "section" for a in source_heading.ancestors())  # the source's part is not ours


def test_each_editors_section_ends_at_the_next_heading_and_before_the_footnotes(tmp_path: Path, capsys) -> None:
    body = ("The claim.[^1]\n\n## What the source says\n\nIt says so.\n\n## What we add\n\nOurs.\n\n### Detail\n\n"
            "Still ours.\n\n## Further\n\nNot an editors' heading.\n\n## Questions to ask yourself\n\n- Which?\n\n"
            "[^1]: A footnote.\n")
    config = write_site(tmp_path, {"notes/a.md": note(body=body, source_section=False)})
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    prose = read(out, "/notes/a/").find("div", class_="prose")
    sections = prose.find_all("section", class_="editors")
    assert [heading_text(s.find("h2")) for s in sections] == ["What we add", "Questions to ask yourself"]
    assert "Still ours." in sections[0].text() and "Not an editors' heading" not in sections[0].text()
    assert not any(s.find_all(class_="footnotes") for s in sections)


def test_evidence_and_review_date_are_shown_and_evidence_is_a_search_filter(built_fixture: Path) -> None:
    page = read(built_fixture, "/notes/interview-loops/")
    aside = page.find("aside", class_="note-aside")
    assert aside.find("p", class_="evidence").text() == \
        "Evidence: practitioner experience — A fixture essay by one manager."
    reviewed = aside.find("p", class_="reviewed")
    assert reviewed.text() == "Checked against the source on 20 November 2026"
    assert reviewed.find("time").attrs["datetime"] == "2026-11-20"
    filters = page.find("article").find_all(data_pagefind_filter="evidence")
    assert [f.text() for f in filters] == ["practitioner experience"]
    ours = read(built_fixture, "/notes/our-synthesis/").find("aside", class_="note-aside")
    assert not ours.find_all("p", class_="evidence")
    assert ours.find("p", class_="reviewed").text().startswith("Last reviewed on")


# --- reviewed ----------------------------------------------------------------------------------

def test_add_months_keeps_the_day_or_takes_the_months_last() -> None:
    assert add_months(dt.date(2025, 11, 20), 12) == dt.date(2026, 11, 20)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 12, 15), 1) == dt.date(2027, 1, 15)


@pytest.mark.parametrize(("today", "stale"), [("2026-12-02", False), ("2026-12-03", True)])
def test_check_warns_one_day_after_the_review_period_ends(today: str, stale: bool, tmp_path: Path, capsys,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """'Today' is the build date SOURCE_DATE_EPOCH gives, so the warning does not depend on the clock."""
    config = write_site(tmp_path, {"notes/a.md": note(reviewed="2025-12-02")},
                        config=MINIMAL_CONFIG + "review_after_months: 12\n")
    epoch = dt.datetime.fromisoformat(today).replace(tzinfo=dt.UTC).timestamp()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(epoch)))
    expected = ["content/notes/a.md:6:11: stale-review: last checked against its source on 2025-12-02, more than "
                "12 months ago: re-read the cited section and update 'reviewed'"]
    assert diagnostics(capsys, config) == (expected if stale else [])
    site, report = load_site(config)  # build does not nag: the warning is check's
    assert site is not None and not [d for d in report.diagnostics if d.code == "stale-review"]


def test_the_review_period_is_configurable(tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(dt.datetime(2026, 12, 3, tzinfo=dt.UTC).timestamp())))
    config = write_site(tmp_path, {"notes/a.md": note(reviewed="2025-12-02")},
                        config=MINIMAL_CONFIG + "review_after_months: 13\n")
    assert diagnostics(capsys, config) == []


def test_a_note_must_have_a_review_date(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/a.md": note(reviewed=None)})
    assert diagnostics(capsys, config) == ["content/notes/a.md:2:1: missing-field: missing required field 'reviewed'"]


@pytest.mark.parametrize(("value", "message"), [
    ("0", "'review_after_months' must be a whole number from 1 to 1200, not 0"),
    ("twelve", "'review_after_months' must be a whole number from 1 to 1200, not a string"),
    ("true", "'review_after_months' must be a whole number from 1 to 1200, not a boolean"),
])
def test_review_after_months_must_be_a_positive_whole_number(value: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(MINIMAL_CONFIG + f"review_after_months: {value}\n", encoding="utf-8")
    config, found = load_config(path)
    assert config is None and [d.message for d in found] == [message]


# --- tags --------------------------------------------------------------------------------------

TAGS = """tags:
  - slug: interviews
    name: Interviews
    description: How interviews are run.
  - slug: interviews
    name: Interviews again
    description: The same slug twice.
"""


def test_a_tag_vocabulary_lists_each_slug_once(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text(MINIMAL_CONFIG + TAGS, encoding="utf-8")
    config, found = load_config(path)
    assert config is None
    assert [(d.code, d.message) for d in found] == [("duplicate-slug", "tags lists 'interviews' twice")]


def test_tags_have_names_and_descriptions(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    one_tag = TAGS.split("  - slug: interviews\n    name: Interviews again")[0]
    path.write_text(MINIMAL_CONFIG + one_tag, encoding="utf-8")
    config, found = load_config(path)
    assert found == [] and config is not None
    assert config.tags == ("interviews",)
    tag = config.tag("interviews")
    assert tag is not None and (tag.name, tag.description) == ("Interviews", "How interviews are run.")


def test_the_repository_vocabulary_is_small_and_documented() -> None:
    config, found = load_config(Path(__file__).resolve().parents[1] / "site.yaml")
    assert found == [] and config is not None and config.tags is not None
    assert 15 <= len(config.tags) <= 25
    assert all(t.description for t in config.tag_vocabulary)
    merged_away = {"job-seekers", "job-seeker", "teaching", "leadership", "advocacy", "autonomy", "salaries",
                   "budgets", "offers", "documentation", "fairness"}
    assert not merged_away & set(config.tags)
    assert "junior" in {a.slug for a in config.audiences}


# --- further reading ---------------------------------------------------------------------------

def work(title: str, recommended_by: str, fmt: str = "book", why: str = "Why the essay points to it.") -> str:
    return (f"---\ntitle: {title}\nauthor: null\npublished: null\nurl: null\nformat: {fmt}\n"
            f"recommended_by: {recommended_by}\nrecommendation: {why}\n---\nWe have drawn no notes from it.\n")


def test_further_reading_groups_the_recommended_works_by_the_essay_that_points_to_them(tmp_path: Path,
                                                                                       capsys) -> None:
    config = write_site(tmp_path, {
        "notes/a.md": note(),
        "sources/other.md": "---\ntitle: Another essay\nauthor: null\npublished: null\nurl: null\n"
                            "format: thread\n---\nOur summary.\n",
        "sources/a-zeta-book.md": work("Zeta book", "[essay]"),  # sorted by title, not file name
        "sources/alpha-talk.md": work("Alpha talk", "[essay, other]", fmt="talk", why="A talk both cite."),
    })
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    page = read(out, "/further-reading/")
    groups = page.find("article").find_all("section")
    assert [g.find("h2").text() for g in groups] == ["Recommended in An essay", "Recommended in Another essay"]
    assert [li.text() for li in groups[0].find_all("li")] == [
        "Alpha talk (talk): A talk both cite.", "Zeta book (book): Why the essay points to it."]
    assert [a.attrs["href"] for a in groups[1].find_all("a")] == ["/sources/other/", "/sources/alpha-talk/"]


def test_no_further_reading_page_without_recommended_works(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/a.md": note()})
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    assert not (out / "further-reading").exists()


def test_recommended_by_must_name_another_source(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {
        "notes/a.md": note(),
        "sources/book.md": work("A book", "[esay, book]"),
    })
    assert diagnostics(capsys, config) == [
        "content/sources/book.md:7:18: unknown-source: recommended_by 'esay' names no source (did you mean 'essay'?)",
        "content/sources/book.md:7:24: unknown-source: recommended_by 'book' is this record itself",
    ]


def test_a_tag_page_shows_the_vocabulary_name_and_description(tmp_path: Path, capsys) -> None:
    one_tag = TAGS.split("  - slug: interviews\n    name: Interviews again")[0]
    config = write_site(tmp_path, {"notes/a.md": note(tags="[interviews]")}, config=MINIMAL_CONFIG + one_tag)
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    page = read(out, "/tags/interviews/")
    assert page.find("h1").text() == "Tag: #interviews (Interviews)"
    assert page.find("p", class_="lede").text() == "How interviews are run."


def test_notes_json_carries_evidence_and_review_date(built_fixture: Path) -> None:
    records = {r["slug"]: r for r in json.loads((built_fixture / "notes.json").read_text(encoding="utf-8"))}
    assert records["interview-loops"]["evidence"] == {"kind": "practitioner-experience",
                                                      "context": "A fixture essay by one manager."}
    assert records["interview-loops"]["reviewed"] == "2026-11-20"
    assert records["our-synthesis"]["evidence"] is None


def test_a_note_without_a_topic_is_allowed_and_the_home_page_says_where_it_is(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/a.md": note(topics="[]"), "notes/b.md": note(title="B")})
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    topics = read(out, "/").find("section", id="topics")
    assert "1 note fit none of the four topics" in topics.text()
    assert not read(out, "/notes/a/").find("header", class_="note-header").find_all("p", class_="chips")
    assert read(out, "/notes/b/").find("header", class_="note-header").find_all("p", class_="chips")
