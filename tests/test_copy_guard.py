"""The copy guard: `check` reports text copied from a fingerprinted source, at its line and column.

The essays are not in the repository, so these tests fingerprint an invented essay of our own
(tests/fixtures/copy/invented-essay.txt) and copy from it; the committed fingerprints of the real
sources are checked for shape, and, only where ../shared/seeds exists, for catching a real passage.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import REPO, SEEDS, note, run_cli, write_site

from dsguide.fingerprint import HEADER, RUN_WORDS, SUFFIX, read_fingerprints, words
from dsguide.model import Content
from dsguide.pipeline import load_site

ESSAY = REPO / "tests" / "fixtures" / "copy" / "invented-essay.txt"
HINT = "say it in your own words; cite the source and its section instead"
# twelve words of the invented essay, with different case and punctuation: the words are what count
COPIED_12 = "nobody thanks a keeper, for a LAMP that stays lit and nobody"
SEED_IDS = {"000": "ds-lead-thread", "001": "staying-technical-as-a-manager", "002": "being-a-ds-manager",
            "003": "director-of-ds-first-year", "004": "upgrading-a-ds-career"}


def fingerprinted_site(root: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]) -> Path:
    config = write_site(root, files)
    code, out, err = run_cli(capsys, "fingerprint", "essay", ESSAY, "--config", config)
    assert (code, err) == (0, ""), err
    assert out.startswith(f"wrote content/sources/essay{SUFFIX}: ")
    return config


def check(capsys: pytest.CaptureFixture[str], config: Path) -> tuple[int, list[str]]:
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json")
    found = json.loads(out)["diagnostics"]
    return code, [f"{d['path']}:{d['line']}:{d['col']}: {d['message']} ({d['hint']})"
                  for d in found if d["code"] in ("copied-text", "bad-fingerprints")]


def test_a_copied_run_of_twelve_words_is_reported_where_it_starts(tmp_path: Path, capsys) -> None:
    body = f"Our own opening line.\n\nThe essay says: {COPIED_12}. But we disagree."
    config = fingerprinted_site(tmp_path / "site", capsys, {"notes/copier.md": note("Copier", body)})
    code, found = check(capsys, config)
    assert code == 1
    assert found == [f"content/notes/copier.md:11:17: 12 words in a row are copied from source 'essay' ({HINT})"]


def test_every_kind_of_file_is_guarded_and_broken_front_matter_does_not_hide_a_copy(tmp_path: Path,
                                                                                     capsys) -> None:
    copy = "A keeper who writes the weather down at six, noon and midnight"  # 12 words
    files = {
        "notes/bad-yaml.md": "---\ntitle: Bad: yaml\n---\n" + copy + "\n",
        "pages/about.md": f"---\ntitle: About\nsummary: {copy}\n---\nOur words.\n",
        "paths/start.md": ("---\ntitle: Start\nsummary: A path.\naudience: [ic]\nsteps:\n  - note: a\n"
                           f"    why: {copy}\n  - note: b\n    why: Then.\n---\n"),
        "notes/a.md": note("A", "See [[b]]."), "notes/b.md": note("B", "See [[a]]."),
    }
    config = fingerprinted_site(tmp_path / "site", capsys, files)
    _, found = check(capsys, config)
    assert [line.split(": ")[0] for line in found] == [
        "content/notes/bad-yaml.md:4:1", "content/pages/about.md:3:10", "content/paths/start.md:7:10"]


def test_shorter_runs_and_cited_titles_and_sections_are_not_copies(tmp_path: Path, capsys) -> None:
    nine = "every morning the keeper climbs one hundred and twelve"  # 9 words of the essay
    text = ('---\ntitle: "Lighthouse Keeping for Analysts, which every morning the keeper climbs"\n'
            "summary: A short summary.\ntopics: [hiring]\nsources:\n  - source: essay\n"
            "    section: Every morning the keeper climbs one hundred and twelve stairs to wipe salt\n"
            "evidence: {kind: opinion, context: One essay.}\nreviewed: 2026-01-05\n"
            f"---\nAs it says, {nine} ... and then our own words follow here.\n\n"
            "## What the source says\n\nThe essay says so.\n")
    config = fingerprinted_site(tmp_path / "site", capsys, {"notes/fair.md": text})
    assert check(capsys, config) == (0, [])


def test_a_malformed_or_unowned_fingerprint_file_is_reported(tmp_path: Path, capsys) -> None:
    config = fingerprinted_site(tmp_path / "site", capsys, {})
    sources = tmp_path / "site" / "content" / "sources"
    (sources / f"essay{SUFFIX}").write_text(HEADER + "\nnot-a-hash\n", encoding="utf-8")
    shutil.copyfile(sources / f"essay{SUFFIX}", sources / f"gone{SUFFIX}")
    _, found = check(capsys, config)
    assert found == [
        "content/sources/essay.fingerprints:2:1: not a fingerprint: expected 12 hex digits (rewrite the file "
        "with: dsguide fingerprint SOURCE_ID ORIGINAL_FILE)",
        "content/sources/gone.fingerprints:0:0: no source record 'gone.md' beside it (name it after the "
        "source it fingerprints: <source-id>.fingerprints)",
        "content/sources/gone.fingerprints:2:1: not a fingerprint: expected 12 hex digits (rewrite the file "
        "with: dsguide fingerprint SOURCE_ID ORIGINAL_FILE)",
    ]


def test_fingerprint_refuses_an_unknown_source_with_a_suggestion(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {})
    code, _, err = run_cli(capsys, "fingerprint", "esay", ESSAY, "--config", config)
    assert code == 2
    assert err == ("dsguide fingerprint: error: unknown source 'esay' (did you mean 'essay'?) (a source id is a "
                   "file name in content/sources/, without .md)\n")
    assert not list((tmp_path / "site" / "content" / "sources").glob(f"*{SUFFIX}"))


def test_fingerprint_files_hold_no_text_of_the_essay(tmp_path: Path, capsys) -> None:
    fingerprinted_site(tmp_path / "site", capsys, {})
    stored = (tmp_path / "site" / "content" / "sources" / f"essay{SUFFIX}").read_text(encoding="utf-8")
    essay_words = {w.text for w in words(ESSAY.read_text(encoding="utf-8"))}
    stored_words = {w.text for w in words(stored.split("\n", 1)[1])}
    assert not essay_words & stored_words - {str(n) for n in range(10)}


# --- the committed fingerprints of the real sources ------------------------------------------------

def _repo_content() -> Content:
    site, report = load_site(REPO / "site.yaml")
    assert site is not None and not report.errors, report.render()
    return site.content


CONTENT = _repo_content()
# A further-reading record (`recommended_by`) describes a work an essay points to: we hold no text of
# it and draw no notes from it, so only the essays notes draw from carry fingerprints.
ESSAYS = sorted(s.id for s in CONTENT.sources if not s.recommended_by)
FURTHER_READING = sorted(s.id for s in CONTENT.sources if s.recommended_by)


def test_no_note_draws_from_a_further_reading_record() -> None:
    assert ESSAYS and FURTHER_READING
    cited = {ref.source for n in CONTENT.notes for ref in n.sources}
    assert not cited & set(FURTHER_READING), "a note draws from it: fingerprint it and drop `recommended_by`"


@pytest.mark.parametrize("source_id", ESSAYS)
def test_every_source_notes_draw_from_has_committed_fingerprints_that_parse(source_id: str) -> None:
    path = REPO / "content" / "sources" / f"{source_id}{SUFFIX}"
    assert path.is_file(), f"run: dsguide fingerprint {source_id} ESSAY_FILE"
    hashes, problems = read_fingerprints(path, path.name)
    assert problems == []
    assert len(hashes) >= 500  # every seed essay is well over 500 words


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the essays (../shared/seeds) are not beside this clone")
@pytest.mark.parametrize(("prefix", "source_id"), sorted(SEED_IDS.items()))
def test_the_committed_fingerprints_catch_a_passage_of_each_essay(prefix: str, source_id: str, tmp_path: Path,
                                                                  capsys) -> None:
    [seed] = SEEDS.glob(f"{prefix}_*.txt")
    text = seed.read_text(encoding="utf-8")
    ws = words(text)
    passage = text[ws[100].offset:ws[100 + RUN_WORDS + 2].offset].replace("\n", " ")  # 12 words, read at test time
    config = write_site(tmp_path / "site", {"notes/copier.md": note("Copier", "Intro.\n\n" + passage)})
    shutil.copyfile(REPO / "content" / "sources" / f"{source_id}{SUFFIX}",
                    tmp_path / "site" / "content" / "sources" / f"essay{SUFFIX}")
    _, found = check(capsys, config)
    assert found == [f"content/notes/copier.md:11:1: 12 words in a row are copied from source 'essay' ({HINT})"]


def test_an_ingested_draft_moved_into_content_is_caught(tmp_path: Path, capsys) -> None:
    """The issue's case: ingest, move the draft and its source into content/, fill in the summary only."""
    config = write_site(tmp_path / "site", {})
    drafts = tmp_path / "drafts"
    assert run_cli(capsys, "ingest", ESSAY, "--into", drafts, "--config", config)[0] == 0
    content = tmp_path / "site" / "content"
    for path in (drafts / "sources").iterdir():
        shutil.copyfile(path, content / "sources" / path.name)
    [draft] = [p for p in (drafts / "notes").iterdir() if "lamp-room" in p.name]
    text = draft.read_text(encoding="utf-8").replace("draft: true", "draft: false")
    (content / "notes").mkdir(exist_ok=True)
    (content / "notes" / draft.name).write_text(text.replace("REPLACE-ME: summarise", "Keepers"), encoding="utf-8")
    _, found = check(capsys, config)
    body_line = text.split("\n").index("---", 1) + 2  # the essay's text starts the body
    assert [line.split(": ")[0] for line in found] == [f"content/notes/{draft.name}:{body_line}:1"]
    assert "44 words in a row are copied from source 'lighthouse-keeping-for-analysts'" in found[0]


