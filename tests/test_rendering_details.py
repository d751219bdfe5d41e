"""Small things a reader or a CI log shows: reading time, GitHub annotations."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import note, run_cli, write_site

WORDS_PER_MINUTE = 220  # render.WORDS_PER_MINUTE: a reading time is words / 220, rounded up


READING_TIMES = {1: 1, 220: 1, 221: 2, 250: 2, 440: 2, 441: 3, 700: 4}  # words: minutes


def test_reading_time_rounds_up_to_whole_minutes(tmp_path: Path, capsys) -> None:
    # our own synthesis, so the body is exactly these words (no source's section is added)
    files = {f"notes/words-{n}.md": note(body=" ".join(["word"] * n), sources=None, evidence=None, original="true")
             for n in READING_TIMES}
    config = write_site(tmp_path, files)
    assert run_cli(capsys, "build", "--config", config, "--out", tmp_path / "out")[0] == 0
    shown = {}
    for words in READING_TIMES:
        html = (tmp_path / "out" / "notes" / f"words-{words}" / "index.html").read_text()
        [shown[words]] = [int(m) for m in re.findall(r"(\d+) min read", html)]
    assert shown == READING_TIMES


def _annotations(capsys, tmp_path: Path, files: dict[str, str]) -> list[str]:
    config = write_site(tmp_path, files)
    code, out, _ = run_cli(capsys, "check", "--format", "github", "--config", config)
    assert code == 1
    return [line for line in out.splitlines() if line.startswith("::error")]


def test_a_percent_sign_in_an_annotation_is_escaped(tmp_path: Path, capsys) -> None:
    """GitHub reads %0A as a line break in a workflow command: a literal % must arrive as %25."""
    [line] = _annotations(capsys, tmp_path, {"notes/sale.md": note(topics='["100%0A-off"]')})
    assert line.startswith("::error file=content/notes/sale.md,line=4,col=10,title=unknown-topic::")
    message = line.split("::", 2)[2]
    assert "'100%250A-off'" in message
    assert "%0A" not in message.replace("%250A", ""), "no unescaped line break"


def test_a_line_break_in_an_annotation_stays_on_one_line(tmp_path: Path, capsys) -> None:
    """A value with a line break (a quoted YAML string) must not split the workflow command."""
    lines = _annotations(capsys, tmp_path, {"notes/split.md": note(topics='["hir\\ning"]')})
    assert len(lines) == 1
    assert lines[0].startswith("::error file=content/notes/split.md,line=4,col=10,title=unknown-topic::")
    assert "hir" in lines[0] and "ing" in lines[0]
    assert "%250A" not in lines[0], "a line break is escaped once, after the percent signs"
