"""The judgement calls of `dsguide ingest`, each on its own small made-up text (no ../shared needed):
which format wins a tie, what is a subtitle, when a post is a Q&A, what is a reading list,
which files a folder holds, and when a runner-up topic is close enough to suggest."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import REPO, run_cli

from dsguide.config import Topic
from dsguide.ingest import essay, markdown, newsletter, topics
from dsguide.ingest.detect import detect

PARA = ("This paragraph has plenty of ordinary words in it, so that the whole text is long enough "
        "to count as an essay when the detector weighs it.")
LONG = PARA + " " + PARA  # over forty words: body text, never a sign-off


# --- format detection ---------------------------------------------------------------------------

def test_a_tie_goes_to_the_earlier_format() -> None:
    """Markdown headings and a link (4 points) against a title line and prose (4 points): the
    formats are tried in order markdown, newsletter, thread, essay, and the first wins a tie."""
    text = f"# One\n\n{PARA} See [this](https://example.org/x).\n\n# Two\n\n{PARA}\n\n# Three\n\n{PARA}\n"
    detection = detect(text)
    assert detection.format == "markdown"
    assert detection.reason == "3 Markdown headings; 1 Markdown link"


def test_one_more_point_beats_the_order() -> None:
    text = f"# One\n\n{PARA}\n\n# Two\n\n{PARA}\n\n# Three\n\n{PARA}\n"  # markdown 3, essay 4
    assert detect(text).format == "essay"


# --- subtitles ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("second_line", "subtitle"), [
    ("A field guide for new leads", "A field guide for new leads"),
    ("Four words long here", "Four words long here"),          # the fewest words a subtitle has
    (" ".join(["word"] * 25), " ".join(["word"] * 25)),       # the most
    (" ".join(["word"] * 26), None),                           # a paragraph, not a subtitle
    ("Three words here", None),                                # a heading, not a subtitle
    ("This line is a sentence that ends here.", None),
    ("What follows is a list of rules:", None),
    ("- a list item with words", None),
    ("• a bullet item with words", None),
])
def test_the_line_after_the_title_is_a_subtitle_only_when_it_reads_like_one(second_line: str,
                                                                            subtitle: str | None) -> None:
    parsed = essay.parse(f"Managing up\n\n{second_line}\n\n{PARA}\n\n{PARA}\n")
    assert parsed.title == "Managing up"
    assert parsed.subtitle == subtitle


# --- Q&A posts ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("front", "kind"), [
    ("categories: [Mailbag]", "q-and-a"),
    ("tags: [careers, Reader Questions]", "q-and-a"),
    ("categories: Q&A, careers", "q-and-a"),
    ("tags: [AMA]", "q-and-a"),
    ("tags: [careers, questioning]", "blog-post"),
    ("categories: [Management]", "blog-post"),
])
def test_a_post_labelled_as_questions_is_a_q_and_a(front: str, kind: str) -> None:
    parsed = markdown.parse(f"---\ntitle: Should I stay?\n{front}\n---\n{PARA}\n")
    assert parsed.source_format == kind


def test_a_wordpress_post_quoting_a_reader_is_a_q_and_a() -> None:
    """WordPress Q&A posts set the reader's letter apart with a styled block beside plain ones."""
    letter = ('<!-- wp:paragraph {"backgroundColor":"pale-cyan-blue"} -->\n<p>Dear Sam, my manager never '
              'replies.</p>\n<!-- /wp:paragraph -->\n\n')
    answer = "<!-- wp:paragraph -->\n<p>" + PARA + "</p>\n<!-- /wp:paragraph -->\n"
    quoted = markdown.parse(f"---\ntitle: A letter\n---\n{letter}{answer}")
    assert quoted.source_format == "q-and-a"
    assert "> Dear Sam" in quoted.sections[0].body_markdown
    assert markdown.parse(f"---\ntitle: A post\n---\n{answer}").source_format == "blog-post"
    assert markdown.parse(f"---\ntitle: All styled\n---\n{letter}").source_format == "blog-post"


# --- newsletter reading lists -------------------------------------------------------------------

