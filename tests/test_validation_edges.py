"""Edges of validation, seen the way a contributor sees them: `dsguide check` output and built pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, note, run_cli, write_site
from site_html import read


def check(capsys: pytest.CaptureFixture[str], config: Path) -> tuple[int, list[str]]:
    """Run `dsguide check`; returns the exit code and the diagnostic lines (summary dropped).

    The one-line bodies here are far below a note's length, so the body-length warning (tested in
    test_check_summary and test_one_run) is left out."""
    code, out, err = run_cli(capsys, "check", "--config", config)
    return code, [line for line in err.splitlines() if line.strip() and "warning[body-length]" not in line]


def codes(lines: list[str]) -> list[str]:
    return [m[1] for line in lines if (m := re.search(r": (?:error|warning)\[([a-z-]+)\]", line))]


PAGE = "---\ntitle: About\nsummary: Who we are.\n---\n{body}\n"


FOUR_TOPICS_CONFIG = MINIMAL_CONFIG.replace("audiences:", "  - slug: pay\n    name: Pay\n    description: Pay.\n"
                                           "  - slug: growth\n    name: Growth\n    description: Growing.\n"
                                           "audiences:")


def test_more_than_three_topics_are_refused(tmp_path: Path, capsys) -> None:
    """A note has 0-3 topics: only where it is really about them."""
    config = write_site(tmp_path, {"notes/three.md": note(topics="[hiring, trust, pay]"),
                                   "notes/four.md": note(topics="[hiring, trust, pay, growth]")},
                        config=FOUR_TOPICS_CONFIG)
    code, lines = check(capsys, config)
    assert code == 1
    assert [line for line in lines if "error[" in line] == [
        "content/notes/four.md:4:9: error[list-length]: 'topics' allows at most 3 items, has 4"]


def test_a_note_with_no_topic_is_valid_and_is_reached_through_all_notes(tmp_path: Path, capsys) -> None:
    """`topics: []` is allowed when no topic fits; the note then sits under All notes, on no topic page."""
    config = write_site(tmp_path, {"notes/no-topic.md": note("Without a topic", topics="[]"),
                                   "notes/hiring-one.md": note("About hiring", "See [[no-topic]].")})
    code, lines = check(capsys, config)
    assert (code, [line for line in lines if "error[" in line]) == (0, [])
    out = tmp_path / "out"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    page = read(out, "/notes/no-topic/")
    trail = page.find("nav", class_="breadcrumbs")
    assert [(a.text(), a.attrs["href"]) for a in trail.find_all("a")] == [
        ("Home", "/"), ("All notes", "/notes/"), ("Without a topic", "/notes/no-topic/")]
    assert not [a for a in page.find("article").find_all("a", class_="chip") if "/topics/" in a.attrs["href"]]
    assert page.find("article").find_all(data_pagefind_filter="topic") == []
    listed = {a.attrs["href"] for a in read(out, "/notes/").find_all("a")}
    assert "/notes/no-topic/" in listed
    on_topic = {a.attrs["href"] for a in read(out, "/topics/hiring/").find_all("a")}
    assert "/notes/hiring-one/" in on_topic and "/notes/no-topic/" not in on_topic


@pytest.mark.parametrize("spelling", ["REPLACE-ME", "replace-me", "Replace-Me"])
def test_the_body_placeholder_is_found_in_any_case(spelling: str, tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/unfinished.md": note(body=f"Intro.\n\n{spelling}: the advice.")})
    code, lines = check(capsys, config)
    assert code == 1
    assert lines == ["content/notes/unfinished.md:11:1: error[placeholder]: 'REPLACE-ME' is still here from the "
                     "template: write this part"]


def test_a_placeholder_in_a_field_is_found_in_any_case(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/unfinished.md": note(summary="replace-me later")})
    code, lines = check(capsys, config)
    assert code == 1 and codes(lines) == ["placeholder"]
    assert lines[0].startswith("content/notes/unfinished.md:3:10:")


@pytest.mark.parametrize(("relative", "text", "line"), [
    ("pages/about.md", PAGE.format(body="   \n\n"), 5),
    ("notes/bare.md", note(body="  \n", source_section=False), 9),
    ("sources/bare.md", "---\ntitle: T\nauthor: null\npublished: null\nurl: null\nformat: essay\n---\n\n", 8),
], ids=["page", "note", "source"])
def test_an_empty_body_is_an_error_for_pages_notes_and_sources(relative: str, text: str, line: int,
                                                               tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {relative: text})
    code, lines = check(capsys, config)
    assert code == 1
    assert lines == [f"content/{relative}:{line}:1: error[empty-body]: the body is empty"]


def test_titles_are_whitespace_normalised_on_the_page(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/gappy.md": note(title='"  Ask   for\\tthe  real   problem  "'),
                                   "pages/about.md": PAGE.format(body="Hello.").replace(
                                       "title: About", 'title: "About\\n   us"')})
    assert run_cli(capsys, "build", "--config", config, "--out", tmp_path / "out")[0] == 0
    html = (tmp_path / "out" / "notes" / "gappy" / "index.html").read_text()
    assert "<title>Ask for the real problem" in html
    assert re.search(r"<h1[^>]*>Ask for the real problem</h1>", html)
    about = (tmp_path / "out" / "about" / "index.html").read_text()
    assert re.search(r"<h1[^>]*>About us</h1>", about)
    assert "Ask for the real problem" in (tmp_path / "out" / "feed.xml").read_text()


def test_hidden_files_are_skipped_silently(tmp_path: Path, capsys) -> None:
    """Editors and sync tools leave .swp, .DS_Store and ._name files; they are not content."""
    long_enough = " ".join(["Real advice, long enough to be a note."] * 20)  # 160 words: no body-length warning
    config = write_site(tmp_path, {"notes/real.md": note("Real advice", long_enough),
                                   "notes/.real.md.swp": "\x00binary swap",
                                   "notes/.draft-idea.md": "no front matter at all",
                                   "pages/.DS_Store": "junk"})
    code, out, err = run_cli(capsys, "check", "--config", config)
    assert code == 0
    assert codes(err.splitlines()) == ["orphan"]  # the one real note links nowhere: a health warning
    assert out.startswith("0 errors, 1 warning in 2 files")  # the note and the source


@pytest.mark.parametrize("name", ["SHOUTING.MD", "Mixed.Md"])
def test_an_upper_case_md_suffix_is_markdown(name: str, tmp_path: Path, capsys) -> None:
    """The suffix is read in any case; the file name is then judged as a slug like any other."""
    config = write_site(tmp_path, {f"notes/{name}": note("Loud advice")})
    code, lines = check(capsys, config)
    assert code == 1
    assert "bad-slug" in codes(lines), "read as a note, whose name is not a slug"
    assert not any("not-markdown" in line for line in lines)


def test_an_upper_case_md_suffix_with_a_slug_name_builds(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/loud.MD": note("Loud advice")})
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", tmp_path / "out")
    assert (code, err) == (0, "")
    assert (tmp_path / "out" / "notes" / "loud" / "index.html").is_file()


@pytest.mark.parametrize("key", ["topics", "audiences"])
def test_a_topic_or_audience_listed_twice_in_site_yaml_is_an_error(key: str, tmp_path: Path, capsys) -> None:
    doubled = {"topics": MINIMAL_CONFIG.replace("  - slug: trust\n", "  - slug: hiring\n"),
               "audiences": MINIMAL_CONFIG + "  - slug: ic\n    name: Again\n"}[key]
    config = write_site(tmp_path, {"notes/one.md": note()}, config=doubled)
    code, lines = check(capsys, config)
    assert code == 2  # a site.yaml that cannot be used is a usage error for every command
    line, slug = {"topics": (10, "hiring"), "audiences": (16, "ic")}[key]
    assert lines[0] == f"{config}:{line}:11: error[duplicate-slug]: {key} lists '{slug}' twice"


def test_synonyms_are_case_insensitive_and_a_term_is_never_its_own_synonym(tmp_path: Path, capsys) -> None:
    config = MINIMAL_CONFIG + "search:\n  synonyms:\n    - [IC, Individual Contributor]\n"
    site = write_site(tmp_path, {"notes/ic.md": note("Staying technical", body="Many an IC grows for years.")},
                      config=config)
    assert run_cli(capsys, "build", "--config", site, "--out", tmp_path / "out")[0] == 0
    html = (tmp_path / "out" / "notes" / "ic" / "index.html").read_text()
    hidden = re.findall(r'class="synonyms"[^>]*>([^<]*)<', html)
    assert hidden, "the note uses a synonym, so the page carries its partner for search"
    words = " ".join(hidden)
    assert "individual contributor" in words.lower()
    assert not re.search(r"\bic\b", words, re.I), "the term the note uses is not repeated as its own synonym"
    assert "&#34;individual contributor&#34;" in html or "&quot;individual contributor&quot;" in html
    assert "Individual Contributor" not in html, "synonym groups are stored lower-cased"


@pytest.mark.parametrize("alt", ["", " ", "   \t "])
def test_blank_alt_text_is_an_error(alt: str, tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/pic.md": note(body=f"See this.\n\n![{alt}](/static/chart.png)")})
    code, lines = check(capsys, config)
    assert code == 1
    errors = [line for line in lines if "error[" in line]
    assert errors == ["content/notes/pic.md:11:1: error[image-alt]: image has no alt text: write ![what it shows](url)"]


def test_the_first_body_placeholder_is_reported_at_its_column(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/twice.md": note(body="Intro, then REPLACE-ME here.\n\nAnd REPLACE-ME.")})
    code, lines = check(capsys, config)
    assert code == 1
    assert [line.split(": error")[0] for line in lines] == ["content/notes/twice.md:9:13"]


def test_a_placeholder_inside_a_list_field_is_found(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/listed.md": note(sources="\n  - source: essay\n    section: REPLACE-ME")})
    code, lines = check(capsys, config)
    assert code == 1
    assert [line.split(": error")[0] for line in lines if "placeholder" in line] == ["content/notes/listed.md:7:14"]


def test_an_empty_sources_list_without_original_is_reported_at_sources(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/unsourced.md": note(sources="[]")})
    code, lines = check(capsys, config)
    assert code == 1
    assert lines == ["content/notes/unsourced.md:5:10: error[no-source]: a note needs 'sources', or "
                     "'original: true' when it is our own synthesis"]


def test_a_site_without_a_content_folder_says_so(tmp_path: Path, capsys) -> None:
    (tmp_path / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    code, lines = check(capsys, tmp_path / "site.yaml")
    assert code == 1
    assert lines == [f"content: error[no-content]: content folder not found: {tmp_path.resolve() / 'content'}"]