# --- ingest recognises an essay that is already a source ---------------------------------------------

def test_ingest_recognises_a_fingerprinted_essay_and_makes_no_second_id(tmp_path: Path, capsys) -> None:
    config = fingerprinted_site(tmp_path / "site", capsys, {})  # the invented essay is source 'essay'
    drafts = tmp_path / "drafts"
    code, _, err = run_cli(capsys, "ingest", ESSAY, "--into", drafts, "--config", config)
    assert code == 1 and not drafts.exists()
    assert err == (f"{ESSAY}: error: already a source: 'essay' (100% of its 10-word runs are in "
                   "content/sources/essay.fingerprints); not ingested again (--force drafts it again under that id)\n")
    # --force drafts it again, under the id it already has
    assert run_cli(capsys, "ingest", ESSAY, "--into", drafts, "--config", config, "--force")[0] == 0
    assert sorted(p.name for p in (drafts / "sources").iterdir()) == ["essay.fingerprints", "essay.md"]
    assert all("source: essay\n" in p.read_text() for p in (drafts / "notes").iterdir())


def test_ingest_recognises_a_source_by_its_title(tmp_path: Path, capsys) -> None:
    source = ("---\ntitle: Lighthouse keeping for analysts\nauthor: null\npublished: null\nurl: null\n"
              "format: essay\n---\nOurs.\n")
    config = write_site(tmp_path / "site", {"sources/lighthouses.md": source})  # no fingerprints
    code, _, err = run_cli(capsys, "ingest", ESSAY, "--into", tmp_path / "drafts", "--config", config)
    assert code == 1
    assert "already a source: 'lighthouses' (the same title as content/sources/lighthouses.md)" in err


