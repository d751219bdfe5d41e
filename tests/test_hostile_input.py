"""Issue #9: nothing lost, nothing leaked, nothing hidden.

One section per numbered point of the issue (points 1 and 8, concurrent builds and the atomic swap,
are tested with the write stage). Each test builds or checks a small inline site that carries the
attack and asserts what a reader or a maintainer would see.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, build, note, run_cli, write_site

from dsguide import search
from dsguide.config import load_config
from dsguide.diagnostics import Diagnostic, Severity, error, printable
from dsguide.discover import discover
from dsguide.front_matter import split_front_matter
from dsguide.markdown import make_markdown, parse_document, render_html
from dsguide.model import ContentFile
from dsguide.pipeline import build_site, load_site
from dsguide.routes import RESERVED

# what must never reach a terminal raw: every control character but the newline, C1, bidi, zero-width
RAW_CONTROL_RE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def diagnostics_of(config: Path, severity: str | None = None) -> list[str]:
    _, report = load_site(config)
    return [d.format_text() for d in report.sorted() if severity is None or d.severity == severity]


def cli(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dsguide", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def parse(body: str, path: str = "content/notes/x.md"):
    """Parse a body the way the markdown stage does; the body starts on line 5 of its file."""
    text = f"---\ntitle: X\nsummary: S\n---\n{body}"
    doc, problems = split_front_matter(ContentFile("note", "x", path, Path(path)), text)
    assert doc is not None, problems
    return parse_document(make_markdown(), doc)


def published_text(out: Path) -> str:
    """Every file of a built site as text, Pagefind's compressed fragments decompressed."""
    parts = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if path.suffix.startswith(".pf_"):
            data = gzip.decompress(data)
        parts.append(data.decode("utf-8", errors="replace"))
    return "\n".join(parts)


# --- 2. symlinks that leave content/ ----------------------------------------------------------

SECRET = "Diary entry that must never be published"


def outside_note(tmp_path: Path) -> Path:
    outside = tmp_path / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "diary.md").write_text(note("Diary", SECRET), encoding="utf-8")
    return outside / "diary.md"


def test_a_note_symlinked_from_outside_content_is_an_error_and_never_published(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {"notes/kept.md": note("Kept")})
    (tmp_path / "site" / "content" / "notes" / "diary.md").symlink_to(outside_note(tmp_path))
    assert "content/notes/diary.md: error[outside-content]: a symlink that leads outside content/; content " \
           "files must be inside content/ (copy the file in instead)" in diagnostics_of(config)
    files, _ = discover(load_config(config)[0])
    assert "diary" not in [f.slug for f in files]
    result = cli("build", "--config", config, "--out", tmp_path / "public")
    assert result.returncode == 1 and not (tmp_path / "public").exists()
    assert SECRET not in result.stdout + result.stderr


def test_a_symlinked_folder_that_leads_out_is_an_error_naming_each_file(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {"pages/about.md": "---\ntitle: About\n---\nAbout us.\n"})
    outside_note(tmp_path)
    (tmp_path / "site" / "content" / "notes").symlink_to(tmp_path / "outside", target_is_directory=True)
    (tmp_path / "site" / "content" / "pages" / "more").symlink_to(tmp_path / "outside", target_is_directory=True)
    found = [d for d in diagnostics_of(config, "error") if "outside-content" in d]
    assert found == ["content/notes/diary.md: error[outside-content]: a symlink that leads outside content/; "
                     "content files must be inside content/ (copy the file in instead)",
                     "content/pages/more: error[outside-content]: a symlink that leads outside content/; "
                     "content files must be inside content/ (copy the file in instead)"]


def test_a_dangling_symlink_that_points_out_of_content_is_an_error(tmp_path: Path) -> None:
    config = write_site(tmp_path / "site", {"notes/kept.md": note("Kept")})
    (tmp_path / "site" / "content" / "notes" / "gone.md").symlink_to(tmp_path / "nowhere" / "gone.md")
    assert [d for d in diagnostics_of(config) if "gone.md" in d] == [
        "content/notes/gone.md: error[outside-content]: a symlink that leads outside content/; content files "
        "must be inside content/ (copy the file in instead)"]


