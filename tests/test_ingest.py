"""`dsguide ingest`: format detection, cleaning, topic evidence, slugs and safe writing.

The fixtures in tests/fixtures/ingest/ are short made-up essays, one per format, written for
these tests; tests/test_ingest_seeds.py runs the real seed essays.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import frontmatter
import pytest
from conftest import REPO, run_cli

from dsguide.config import Topic
from dsguide.ingest import essay, markdown, newsletter, thread, topics
from dsguide.ingest.detect import detect
from dsguide.ingest.text import (
    cut_tail,
    drop_closing_calls,
    is_boilerplate,
    looks_like_heading,
    paragraphs,
    strip_footnote_lines,
    strip_footnote_marks,
)
from dsguide.ingest.write import UnsafePath, inside, unique
from dsguide.schema import slugify

FIXTURES = REPO / "tests" / "fixtures" / "ingest"
CONFIG = REPO / "site.yaml"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def ingest(capsys: pytest.CaptureFixture[str], into: Path, *args: str | Path) -> tuple[int, str, str]:
    return run_cli(capsys, "ingest", *args, "--into", into, "--config", CONFIG)


def front(path: Path) -> tuple[dict, str]:
    post = frontmatter.load(path)
    return dict(post.metadata), post.content


# --- the fixtures, end to end -----------------------------------------------------------------

EXPECTED = {
    "plain-essay.txt": ("essay", "essay", ["Introduction", "Write the job ad last",
                                           "Interviews should look like the work", "Say no quickly and kindly"],
                        ["hiring"]),
    "newsletter-issue.txt": ("newsletter", "newsletter", ["Introduction", "What I kept"], ["ic-vs-manager"]),
    "thread-export.txt": ("thread", "thread", ["My calendar last week had 31 meetings in…",
                                               "Some thoughts on earning the trust of stakeholders…"],
                          ["burnout", "trust"]),
    "wordpress-qa.md": ("markdown", "q-and-a", ["Introduction", "The short answer", "When it is time to go"],
                        ["hiring"]),
    "hugo-post.md": ("markdown", "blog-post", ["Introduction", "Protect focus time", "Make rest visible",
                                               "Watch the workload, not the hours"], ["burnout"]),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fixture_format_sections_and_topics(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    detected, source_format, sections, suggested = EXPECTED[name]
    code, out, err = ingest(capsys, tmp_path, FIXTURES / name)
    assert (code, err) == (0, "")
    row = next(line for line in out.splitlines() if line.startswith(name))
    assert row.split()[1:3] == [detected, str(len(sections))]
    assert ", ".join(suggested) in row
    [source] = (tmp_path / "sources").glob("*.md")
    meta, body = front(source)
    assert meta["format"] == source_format
    assert meta["sections"] == sections
    assert body.startswith("REPLACE-ME: summarise this essay in your own words")
    assert len(list((tmp_path / "notes").glob("*.md"))) == len(sections)


def test_source_record_has_bibliography_but_no_essay_text(tmp_path: Path, capsys) -> None:
    ingest(capsys, tmp_path, FIXTURES / "plain-essay.txt")
    meta, body = front(tmp_path / "sources" / "what-a-year-of-running-interviews-taught-me.md")
    assert meta["title"] == "What a year of running interviews taught me"
    assert meta["author"] == "Priya Raman"
    assert str(meta["published"]) == "2024-03-03"
    assert meta["url"] is None
    assert "requisition" not in body and "puzzle" not in body


def test_draft_note_front_matter(tmp_path: Path, capsys) -> None:
    ingest(capsys, tmp_path, FIXTURES / "plain-essay.txt")
    path = tmp_path / "notes" / "write-the-job-ad-last.md"
    meta, body = front(path)
    assert meta == {"title": "Write the job ad last", "summary": "REPLACE-ME: summarise in your own words",
                    "topics": ["hiring"], "tags": [], "audience": [],
                    "sources": [{"source": "what-a-year-of-running-interviews-taught-me",
                                 "section": "Write the job ad last"}], "original": False, "related": [],
                    "evidence": {"kind": "practitioner-experience", "context": "REPLACE-ME"},
                    "reviewed": dt.date.today(), "updated": dt.date.today(), "draft": True}
    text = path.read_text(encoding="utf-8")
    assert "#   hiring: " in text and "job ad ×1 (in the heading)" in text
    assert body.startswith("We wrote the job description on day one")


def test_lead_note_takes_the_essay_title(tmp_path: Path, capsys) -> None:
    ingest(capsys, tmp_path, FIXTURES / "newsletter-issue.txt")
    meta, _ = front(tmp_path / "notes" / "saying-no-to-a-promotion.md")
    assert meta["title"] == "Saying no to a promotion"
    assert meta["sources"] == [{"source": "saying-no-to-a-promotion", "section": "Introduction"}]


def test_markdown_front_matter_gives_bibliography_and_tags(tmp_path: Path, capsys) -> None:
    ingest(capsys, tmp_path, FIXTURES / "hugo-post.md", FIXTURES / "wordpress-qa.md")
    hugo, _ = front(tmp_path / "sources" / "three-habits-that-protect-a-team-from-burnout.md")
    assert (hugo["author"], str(hugo["published"]), hugo["url"]) == (
        "Jon Eriksen", "2022-11-05", "https://blog.example.org/posts/three-habits/")
    note, _ = front(tmp_path / "notes" / "the-short-answer.md")
    assert note["tags"] == []  # neither tag is in site.yaml's vocabulary, so a curator picks from it
    open_site = REPO / "tests" / "fixtures" / "site" / "site.yaml"  # a site with no tag vocabulary
    run_cli(capsys, "ingest", FIXTURES / "wordpress-qa.md", "--into", tmp_path / "open", "--config", open_site)
    note, _ = front(tmp_path / "open" / "notes" / "the-short-answer.md")
    assert note["tags"] == ["career-moves", "junior-data-scientists"]


# --- detection --------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "signals"), [
    ("plain-essay.txt", ["title on the first line", "3 short heading lines", "footnote numbers glued to words"]),
    ("newsletter-issue.txt", ["masthead 'Data Team Digest #12'", "reading list of 3 '•' items",
                              "comment-form boilerplate"]),
    ("thread-export.txt", ["1 thread separator", "thread-export boilerplate", "8 numbered posts"]),
    ("wordpress-qa.md", ["front matter (title, date, author, categories, tags)", "10 WordPress block comments",
                         "2 HTML headings"]),
    ("hugo-post.md", ["front matter (title, date, author, tags, url)", "3 Markdown headings"]),
])
def test_detection_gives_its_reasons(name: str, signals: list[str]) -> None:
    detection = detect(fixture(name))
    assert detection.format == EXPECTED[name][0]
    for signal in signals:
        assert signal in detection.reason


def test_detection_refuses_too_little_text() -> None:
    detection = detect("Just a note to self.\nBuy milk.")
    assert detection.format is None
    assert detection.reason == "only 7 words; an essay needs at least 40"


def test_detection_refuses_text_with_no_essay_shape() -> None:
    rows = "\n".join(f"{n},{n * 3},{n * 7},ok,row number {n} of the export" for n in range(30))
    detection = detect(rows)
    assert detection.format is None
    assert "no title line" in detection.reason


# --- cleaning ---------------------------------------------------------------------------------

def test_footnote_marks_are_removed_in_sequence_only() -> None:
    paras = ["Most analysts1 start in reporting.", "Use python3 daily.", "Meetings multiply2, and F1 scores matter.",
             "See the note.3"]
    cleaned, count = strip_footnote_marks(paras)
    assert count == 3
    assert cleaned == ["Most analysts start in reporting.", "Use python3 daily.",
                       "Meetings multiply, and F1 scores matter.", "See the note."]


def test_footnote_texts_at_the_end_are_removed() -> None:
    paras = ["Body text here.", "1 A first note.", "2 A second note."]
    assert strip_footnote_lines(paras, 2) == ["Body text here."]
    assert strip_footnote_lines(paras, 3) == paras


def test_colophon_and_closing_calls_are_cut() -> None:
    paras = ["Intro.", "Heading", "Body.", "Subscribe now to get the next post.", "Acknowledgements",
             "Thanks to my editor.", "About the author", "A bio."]
    assert drop_closing_calls(cut_tail(paras)) == ["Intro.", "Heading", "Body."]


@pytest.mark.parametrize(("line", "heading"), [
    ("Losing the thread", True),
    ("Is a PhD worth it?", True),
    ("Ship it now!", True),
    ("But is it worth it?", False),
    ("That was a mistake.", False),
    ("- a list item", False),
    ("lowercase start", False),
    ("A line that goes on and on for far too many words to be any kind of heading", False),
])
def test_heading_lines(line: str, heading: bool) -> None:
    assert looks_like_heading(line) is heading


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = ("A wrapped paragraph that continues\non the next line of the file.\n\n"
            "- an item\n- another item\n\nShort line")
    assert paragraphs(text) == ["A wrapped paragraph that continues on the next line of the file.",
                                "- an item", "- another item", "Short line"]


def test_essay_parser_strips_footnotes_and_tail() -> None:
    parsed = essay.parse(fixture("plain-essay.txt"))
    assert parsed.subtitle == "A hiring manager's field notes, not a playbook"
    text = "\n".join(s.body_markdown for s in parsed.sections)
    assert "candidates." in text and "candidates1" not in text and "better." in text
    assert "F1 trivia" in text
    for gone in ("sign up below", "Sam and Leila", "logistics company", "Names and details"):
        assert gone not in text


def test_newsletter_sets_aside_reading_list_and_drops_comment_form() -> None:
    parsed = newsletter.parse(fixture("newsletter-issue.txt"))
    assert (parsed.title, parsed.subtitle) == ("Saying no to a promotion", "Data Team Digest #12")
    assert len(parsed.set_aside) == 3 and parsed.set_aside[0].startswith("A short guide to writing design docs")
    text = "\n".join(s.body_markdown for s in parsed.sections)
    for gone in ("•", "Links I enjoyed", "Leave a Comment", "will not be published", "Post Comment",
                 "Thanks for reading"):
        assert gone not in text


def test_thread_parser_splits_threads_and_drops_export_text() -> None:
    parsed = thread.parse(fixture("thread-export.txt"))
    assert parsed.author == "ana_codes"
    assert len(parsed.sections) == 2
    first, second = (s.body_markdown for s in parsed.sections)
    assert first.startswith("My calendar last week") and "1/" not in first and "2/" not in first
    assert "Missing some Tweet" not in second and "force a refresh" not in second and "• •" not in second
    assert "\n1. Share bad news early." in second


def test_markdown_parser_cleans_wordpress() -> None:
    parsed = markdown.parse(fixture("wordpress-qa.md"))
    assert parsed.source_format == "q-and-a"
    text = "\n".join(s.body_markdown for s in parsed.sections)
    assert "<!--" not in text and "<h2>" not in text and "&nbsp;" not in text and "\n\n\n" not in text
    assert "> Hello Marta,\n>\n> I joined \\<Some Retail Company> eight months ago" in text
    assert "**fixing the spreadsheets**" in text
    assert "- Keep a weekly log of what you shipped.\n- Ask for one stretch project per quarter." in text


def test_markdown_html_headings_become_sections() -> None:
    parsed = markdown.parse("---\ntitle: Raw HTML\n---\nOpening words.\n\n<h2>First part</h2>\n<p>Alpha.</p>\n"
                            "<h3>Detail</h3>\n<p>Beta.</p>\n<h2>Second part</h2>\n<p>Gamma.</p>\n")
    assert [s.title for s in parsed.sections] == ["Introduction", "First part", "Second part"]
    assert parsed.sections[1].body_markdown == "Alpha.\n\n### Detail\n\nBeta.\n"


def test_markdown_bad_front_matter_is_an_error() -> None:
    with pytest.raises(markdown.FrontMatterError, match="YAML front matter is not valid"):
        markdown.parse("---\ntitle: [unclosed\n---\nBody text.\n")


# --- topics -----------------------------------------------------------------------------------

TOPICS = (Topic("hiring", "Hiring", "", ("hiring", "interview", "job ad", "candidate")),
          Topic("trust", "Trust", "", ("trust", "stakeholder", "credibility")),
          Topic("burnout", "Burnout", "", ("burnout", "rest")))


def test_topic_evidence_is_whole_word_and_case_insensitive() -> None:
    found = topics.evidence("HIRING and Hiring; rehiring, interviews, a job\nad, restless", TOPICS)
    assert [(s.slug, s.evidence) for s in found] == [("hiring", {"hiring": 2, "job ad": 1})]


def test_topic_suggestions_need_enough_evidence() -> None:
    assert topics.suggest("hiring hiring hiring", TOPICS) == []          # one keyword only
    assert topics.suggest("hiring, interview", TOPICS) == []             # too few hits
    [hiring] = topics.suggest("hiring, interview, candidate", TOPICS)
    assert (hiring.slug, hiring.evidence) == ("hiring", {"candidate": 1, "hiring": 1, "interview": 1})


def test_topic_ranking_prefers_hits_then_distinct_keywords() -> None:
    more_hits = "trust trust trust stakeholder hiring interview job ad"
    assert [s.slug for s in topics.suggest(more_hits, TOPICS)] == ["trust", "hiring"]
    more_keywords = "trust trust stakeholder hiring interview job ad"
    assert [s.slug for s in topics.suggest(more_keywords, TOPICS)] == ["hiring", "trust"]


def test_topic_ties_follow_site_order() -> None:
    text = "hiring interview job ad trust stakeholder credibility"
    assert [s.slug for s in topics.suggest(text, TOPICS)] == ["hiring", "trust"]
    assert [s.slug for s in topics.suggest(text, TOPICS[::-1])] == ["trust", "hiring"]


def test_a_keyword_in_the_heading_weighs_more() -> None:
    [burnout] = topics.suggest("Some days are long.", TOPICS, heading="Burnout happens")
    assert (burnout.slug, burnout.in_heading) == ("burnout", ("burnout",))


def test_links_are_not_evidence() -> None:
    assert topics.evidence("[a post](https://example.org/hiring/interview/candidate)", TOPICS) == []


# --- slugs ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "slug"), [
    ("Being a manager isn't a promotion", "being-a-manager-isnt-a-promotion"),
    ("The interview: to code or not?", "the-interview-to-code-or-not"),
    ("Café culture & données", "cafe-culture-donnees"),
    ("Issue #086", "issue-086"),
    ("word " * 30, ("word-" * 12).rstrip("-")),
])
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_unique_slugs() -> None:
    taken: set[str] = set()
    assert [unique(s, taken) for s in ("intro", "intro", "intro", "")] == ["intro", "intro-2", "intro-3", "untitled"]


def test_repeated_headings_get_distinct_files(tmp_path: Path, capsys) -> None:
    essay_text = "Two essays, one heading\n" + "Opening words of a short essay about work and careers. " * 5 + \
        "\nWrapping up\n" + "A closing paragraph that says the same thing again in other words. " * 4 + "\n"
    (tmp_path / "a.txt").write_text(essay_text, encoding="utf-8")
    other = essay_text.replace("Two essays", "Another essay").replace("Opening words of a short essay about work",
                                                                      "First lines of a brief piece on jobs")
    (tmp_path / "b.txt").write_text(other.replace("A closing paragraph that says the same thing again",
                                                  "Final remarks which repeat that point once more"), encoding="utf-8")
    code, _, err = ingest(capsys, tmp_path / "out", tmp_path / "a.txt", tmp_path / "b.txt")
    assert (code, err) == (0, "")
    assert {p.name for p in (tmp_path / "out" / "notes").glob("wrapping-up*.md")} == {"wrapping-up.md",
                                                                                       "wrapping-up-2.md"}


# --- writing safely ---------------------------------------------------------------------------

def test_existing_files_are_not_overwritten_without_force(tmp_path: Path, capsys) -> None:
    into = tmp_path / "out"
    ingest(capsys, into, FIXTURES / "hugo-post.md")
    note = into / "notes" / "make-rest-visible.md"
    note.write_text("curated by hand\n", encoding="utf-8")
    code, out, err = ingest(capsys, into, FIXTURES / "hugo-post.md", FIXTURES / "thread-export.txt")
    assert code == 1
    assert f"hugo-post.md: error: {note} already exists; not overwritten (use --force to replace it)" in err
    assert note.read_text(encoding="utf-8") == "curated by hand\n"
    assert (into / "notes" / "some-thoughts-on-earning-the-trust-of-stakeholders.md").exists()
    assert "1 of 2 inputs ingested" in out


def test_force_overwrites(tmp_path: Path, capsys) -> None:
    into = tmp_path / "out"
    ingest(capsys, into, FIXTURES / "hugo-post.md")
    note = into / "notes" / "make-rest-visible.md"
    note.write_text("stale\n", encoding="utf-8")
    code, _, err = ingest(capsys, into, FIXTURES / "hugo-post.md", "--force")
    assert (code, err) == (0, "")
    assert note.read_text(encoding="utf-8").startswith("---\n# Draft from hugo-post.md")


@pytest.mark.parametrize("relpath", ["../escape.md", "notes/../../escape.md", "/tmp/escape.md"])
def test_paths_outside_into_are_refused(tmp_path: Path, relpath: str) -> None:
    with pytest.raises(UnsafePath, match="resolves outside"):
        inside(tmp_path / "out", relpath)


def test_symlink_out_of_into_is_refused(tmp_path: Path, capsys) -> None:
    into, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
    into.mkdir()
    elsewhere.mkdir()
    (into / "notes").symlink_to(elsewhere, target_is_directory=True)
    code, _, err = ingest(capsys, into, FIXTURES / "hugo-post.md")
    assert code == 1
    assert "refusing to write 'notes/protect-focus-time.md': it resolves outside" in err
    assert list(elsewhere.iterdir()) == [] and not (into / "sources").exists()


# --- bad input and usage ----------------------------------------------------------------------

def test_bad_inputs_are_reported_and_the_rest_processed(tmp_path: Path, capsys) -> None:
    bad = {"empty.txt": b"", "latin1.txt": "Caf\u00e9 au lait".encode("latin-1") * 20,
           "binary.txt": b"\x00\x01\x02data", "tiny.txt": b"Too short to be anything.\n"}
    for name, data in bad.items():
        (tmp_path / name).write_bytes(data)
    missing = tmp_path / "missing.txt"
    inputs = [tmp_path / name for name in bad] + [missing, FIXTURES / "thread-export.txt"]
    code, out, err = ingest(capsys, tmp_path / "out", *inputs)
    assert code == 1
    lines = err.splitlines()
    assert f"{tmp_path / 'empty.txt'}: error: empty file" in lines
    assert f"{tmp_path / 'latin1.txt'}: error: not UTF-8 text (byte 0xe9 at offset 3); convert it to UTF-8 first" \
        in lines
    assert f"{tmp_path / 'binary.txt'}: error: binary file, not text" in lines
    assert f"{tmp_path / 'tiny.txt'}: error: unrecognised format: only 5 words; an essay needs at least 40" in lines
    assert f"{missing}: error: no such file" in lines
    assert len(lines) == 5
    assert (tmp_path / "out" / "notes" / "my-calendar-last-week-had-31-meetings-in.md").exists()
    assert "1 of 6 inputs ingested" in out


def test_forced_format_is_reported(tmp_path: Path, capsys) -> None:
    code, out, _ = ingest(capsys, tmp_path, FIXTURES / "plain-essay.txt", "--format", "thread")
    assert code == 0
    assert "thread" in out and "chosen with --format" in out


def test_folder_input_is_expanded(tmp_path: Path, capsys) -> None:
    code, out, _ = ingest(capsys, tmp_path / "out", FIXTURES)
    assert code == 0
    assert "5 of 5 inputs ingested" in out


@pytest.mark.parametrize("args", [["--format", "pdf"], []])
def test_bad_usage_exits_2(tmp_path: Path, capsys, args: list[str]) -> None:
    extra = ["--into", tmp_path] if args else []
    code, _, _ = run_cli(capsys, "ingest", FIXTURES / "hugo-post.md", *extra, *args)
    assert code == 2


def test_into_a_file_is_bad_usage(tmp_path: Path, capsys) -> None:
    target = tmp_path / "file.txt"
    target.write_text("x", encoding="utf-8")
    code, _, err = ingest(capsys, target, FIXTURES / "hugo-post.md")
    assert code == 2 and "is a file, not a folder" in err


def test_missing_config_is_bad_usage(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "ingest", FIXTURES / "hugo-post.md", "--into", tmp_path, "--config",
                           tmp_path / "nope.yaml")
    assert code == 2 and "cannot read config" in err


def test_help_describes_the_command(capsys) -> None:
    code, out, _ = run_cli(capsys, "ingest", "--help")
    assert code == 0
    assert "draft notes for curation" in out and "--force" in out and "--into DIR" in out


@pytest.mark.parametrize(("para", "junk"), [
    ("Leave a Reply", True),
    ("Required fields are marked *", True),
    ("Your email address will not be published.", True),
    ("force a refresh", True),
    ("I left a reply to every candidate.", False),
])
def test_boilerplate_paragraphs(para: str, junk: bool) -> None:
    assert is_boilerplate(para) is junk


def test_uncurated_drafts_in_content_are_flagged_by_check(tmp_path: Path, capsys) -> None:
    """Ingest output copied into content/ as is cannot be published: check flags every placeholder."""
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text(CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    assert ingest(capsys, site / "content", FIXTURES / "plain-essay.txt")[0] == 0
    code, _, err = run_cli(capsys, "check", "--config", site / "site.yaml")
    lines = err.splitlines()
    [source] = [line for line in lines if line.startswith("content/sources/")]
    assert "error[placeholder]" in source  # a source record is never a draft
    notes = [line for line in lines if line.startswith("content/notes/") and "[placeholder]" in line]
    assert all("warning[placeholder]" in line for line in notes)  # drafts: warnings
    # four drafts, each with two placeholders: the summary and the evidence's context
    per_note = Counter(line.split(":")[0] for line in notes)
    assert len(per_note) == 4 and set(per_note.values()) == {2}, notes
    assert code == 1


def test_a_named_pipe_is_refused_without_reading_it(tmp_path: Path, capsys) -> None:
    import os
    os.mkfifo(tmp_path / "pipe.txt")
    code, out, err = ingest(capsys, tmp_path / "drafts", tmp_path / "pipe.txt", FIXTURES / "plain-essay.txt")
    assert code == 1 and "not a regular file" in err
    assert "1 of 2 inputs ingested" in out