def test_the_same_essay_twice_in_one_run_gets_one_id(tmp_path: Path, capsys) -> None:
    copy = tmp_path / "copy.txt"
    copy.write_text(ESSAY.read_text(encoding="utf-8").replace("Lighthouse Keeping", "Keeping Lighthouses"))
    config = write_site(tmp_path / "site", {})
    code, _, err = run_cli(capsys, "ingest", ESSAY, copy, "--into", tmp_path / "drafts", "--config", config)
    assert code == 1 and "already a source: 'lighthouse-keeping-for-analysts' (" in err
    assert [p.name for p in (tmp_path / "drafts" / "sources").glob("*.md")] == ["lighthouse-keeping-for-analysts.md"]


def test_ingest_drafts_carry_the_fields_and_comments_new_writes(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {})
    assert run_cli(capsys, "ingest", ESSAY, "--into", tmp_path / "drafts", "--config", config)[0] == 0
    assert run_cli(capsys, "new", "Fresh", "--topic", "hiring", "--source", "essay", "--config", config)[0] == 0
    def comments(path: Path) -> list[str]:
        front = path.read_text(encoding="utf-8").split("\n---\n")[0]
        return [line for line in front.splitlines() if line.startswith("#") and "Draft from" not in line
                and "rewrite it" not in line and "(150-600" not in line and "topic" not in line
                and not line.startswith("#   ")]
    def keys(path: Path) -> list[str]:
        front = path.read_text(encoding="utf-8").split("\n---\n")[0]
        return [line.split(":")[0] for line in front.splitlines() if re.match(r"^(# )?[a-z]+:", line)]
    new = tmp_path / "site" / "content" / "notes" / "fresh.md"
    draft = tmp_path / "drafts" / "notes" / "the-lamp-room.md"
    assert keys(draft) == keys(new)
    assert "evidence" in keys(new) and "reviewed" in keys(new) and "audience" in keys(new)
    assert comments(draft) == comments(new)