@pytest.mark.parametrize("folder", ["static", "templates"])
def test_a_static_or_template_file_symlinked_from_outside_is_refused_and_never_copied(folder: str,
                                                                                     tmp_path: Path) -> None:
    site = tmp_path / "site"
    config = write_site(site, {"notes/kept.md": note("Kept")})
    config.write_text(config.read_text(encoding="utf-8").replace(f"{folder}: {REPO / folder}", f"{folder}: {folder}"),
                      encoding="utf-8")
    shutil.copytree(REPO / folder, site / folder)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (site / folder / "leak.txt").symlink_to(tmp_path / "secret.txt")
    assert f"{folder}/leak.txt: error[outside-link]: a symlink that leads outside {folder}/; the build copies or " \
           "reads only files inside it (copy the file in instead)" in diagnostics_of(config)
    result = cli("build", "--config", config, "--out", tmp_path / "public")
    assert result.returncode == 1 and not (tmp_path / "public").exists()


# --- 3. reserved route names ------------------------------------------------------------------

PAGE = "---\ntitle: A page\n---\nSome text.\n"


@pytest.mark.parametrize("name", ["notes", "tags", "search", "pagefind", "static", "404", "paths", "og", "page",
                                  "topics", "sources", "audiences"])
def test_a_page_may_not_take_a_name_the_site_uses(name: str, tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/kept.md": note("Kept"), f"pages/{name}.md": PAGE})
    (line,) = [d for d in diagnostics_of(config) if f"pages/{name}.md" in d]
    assert line.startswith(f"content/pages/{name}.md: error[reserved-slug]: '{name}' is a name the site itself "
                           "uses at this level of its URLs; rename the file (reserved: ")
    assert all(reserved in line for reserved in ("notes", "pagefind", "search", "static", "tags"))


def test_a_note_may_not_be_called_page_which_pagination_uses(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/page.md": note("Page")})
    assert "content/notes/page.md: error[reserved-slug]: 'page' is a name the site itself uses at this level of " \
           "its URLs; rename the file (reserved: page)" in diagnostics_of(config)


def test_a_reserved_page_fails_check_and_build_and_leaves_the_site(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/kept.md": note("Kept"), "pages/notes.md": PAGE})
    code, _, err = run_cli(capsys, "check", "--config", config)
    assert code == 1 and "error[reserved-slug]" in err
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / ".dsguide-output").write_text("old site\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", tmp_path / "public")
    assert code == 1 and "error[reserved-slug]" in err
    assert [p.name for p in (tmp_path / "public").iterdir()] == [".dsguide-output"]


def test_reserved_names_cover_every_top_level_name_a_build_writes(built_fixture: Path) -> None:
    pages = {p.stem for p in (FIXTURE_SITE / "content" / "pages").glob("*.md")}
    written = {p.name for p in built_fixture.iterdir()} - pages
    assert written - RESERVED == set(), "add these to routes.RESERVED, so no page can replace them"


# --- 4. nesting past markdown-it's limit ------------------------------------------------------

def nested_list(depth: int) -> str:
    return "".join("  " * level + f"- level {level + 1}\n" for level in range(depth))


def test_nine_nested_levels_render_in_full() -> None:
    parsed, problems = parse(nested_list(9) + "\nAfter the list.\n")
    assert problems == []
    html = render_html(make_markdown(), parsed, lambda *a: None)
    assert "level 9" in html and "After the list." in html


def test_a_list_nested_too_deep_is_an_error_where_it_starts_and_later_links_are_still_checked(tmp_path: Path) -> None:
    body = nested_list(10) + "\n## Later section\n\nSee [[nowhere]].\n"
    parsed, problems = parse(body)
    # the 10th level is on body line 10 (file line 14), indented 18 spaces; the later link is on body line 14
    assert [d.format_text() for d in problems] == [
        "content/notes/x.md:14:19: error[too-deep]: lists or quotes nested too deep: Markdown stops here and "
        "would drop lines 14–18 (flatten it: lists may nest nine levels deep, quotes nineteen)"]
    assert [(link.target, link.line, link.col) for link in parsed.wikilinks] == [("nowhere", 18, 5)]
    # the source's section goes first (everything after the too-deep line is lost to Markdown); the
    # body then starts on file line 13, so the 10th level is on line 22 and the link on line 26
    source_section = "## What the source says\n\nThe essay says so.\n\n"
    config = write_site(tmp_path, {"notes/deep.md": note("Deep", source_section + body, source_section=False)})
    found = diagnostics_of(config, "error")
    assert found[0].startswith("content/notes/deep.md:22:19: error[too-deep]: ")
    assert ("content/notes/deep.md:26:5: error[broken-link]: [[nowhere]] names no note (a note is named by its "
            "file name in content/notes/, without .md)") in found


def test_nineteen_nested_quotes_render_and_twenty_are_an_error_with_the_text_after_them_kept() -> None:
    parsed, problems = parse("> " * 19 + "deep words\n")
    assert problems == [] and "deep words" in render_html(make_markdown(), parsed, lambda *a: None)
    parsed, problems = parse("> " * 20 + "deep words\n\nAfter the quote.\n")
    assert [(d.line, d.code) for d in problems] == [(5, "too-deep")]
    assert "After the quote." in render_html(make_markdown(), parsed, lambda *a: None)


# --- 5. terminal escape injection -------------------------------------------------------------

TITLE_ESCAPE = "\x1b]0;title\x07\x1b[2J\x1b[31m"  # set the window title, clear the screen, turn red


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("fmt", ["text", "github", "json"])
def test_control_characters_in_a_value_never_reach_the_terminal_raw(command: str, fmt: str, tmp_path: Path) -> None:
    topic = '"\\e]0;title\\a\\e[2J\\e[31mhiring\\u202e"'  # YAML escapes: ESC, BEL, RLO
    config = write_site(tmp_path, {"notes/x.md": note(topics=f"[{topic}]")})
    args = [command, "--config", config, "--format", fmt] + (["--out", tmp_path / "out"] if command == "build" else [])
    result = cli(*args)
    assert result.returncode == 1
    output = result.stdout + result.stderr
    assert "unknown-topic" in output
    assert RAW_CONTROL_RE.findall(output) == []
    if fmt == "json":
        (found,) = [d for d in json.loads(result.stdout)["diagnostics"] if d["code"] == "unknown-topic"]
        assert TITLE_ESCAPE + "hiring\u202e" in found["message"]  # JSON escapes; the value itself is intact
    else:
        assert "\\x1b]0;title\\x07\\x1b[2J\\x1b[31mhiring\\u202e" in output


def test_github_annotations_escape_their_own_syntax_too() -> None:
    item = Diagnostic("content/notes/a,b:c.md", 3, 4, Severity.ERROR, "bad", "50% done\r\nnext \x1b[2J")
    assert item.format_github() == ("::error file=content/notes/a%2Cb%3Ac.md,line=3,col=4,title=bad::"
                                    "content/notes/a,b:c.md:3:4: error[bad]: 50%25 done\\x0d\\x0anext \\x1b[2J")


def test_the_escaping_is_readable_and_leaves_ordinary_text_alone() -> None:
    assert printable("café – naïve “quotes” 日本") == "café – naïve “quotes” 日本"
    assert printable("a\\x1b") == "a\\\\x1b"  # a backslash is escaped, so this differs from an escaped ESC
    assert printable("a\x1b") == "a\\x1b"
    assert printable("\u202ereversed\u200b") == "\\u202ereversed\\u200b"
    assert error("p\x07.md", 1, 1, "c", "m\x9b", "h\x00").format_text() == "p\\x07.md:1:1: error[c]: m\\x9b (h\\x00)"


def test_ingest_shows_a_hostile_file_name_escaped(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {})
    essay = tmp_path / "essay\x1b[2J.txt"
    essay.write_text("Hiring well\n\nA paragraph about hiring people and interviewing them well.\n", encoding="utf-8")
    _, out, err = run_cli(capsys, "ingest", essay, "--into", tmp_path / "drafts", "--config", config)
    assert RAW_CONTROL_RE.findall(out + err) == []
    assert "essay\\x1b[2J.txt" in out


# --- 6. wikilink context in linear time -------------------------------------------------------

def test_each_link_gets_the_sentence_it_stands_in_at_paragraph_and_sentence_boundaries() -> None:
    body = ("[[a]] opens the paragraph. Then [[b]] and [[c|see c]] share one! Is [[d]] asking?\n"
            "It continues on a second line with [[e]]. [[f]]\n\n"
            "A new paragraph ends with [[g]]\n")
    parsed, problems = parse(body)
    assert problems == []
    assert [(link.target, link.line, link.col, link.sentence) for link in parsed.wikilinks] == [
        ("a", 5, 1, "[[a]] opens the paragraph."),
        ("b", 5, 33, "Then [[b]] and see c share one!"),
        ("c", 5, 43, "Then [[b]] and see c share one!"),
        ("d", 5, 69, "Is [[d]] asking?"),
        ("e", 6, 36, "It continues on a second line with [[e]]."),
        ("f", 6, 43, "[[f]]"),
        ("g", 8, 27, "A new paragraph ends with [[g]]"),
    ]


# --- 7. HTML comments ----------------------------------------------------------------------------

COMMENTED = """\
Visible advice.

<!-- reviewer: hushword one, do not publish -->

A sentence <!-- hushword two --> goes on.

<!--
hushword three

hushword four, after a blank line
-->
Inline code keeps `<!-- shown -->` as code.
"""


def test_html_comments_are_reported_where_they_are_and_left_out_of_the_page() -> None:
    parsed, problems = parse(COMMENTED)
    assert [(d.line, d.col, d.code, d.severity) for d in problems] == [
        (7, 1, "html-comment", "warning"), (9, 12, "html-comment", "warning"), (11, 1, "html-comment", "warning")]
    html = render_html(make_markdown(), parsed, lambda *a: None)
    assert "hushword" not in html and "hushword" not in parsed.plain_text
    assert "<p></p>" not in html  # a comment on its own lines leaves no empty paragraph
    assert "A sentence  goes on." in html and "<code>&lt;!-- shown --&gt;</code>" in html


def test_html_comment_text_never_reaches_the_built_site_or_its_search_index(tmp_path: Path) -> None:
    headings = "".join(f"\n## Part {n} <!-- hushword in heading {n} -->\n\nText {n}.\n" for n in range(3))
    config = write_site(tmp_path, {"notes/x.md": note("Commented", COMMENTED + headings)})
    out = tmp_path / "public"
    build(config, out)
    text = published_text(out)
    assert "Visible advice" in text and '>Part 2</a></li>' in text  # the table of contents is there
    assert "hushword" not in text


def test_an_unclosed_comment_is_published_as_text_with_a_warning() -> None:
    parsed, problems = parse("Text <!-- never closed\n")
    assert [d.format_text() for d in problems] == [
        "content/notes/x.md:5:6: warning[html-comment]: '<!--' without '-->' in the same paragraph is published "
        "as text (close the comment, or keep review notes out of the note)"]
    assert "never closed" in render_html(make_markdown(), parsed, lambda *a: None)


# --- 9. a full disk while indexing ------------------------------------------------------------------

class FakeUsage:
    def __init__(self, free: int):
        self.total, self.used, self.free = 10**9, 10**9 - free, free


def fake_pagefind(returncode: int, stderr: str):
    """A Pagefind run that leaves an empty entry file, as it does when writes fail half way."""
    def run(command, **kwargs):
        site = Path(command[command.index("--site") + 1])
        (site / "pagefind").mkdir(parents=True, exist_ok=True)
        (site / "pagefind" / "pagefind-entry.json").write_text("", encoding="utf-8")
        return subprocess.CompletedProcess(command, returncode, "", stderr)
    return run


@pytest.mark.parametrize(("returncode", "stderr", "free"), [
    (0, "", 0),                                                       # exits 0, empty index, no room left
    (1, "Error: No space left on device (os error 28)", 50 * 2**30),  # says so, though room came back since
])
def test_a_full_disk_while_indexing_is_named_as_such(returncode: int, stderr: str, free: int, tmp_path: Path,
                                                     monkeypatch) -> None:
    monkeypatch.setattr(search.subprocess, "run", fake_pagefind(returncode, stderr))
    monkeypatch.setattr(search.shutil, "disk_usage", lambda path: FakeUsage(free))
    with pytest.raises(search.SearchIndexError, match=r"^the disk is full \([\d,]+ bytes free\): Pagefind could "
                       r"not write the search index for .*; free some space and build again$"):
        search.index_site(tmp_path)


def test_an_empty_index_on_a_disk_with_room_is_still_reported_as_it_was(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(search.subprocess, "run", fake_pagefind(0, ""))
    monkeypatch.setattr(search.shutil, "disk_usage", lambda path: FakeUsage(50 * 2**30))
    with pytest.raises(search.SearchIndexError, match="^Pagefind wrote no usable index: Expecting value"):
        search.index_site(tmp_path)


def test_a_build_on_a_full_disk_says_so_and_keeps_the_old_site(tmp_path: Path, monkeypatch) -> None:
    config = write_site(tmp_path, {"notes/x.md": note()})
    out = tmp_path / "public"
    build(config, out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    monkeypatch.setattr(search.subprocess, "run", fake_pagefind(0, ""))
    monkeypatch.setattr(search.shutil, "disk_usage", lambda path: FakeUsage(0))
    site, _ = load_site(config)
    assert site is not None
    result, report = build_site(site, out)
    assert result is None
    assert [(d.code, d.message.split(":")[0]) for d in report.errors] == [
        ("search-index", "the disk is full (0 bytes free)")]
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before


# --- 10. invisible characters -----------------------------------------------------------------------

def test_bidi_and_zero_width_characters_are_warnings_at_their_exact_place(tmp_path: Path) -> None:
    text = ("---\n"
            "title: Hire \u202efast\n"
            "summary: \"A short\\u200b summary.\"\n"
            "topics: [hiring]\n"
            "tags: [care\u200ber]\n"
            "original: true\n"
            "---\n"
            "Body with &#x2066; and a literal\u2067 too.\n")
    config = write_site(tmp_path, {"notes/x.md": text})
    found = [d for d in diagnostics_of(config) if "invisible-character" in d]
    message = ": it can hide text or make it read differently from what it says (delete it)"
    assert found == [
        f"content/notes/x.md:2:13: warning[invisible-character]: invisible character U+202E RIGHT-TO-LEFT OVERRIDE"
        f"{message}",
        f"content/notes/x.md:3:18: warning[invisible-character]: invisible character U+200B ZERO WIDTH SPACE "
        f"(written as a YAML escape){message}",
        f"content/notes/x.md:5:12: warning[invisible-character]: invisible character U+200B ZERO WIDTH SPACE"
        f"{message}",
        f"content/notes/x.md:8:11: warning[invisible-character]: invisible character U+2066 LEFT-TO-RIGHT ISOLATE "
        f"(written as the character reference &#x2066;){message}",
        f"content/notes/x.md:8:33: warning[invisible-character]: invisible character U+2067 RIGHT-TO-LEFT ISOLATE"
        f"{message}",
    ]


def test_a_flood_of_invisible_characters_is_summed_up(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/x.md": note(body="a\u200b" * 500)})
    found = [d for d in diagnostics_of(config) if "invisible-character" in d]
    assert len(found) == 21 and found[-1].endswith("480 more invisible characters from here on")

