"""One slug rule everywhere (schema.slugify): accents fold to ASCII, apostrophes vanish, the rest
becomes single hyphens. `new`, ingest's file names and ingest's tags all follow it."""

from __future__ import annotations

from pathlib import Path

import frontmatter
from conftest import MINIMAL_CONFIG, run_cli, write_site

from dsguide.schema import SLUG_RE, slugify


def test_accents_fold_to_ascii() -> None:
    assert slugify("Café") == "cafe"
    assert slugify("Données & Señor's café") == "donnees-senors-cafe"
    assert SLUG_RE.match(slugify("Ça va? Très bien!"))


def test_new_names_the_file_with_the_one_slug_rule(site_copy: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "new", "Café culture at work", "--topic", "trust", "--config", site_copy)
    assert code == 0
    assert out.strip() == "content/notes/cafe-culture-at-work.md"


def test_ingest_names_files_and_tags_with_the_one_slug_rule(tmp_path: Path, capsys) -> None:
    post = tmp_path / "post.md"
    words = " ".join(["Some ordinary words about working well with a team every week."] * 6)
    post.write_text(f"---\ntitle: Café conversations\ntags: [Café, Reader's Questions, Données]\n---\n"
                    f"{words}\n\n## A part\n\n{words}\n", encoding="utf-8")
    # ingest keeps only the tags in site.yaml's vocabulary: this site lists the three slugs the rule gives,
    # so a tag slugged any other way is dropped and the assertion below fails
    vocabulary = "".join(f"  - slug: {t}\n    name: {t}\n    description: A tag.\n"
                         for t in ("cafe", "readers-questions", "donnees"))
    config = write_site(tmp_path / "site", {}, MINIMAL_CONFIG + "tags:\n" + vocabulary)
    code, out, err = run_cli(capsys, "ingest", post, "--into", tmp_path / "out", "--config", config)
    assert code == 0, err
    sources = list((tmp_path / "out" / "sources").glob("*.md"))
    assert [p.name for p in sources] == ["cafe-conversations.md"]
    notes = sorted((tmp_path / "out" / "notes").glob("*.md"))
    assert notes and all(SLUG_RE.match(p.stem) for p in notes)
    tags = frontmatter.load(notes[0]).metadata["tags"]
    assert tags == ["cafe", "readers-questions", "donnees"]
