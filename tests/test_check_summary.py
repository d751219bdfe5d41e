"""`check` on a large site: a few of each common warning and a health summary, not thousands of lines."""

from __future__ import annotations

from pathlib import Path

from conftest import note, run_cli, write_site

PATH = """---
title: A path
summary: Two steps.
audience: [ic]
steps:
  - note: n00
    why: It starts here.
  - note: n01
    why: It goes on here.
---
"""


FILLER = " ".join(["Long enough to be a note."] * 32)  # 160 words: no body-length warning


def many_warnings(tmp_path: Path) -> Path:
    files = {f"notes/n{i:02d}.md": note(f"Note {i}", f"See [[n{(i + 1) % 30:02d}]]. " + FILLER) for i in range(30)}
    files["paths/a-path.md"] = PATH
    return write_site(tmp_path, files)


def test_check_shows_a_few_of_a_common_warning_and_counts_them(tmp_path: Path, capsys) -> None:
    code, out, err = run_cli(capsys, "check", "--config", many_warnings(tmp_path))
    assert code == 0
    lines = err.splitlines()
    no_path = [line for line in lines if "warning[no-path]" in line]
    assert no_path == [f"content/notes/n{i:02d}.md:1:1: warning[no-path]: not in any reading path "
                       "(add it to the steps of a path that fits: content/paths/a-path.md)" for i in (2, 3, 4)]
    assert "content health: 28 no-path" in lines
    assert "  25 more no-path warnings not shown (--verbose shows all)" in lines
    assert "28 warnings" in out


def test_verbose_and_json_show_every_warning(tmp_path: Path, capsys) -> None:
    config = many_warnings(tmp_path)
    _, _, err = run_cli(capsys, "check", "--config", config, "--verbose")
    assert sum("warning[no-path]" in line for line in err.splitlines()) == 28
    assert "content health" not in err
    _, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json")
    assert out.count('"code": "no-path"') == 28
