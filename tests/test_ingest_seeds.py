"""Acceptance: `dsguide ingest` on the five seed essays in ../shared/seeds.

The expected section lists were checked by reading each seed. Assertions quote only headings and
single words, never the essays' sentences (tests/test_our_words.py checks that).
"""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import frontmatter
import pytest
from conftest import REPO

from dsguide.cli import main

SEEDS = (Path(__file__).parents[1] / ".." / "shared" / "seeds").resolve()

pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"seed essays not found at {SEEDS}")

# file: (detected format, source format, section titles, essay-level topics)
EXPECTED = {
    "000_60be0ca9545e8ac6.txt": ("thread", "thread",
                                 ["It’s a lot of work and a lot…", "Tuesdays are usually my most eventful days of…"],
                                 ["ic-vs-manager", "burnout", "hiring"]),
    "001_078f453e4bc61723.txt": ("newsletter", "newsletter", ["Newsletter #086"], ["ic-vs-manager"]),
    "002_f1218a8ac05e7309.txt": ("essay", "essay",
                                 ["Introduction", "Losing control", "Staying technical", "Building trust",
                                  "Burnout is real", "Motivating", "Ending note"],
                                 ["ic-vs-manager", "trust"]),
    "003_50759c64ee5ac1a1.txt": ("essay", "essay",
                                 ["Introduction", "The interview design: to code or not to code?",
                                  "The importance of a portfolio", "Reading the job ad is important!",
                                  "Managing non-infinite budgets", "Communicating with non-technical teams",
                                  "This importance of trust"],
                                 ["hiring", "ic-vs-manager", "trust"]),
    "004_b879193e9408732f.txt": ("markdown", "q-and-a", ["Career advise. Upgrading data science career"], []),
}

# Section → topics suggested for its draft note.
NOTE_TOPICS = {
    "losing-control": ["burnout"],
    "burnout-is-real": ["burnout"],
    "staying-technical": ["ic-vs-manager"],
    "building-trust": ["trust", "ic-vs-manager"],
    "the-interview-design-to-code-or-not-to-code": ["hiring"],
    "the-importance-of-a-portfolio": ["hiring"],
    "reading-the-job-ad-is-important": ["hiring"],
    "this-importance-of-trust": ["trust"],
    "newsletter-086": ["ic-vs-manager"],
    "tuesdays-are-usually-my-most-eventful-days-of": ["burnout"],
}

BOILERPLATE = ["Leave a Reply", "Your email address", "Required fields", "Missing some Tweet", "force a refresh",
               "• • •", "<!--", "wp:paragraph", "textColor", "Acknowledgement", "About this newsletter",
               "sign up below", "👋", "comment section"]


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str, str]:
    """All five seeds ingested once into a temporary folder: (folder, exit code, stdout, stderr)."""
    into = tmp_path_factory.mktemp("seeds") / "drafts"
    # the repository's topics, but none of its sources: those are these very essays, which ingest
    # would recognise and refuse to draft again (test_seeds_that_are_sources_are_recognised)
    config = into.parent / "site.yaml"
    config.write_text((REPO / "site.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    return (into, *ingest_seeds(into, config))


def ingest_seeds(into: Path, config: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["ingest", *map(str, sorted(SEEDS.glob("*.txt"))), "--into", str(into), "--config", str(config)])
    return code, out.getvalue(), err.getvalue()


def test_seeds_that_are_sources_are_recognised(tmp_path: Path) -> None:
    """With the repository's own sources (fingerprinted from these essays), no seed gets a second id."""
    code, _, err = ingest_seeds(tmp_path / "drafts", REPO / "site.yaml")
    assert code == 1 and not (tmp_path / "drafts").exists()
    ids = re.findall(r"error: already a source: '([a-z0-9-]+)' \((?:\d+% of its 10-word runs|the same title)", err)
    # every essay a source record holds; further-reading records (`recommended_by`) are works the essays
    # point to, not seeds
    essays = [p.stem for p in (REPO / "content" / "sources").glob("*.md")
              if "\nrecommended_by:" not in p.read_text(encoding="utf-8")]
    assert len(essays) == len(list(SEEDS.glob("*.txt")))
    assert sorted(ids) == sorted(essays)


def test_every_seed_is_ingested(ingested: tuple[Path, int, str, str]) -> None:
    _, code, out, err = ingested
    assert (code, err) == (0, "")
    assert sorted(EXPECTED) == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert "5 of 5 inputs ingested" in out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_seed_format_sections_and_topics(name: str, ingested: tuple[Path, int, str, str]) -> None:
    into, _, out, _ = ingested
    detected, source_format, sections, suggested = EXPECTED[name]
    row = next(line for line in out.splitlines() if line.startswith(name))
    cells = re.split(r"\s{2,}", row)
    assert cells[1:4] == [detected, str(len(sections)), ", ".join(suggested) or "(none)"]
    [source] = [p for p in (into / "sources").glob("*.md") if f"from {name} " in p.read_text(encoding="utf-8")]
    meta = frontmatter.load(source).metadata
    assert (meta["format"], meta["sections"]) == (source_format, sections)


def test_seed_detection_reasons(ingested: tuple[Path, int, str, str]) -> None:
    out = ingested[2]
    reasons = {line.split()[0]: line for line in out.splitlines() if line.startswith("00")}
    assert "thread-export boilerplate" in reasons["000_60be0ca9545e8ac6.txt"]
    assert "masthead 'Newsletter #086'" in reasons["001_078f453e4bc61723.txt"]
    assert "footnote numbers glued to words" in reasons["002_f1218a8ac05e7309.txt"]
    assert "6 short heading lines" in reasons["003_50759c64ee5ac1a1.txt"]
    assert "WordPress block comments" in reasons["004_b879193e9408732f.txt"]


def test_seed_bibliography(ingested: tuple[Path, int, str, str]) -> None:
    into = ingested[0]
    wordpress = frontmatter.load(into / "sources" / "career-advise-upgrading-data-science-career.md").metadata
    assert str(wordpress["published"]) == "2021-04-11"
    for source in (into / "sources").glob("*.md"):
        post = frontmatter.load(source)
        assert post["url"] is None and post["author"] is None
        assert post.content.startswith("REPLACE-ME: summarise this essay in your own words")


@pytest.mark.parametrize(("slug", "expected"), sorted(NOTE_TOPICS.items()))
def test_seed_note_topics(slug: str, expected: list[str], ingested: tuple[Path, int, str, str]) -> None:
    meta = frontmatter.load(ingested[0] / "notes" / f"{slug}.md").metadata
    assert meta["topics"] == expected
    assert meta["draft"] is True


def test_seed_drafts_are_clean(ingested: tuple[Path, int, str, str]) -> None:
    into = ingested[0]
    for note in sorted((into / "notes").glob("*.md")):
        body = frontmatter.load(note).content
        for junk in BOILERPLATE:
            assert junk not in body, f"{note.name} keeps '{junk}'"
        assert "\n\n\n" not in body, note.name
        assert not re.search(r"\b(learning1|review2|work3|meetings4|add5|exhausting6|goal7)\b", body), note.name
    newsletter = frontmatter.load(into / "notes" / "newsletter-086.md").content
    assert "WhyLogs" not in newsletter and "Bandit" not in newsletter   # the reading list is set aside
    qa = frontmatter.load(into / "notes" / "career-advise-upgrading-data-science-career.md").content
    assert qa.count("\n> Hi Boris,") == 1 and "\\<XXX Multinational Company>" in qa
