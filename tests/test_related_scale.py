"""Related notes come from a bounded inverted index (graph.related_notes): on a site where every
note shares a topic, the notes that share rare words and tags still find each other, ties go by
slug, front-matter `related` comes first, and a note with nothing rare in common still gets its
topic's notes."""

from __future__ import annotations

from pathlib import Path

from conftest import note, write_site

from dsguide.graph import POSTINGS_PER_TERM, RELATED_COUNT
from dsguide.pipeline import load_site

FILLER = "Teams meet weekly and plan the work together with care."


def crowd(count: int) -> dict[str, str]:
    """`count` notes of one topic that share only common words (each also has a word of its own)."""
    return {f"notes/crowd-{i:03d}.md": note(f"Crowd {i}", f"{FILLER} Word{i}x appears once.")
            for i in range(count)}


def test_rare_words_and_tags_find_each_other_in_a_crowd_of_one_topic(tmp_path: Path) -> None:
    files = crowd(4 * POSTINGS_PER_TERM)
    files["notes/needle-a.md"] = note("Zanzibar quokka", f"{FILLER} Zanzibar quokka marmalade.", tags="[rare]")
    files["notes/needle-z.md"] = note("Quokka marmalade", f"{FILLER} Quokka marmalade zanzibar.", tags="[rare]")
    site, report = load_site(write_site(tmp_path, files))
    assert not report.errors, report.render()
    assert site.related["needle-a"][0] == "needle-z"
    assert site.related["needle-z"][0] == "needle-a"


def test_ties_go_by_slug_and_front_matter_related_comes_first(tmp_path: Path) -> None:
    files = {f"notes/twin-{c}.md": note("Twin", "Identical words everywhere.") for c in "edcba"}
    files["notes/twin-f.md"] = note("Twin", "Identical words everywhere.", related="[twin-e]")
    site, _ = load_site(write_site(tmp_path, files))
    assert site.related["twin-a"] == ("twin-b", "twin-c", "twin-d", "twin-e", "twin-f")
    assert site.related["twin-f"] == ("twin-e", "twin-a", "twin-b", "twin-c", "twin-d")


def test_a_note_with_nothing_rare_in_common_gets_notes_of_its_topic(tmp_path: Path) -> None:
    files = {
        "notes/lonely.md": note("Lonely", "Nothing here is shared.", topics="[trust]", summary="Alone."),
        "notes/other.md": note("Other", "Different words entirely.", topics="[trust]", summary="Apart."),
    }
    site, _ = load_site(write_site(tmp_path, files))
    assert site.related["lonely"] == ("other",)
    assert len(site.related["other"]) <= RELATED_COUNT
