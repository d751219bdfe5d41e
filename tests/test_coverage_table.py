"""content/COVERAGE.md, the table of every piece of advice in the essays and the note that carries it,
stays true as notes are renamed and merged: each row names notes that exist or says why it has none,
and the counts at the top are the table's own."""

from __future__ import annotations

import re
from dataclasses import dataclass

from conftest import REPO

COVERAGE = REPO / "content" / "COVERAGE.md"
COUNTS_RE = re.compile(r"\*\*Counts:\*\* (\d+) advice items found, (\d+) covered by (\d+) notes, "
                       r"(\d+) left out with a reason\.")
WIKILINK_RE = re.compile(r"\[\[([^\]|#]+)")


@dataclass(frozen=True)
class Row:
    source: str
    section: str
    notes: tuple[str, ...]
    reason: str
    line: int


def rows(text: str) -> list[Row]:
    out: list[Row] = []
    source = ""
    for number, line in enumerate(text.splitlines(), 1):
        if heading := re.match(r"^## (\S+)\s*$", line):
            source = heading[1]
        elif line.startswith("| ") and not line.startswith(("| section", "| ---")):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            assert len(cells) == 4, f"COVERAGE.md:{number}: a row needs 4 cells"
            out.append(Row(source, cells[0], tuple(WIKILINK_RE.findall(cells[2])), cells[3], number))
    return out


def test_every_source_has_a_section_and_every_row_names_notes_or_a_reason() -> None:
    table = rows(COVERAGE.read_text(encoding="utf-8"))
    sources = {p.stem for p in (REPO / "content" / "sources").glob("*.md")}
    essays = {p.stem for p in (REPO / "content" / "sources").glob("*.md")
              if "recommended_by:" not in p.read_text(encoding="utf-8")}
    assert {r.source for r in table} == essays, "one section per essay we draw notes from"
    assert {r.source for r in table} <= sources
    notes = {p.stem for p in (REPO / "content" / "notes").glob("*.md")}
    for row in table:
        assert row.notes or row.reason, f"COVERAGE.md:{row.line}: neither a note nor a reason"
        missing = set(row.notes) - notes
        assert not missing, f"COVERAGE.md:{row.line}: no such note {sorted(missing)}"


def test_the_counts_at_the_top_are_the_tables() -> None:
    text = COVERAGE.read_text(encoding="utf-8")
    match = COUNTS_RE.search(text)
    assert match, "COVERAGE.md states its counts near the top"
    table = rows(text)
    covered = [r for r in table if r.notes]
    found = (len(table), len(covered), len({n for r in covered for n in r.notes}),
             len([r for r in table if not r.notes]))
    assert tuple(int(g) for g in match.groups()) == found


def test_every_note_drawn_from_an_essay_appears_in_the_table() -> None:
    listed = {n for r in rows(COVERAGE.read_text(encoding="utf-8")) for n in r.notes}
    sourced = {p.stem for p in (REPO / "content" / "notes").glob("*.md")
               if "original: true" not in p.read_text(encoding="utf-8")}
    assert sourced - listed == set()


def test_rows_parse_notes_and_reasons() -> None:
    text = ("## essay\n\n| section | advice | note(s) | or why left out |\n| --- | --- | --- | --- |\n"
            "| Intro | Do a thing | [[a-note]], [[b-note]] | |\n| Intro | An aside | — | off-topic |\n")
    assert rows(text) == [Row("essay", "Intro", ("a-note", "b-note"), "", 5),
                          Row("essay", "Intro", (), "off-topic", 6)]

