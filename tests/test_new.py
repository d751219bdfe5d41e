"""`dsguide new`: a contributor's first note, from the template to a passing check."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
from conftest import run_cli

from dsguide.schema import slugify


def test_slugify() -> None:
    assert slugify("How to run a fair take-home!") == "how-to-run-a-fair-take-home"
    assert slugify("  Über 1:1s — and why  ") == "uber-1-1s-and-why"


def test_new_writes_a_template_that_shows_every_field(site_copy: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "new", "How to run a fair take-home", "--topic", "hiring",
                             "--source", "fixture-essay", "--audience", "new-manager", "--config", site_copy)
    assert (code, err) == (0, "")
    assert out.strip() == "content/notes/how-to-run-a-fair-take-home.md"
    path = site_copy.parent / out.strip()
    text = path.read_text(encoding="utf-8")
    meta = frontmatter.loads(text).metadata
    assert meta["title"] == "How to run a fair take-home"
    assert (meta["topics"], meta["audience"], meta["draft"]) == (["hiring"], ["new-manager"], True)
    assert meta["sources"] == [{"source": "fixture-essay", "section": "REPLACE-ME"}]
    for field in ("title", "summary", "topics", "tags", "audience", "sources", "original", "related",
                  "evidence", "reviewed", "updated", "draft"):
        line = next(i for i, line in enumerate(text.splitlines()) if line.startswith(f"{field}:"))
        assert text.splitlines()[line - 1].startswith("#"), f"{field} has no comment"


def test_new_refuses_to_overwrite(site_copy: Path, capsys) -> None:
    existing = site_copy.parent / "content" / "notes" / "rest-days.md"
    before = existing.read_text(encoding="utf-8")
    code, _, err = run_cli(capsys, "new", "Rest days", "--topic", "burnout", "--config", site_copy)
    assert code == 1 and "already exists" in err
    assert existing.read_text(encoding="utf-8") == before


def test_new_validates_topic_audience_and_source(site_copy: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "new", "Anything", "--topic", "hirng", "--audience", "ic",
                             "--source", "nope", "--config", site_copy)
    assert (code, out) == (2, "")
    assert err.splitlines() == ["dsguide new: error: unknown topic 'hirng' (did you mean 'hiring'?)",
                                "dsguide new: error: unknown audience 'ic'",
                                "dsguide new: error: unknown source 'nope'"]
    assert not (site_copy.parent / "content" / "notes" / "anything.md").exists()


def test_a_fresh_template_checks_with_placeholder_warnings_only(site_copy: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, "new", "A fresh idea", "--topic", "trust", "--config", site_copy)
    code, _, err = run_cli(capsys, "check", "--config", site_copy)
    mine = [line for line in err.splitlines() if line.startswith(out.strip())]
    assert code == 0
    assert mine and all("warning[placeholder]" in line for line in mine)
    assert run_cli(capsys, "check", "--config", site_copy, "--strict")[0] == 1


def test_a_contributor_fills_in_the_template_and_check_passes(site_copy: Path, capsys) -> None:
    """The five steps of CONTRIBUTING.md, done by a script."""
    _, out, _ = run_cli(capsys, "new", "Say no to a fifth interview round", "--topic", "hiring",
                        "--source", "fixture-essay", "--audience", "new-manager", "--config", site_copy)
    path = site_copy.parent / out.strip()
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"REPLACE-ME: what the reader.*", "Each extra round costs candidates a day; stop at four.", text)
    text = text.replace("section: REPLACE-ME", "section: Interviews").replace("draft: true", "draft: false")
    text = text.replace("context: REPLACE-ME", "context: One hiring manager's experience")
    body = ("Long loops tire candidates, who then accept other offers. Keep it to four conversations, and "
            "see [[interview-loops]] for how to plan them.\n\n## What the source says\n\nPeople drop out.\n")
    text = text[: text.index("REPLACE-ME: the claim")] + body
    path.write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, "check", "--config", site_copy)
    assert code == 0, err
    assert not [line for line in err.splitlines() if line.startswith(out.strip()) and "error[" in line]
    built = site_copy.parent / "public"
    assert run_cli(capsys, "build", "--config", site_copy, "--out", built)[0] == 0
    assert (built / "notes" / "say-no-to-a-fifth-interview-round" / "index.html").exists()


@pytest.mark.parametrize("slug", ["../evil", "a/b", "/tmp/abs", "Bad Slug", "trail-"])
def test_new_refuses_a_slug_that_is_not_one(slug: str, site_copy: Path, capsys) -> None:
    before = sorted(p for p in site_copy.parent.parent.rglob("*"))
    code, out, err = run_cli(capsys, "new", "T", "--topic", "hiring", "--slug", slug, "--config", site_copy)
    assert (code, out) == (2, "")
    assert err == f"dsguide new: error: --slug '{slug}' is not a slug: use lowercase letters, digits and hyphens\n"
    assert sorted(p for p in site_copy.parent.parent.rglob("*")) == before


def test_new_keeps_any_title_exactly_and_refuses_an_overlong_one(site_copy: Path, capsys) -> None:
    title = 'Use C:\\new folders, "quotes" \\ and: colons #not-a-comment'
    _, out, _ = run_cli(capsys, "new", title, "--topic", "hiring", "--config", site_copy)
    assert frontmatter.load(site_copy.parent / out.strip()).metadata["title"] == title
    code, _, err = run_cli(capsys, "new", "word " * 40, "--topic", "hiring", "--config", site_copy)
    assert code == 2 and "the title is 200 characters; the limit is 120" in err


def test_the_template_text_itself_links_nowhere(site_copy: Path, capsys) -> None:
    """Built with --drafts, a fresh note has placeholders to fill in, but its help text makes no broken links."""
    run_cli(capsys, "new", "Fresh", "--topic", "hiring", "--source", "fixture-essay", "--config", site_copy)
    code, _, err = run_cli(capsys, "check", "--drafts", "--config", site_copy)
    mine = [line for line in err.splitlines() if line.startswith("content/notes/fresh.md")]
    assert code == 0 and not [line for line in mine if "error[" in line], mine


def test_new_suggests_the_source_id_a_typo_meant(site_copy: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "new", "Anything", "--topic", "hiring", "--source", "fixture-esay",
                           "--config", site_copy)
    assert (code, err) == (2, "dsguide new: error: unknown source 'fixture-esay' (did you mean 'fixture-essay'?)\n")