def _issue(*middle: str) -> str:
    return "\n\n".join(["The Data Letter #12", "Saying no to a promotion", LONG, *middle]) + "\n"


def _body(parsed) -> str:
    return "\n".join(s.body_markdown for s in parsed.sections)


def test_a_run_introduced_as_reading_is_set_aside_with_what_follows_it() -> None:
    parsed = newsletter.parse(_issue("Worth your time this week:", "• A guide to design docs", "• A talk on rest",
                                     LONG))
    assert parsed.set_aside == ["A guide to design docs", "A talk on rest"]
    assert "Worth your time" not in _body(parsed) and "design docs" not in _body(parsed)
    assert _body(parsed).count("This paragraph has plenty") == 2  # the essay before it stays; the rest goes


def test_the_last_bullet_run_before_a_short_sign_off_is_a_reading_list() -> None:
    parsed = newsletter.parse(_issue("• A guide to design docs", "• A talk on rest", "Until next week, Sam"))
    assert parsed.set_aside == ["A guide to design docs", "A talk on rest"]


def test_bullets_followed_by_more_essay_are_part_of_the_essay() -> None:
    parsed = newsletter.parse(_issue("Three rules I keep:", "• Say no early", "• Say it kindly", LONG))
    assert parsed.set_aside == []
    assert "Say no early" in _body(parsed) and "Three rules I keep" in _body(parsed)


def test_a_run_introduced_without_reading_words_is_not_set_aside_in_the_middle() -> None:
    parsed = newsletter.parse(_issue("Three rules I keep:", "• Say no early", "• Say it kindly", LONG,
                                     "Links I liked:", "• A guide to design docs", "• A talk on rest", LONG))
    assert parsed.set_aside == ["A guide to design docs", "A talk on rest"]
    assert "Say no early" in _body(parsed)


# --- folders ------------------------------------------------------------------------------------

def test_hidden_files_and_folders_are_skipped_when_a_folder_is_expanded(tmp_path: Path, capsys) -> None:
    essays = tmp_path / "essays"
    (essays / ".git").mkdir(parents=True)
    (essays / ".obsidian").mkdir()
    text = (REPO / "tests" / "fixtures" / "ingest" / "plain-essay.txt").read_text(encoding="utf-8")
    (essays / "plain-essay.txt").write_text(text)
    (essays / ".plain-essay.txt.swp").write_text(text)
    (essays / ".hidden-copy.txt").write_text(text)
    (essays / ".git" / "COMMIT_EDITMSG").write_text(text)
    (essays / ".obsidian" / "workspace.md").write_text(text)
    code, out, _ = run_cli(capsys, "ingest", essays, "--into", tmp_path / "out", "--config", REPO / "site.yaml")
    assert code == 0
    assert "1 of 1 input ingested" in out
    assert len(list((tmp_path / "out" / "sources").glob("*.md"))) == 1


# --- topic suggestions: the runner-up's share -----------------------------------------------------

TOPICS = (Topic("hiring", "Hiring", "", ("hiring", "interview", "candidate")),
          Topic("trust", "Trust", "", ("trust", "stakeholder", "credibility")))


def _text(hiring_hits: int, trust_hits: int) -> str:
    hiring = ["hiring", "interview", "candidate"]
    trust = ["trust", "stakeholder", "credibility"]
    return " ".join([hiring[i % 3] for i in range(hiring_hits)] + [trust[i % 3] for i in range(trust_hits)])


@pytest.mark.parametrize(("best", "runner_up", "suggested"), [
    (12, 3, ["hiring", "trust"]),   # 3 is exactly a quarter of 12: close enough
    (13, 3, ["hiring"]),            # under a quarter: left out
    (16, 4, ["hiring", "trust"]),
    (17, 4, ["hiring"]),
])
def test_a_runner_up_topic_needs_a_quarter_of_the_best_topics_hits(best: int, runner_up: int,
                                                                   suggested: list[str]) -> None:
    found = topics.suggest(_text(best, runner_up), TOPICS)
    assert [s.slug for s in found] == suggested
    assert found[0].hits == best
