"""Hostile or broken input gets one diagnostic with its place, never a traceback, a hang or a blow-up."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_CONFIG, note, run_cli, write_site

from dsguide.config import load_config
from dsguide.discover import discover
from dsguide.front_matter import split_front_matter
from dsguide.model import ContentFile
from dsguide.pipeline import load_site
from dsguide.yamltext import MAX_DEPTH, parse_yaml


def texts(report) -> list[str]:
    return [d.format_text() for d in report.sorted()]


def errors_of(config: Path) -> list[str]:
    _, report = load_site(config)
    return [d.format_text() for d in report.sorted() if d.severity == "error"]


def config_with_base_url(url: str) -> str:
    return MINIMAL_CONFIG.replace("base_url: https://tiny.example.org/", f"base_url: '{url}'")


def _file(tmp_path: Path) -> ContentFile:
    return ContentFile("note", "x", "content/notes/x.md", tmp_path / "x.md")


# --- 1. dates that do not exist ----------------------------------------------------------------

@pytest.mark.parametrize(("value", "message"), [
    ("2026-02-30", "'2026-02-30' is not a real date"),
    ("2026-13-45", "'2026-13-45' is not a real date"),
    ("2026-02-03 25:00:00", "'2026-02-03 25:00:00' is not a real date and time"),
])
def test_an_impossible_date_is_an_error_at_its_place(value: str, message: str, tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/x.md": note(updated=value)})
    assert errors_of(config) == [f"content/notes/x.md:6:10: error[bad-date]: {message}"]


def test_every_impossible_date_is_reported_and_check_does_not_crash(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path, {"notes/x.md": note(updated="2026-02-30", other="[1, 2026-13-45]")})
    code, _, err = run_cli(capsys, "check", "--config", config)
    assert code == 1
    assert "content/notes/x.md:6:10: error[bad-date]: '2026-02-30' is not a real date" in err
    assert "content/notes/x.md:7:12: error[bad-date]: '2026-13-45' is not a real date" in err
    assert "Traceback" not in err


def test_other_values_pyyaml_cannot_construct_are_errors_too() -> None:
    cases = {
        "n: !!int abc\n": "f.yaml:1:4: error[bad-value]: 'abc' cannot be read as int",
        "d: !!timestamp soon\n": "f.yaml:1:4: error[bad-date]: 'soon' is not a real date",
        "n: " + "9" * 5000 + "\n": f"f.yaml:1:4: error[bad-value]: '{'9' * 40}…' cannot be read as int",
    }
    for text, expected in cases.items():
        doc, problems = parse_yaml(text, "f.yaml")
        assert doc is None and [d.format_text() for d in problems] == [expected]


# --- 2. site.yaml that cannot be read --------------------------------------------------------

def test_a_site_yaml_that_is_not_utf8_is_reported(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "site.yaml").write_bytes(b"title: Caf\xe9\n")
    monkeypatch.chdir(tmp_path)
    config, problems = load_config(Path("site.yaml"))
    assert config is None
    assert [d.format_text() for d in problems] == [
        "site.yaml: error[not-utf8]: not UTF-8 text: invalid continuation byte"]


def test_an_unreadable_site_yaml_is_unreadable_and_a_missing_one_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    _, problems = load_config(Path("site.yaml"))
    assert [d.format_text() for d in problems] == [
        "site.yaml: error[config-missing]: cannot read config: No such file or directory"]
    (tmp_path / "site.yaml").mkdir()
    _, problems = load_config(Path("site.yaml"))
    assert [d.format_text() for d in problems] == ["site.yaml: error[unreadable]: cannot read config: Is a directory"]

    def refuse(self: Path, *args, **kwargs) -> str:  # tests may run as root, which chmod cannot stop
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", refuse)
    _, problems = load_config(Path("other.yaml"))
    assert [d.format_text() for d in problems] == ["other.yaml: error[unreadable]: cannot read config: "
                                                   "Permission denied"]


# --- 3. nesting too deep ---------------------------------------------------------------------

@pytest.mark.parametrize("depth", [500, 1000])
def test_deeply_nested_front_matter_is_refused(depth: int, tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/x.md": note(tags="[" * depth + "]" * depth)})
    # the root mapping is level 1, so the 50th '[' (at column 6 + 50) opens level 51; newer libyaml
    # (PyYAML 6.0.4) refuses very deep flow nesting itself, where it gives up (a later column)
    [found] = errors_of(config)
    assert re.fullmatch(rf"content/notes/x\.md:6:\d+: error\[yaml-syntax\]: nested more than {MAX_DEPTH} levels deep",
                        found)


def test_the_depth_limit_is_exact() -> None:
    allowed = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    doc, problems = parse_yaml(allowed, "f.yaml")
    assert doc is not None and problems == []
    refused = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    doc, problems = parse_yaml(refused, "f.yaml")
    assert doc is None and [d.format_text() for d in problems] == [
        f"f.yaml:1:{3 + MAX_DEPTH}: error[yaml-syntax]: nested more than {MAX_DEPTH} levels deep"]


def test_deeply_nested_site_yaml_is_refused(tmp_path: Path) -> None:
    config = write_site(tmp_path, {}, config=MINIMAL_CONFIG + "tags: " + "[" * 800 + "]" * 800 + "\n")
    _, problems = load_config(config)
    assert [d.format_text() for d in problems] == [
        f"{config}:16:56: error[yaml-syntax]: nested more than {MAX_DEPTH} levels deep"]


def test_nesting_that_would_crash_libyaml_is_refused_first(tmp_path: Path) -> None:
    """libyaml's composer recurses in C and segfaults near 30,000 levels: run it in a child process."""
    config = write_site(tmp_path, {"notes/x.md": note(tags="[" * 200_000 + "]" * 200_000)})
    result = subprocess.run([sys.executable, "-m", "dsguide", "check", "--config", str(config)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert re.search(rf"content/notes/x\.md:6:\d+: error\[yaml-syntax\]: nested more than {MAX_DEPTH} levels deep",
                     result.stderr)


# --- 4. aliases ------------------------------------------------------------------------------

def billion_laughs(levels: int) -> dict[str, str]:
    """Front-matter lines l0..l<levels>, each a list of nine aliases of the one before."""
    lines = {"l0": '&l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'}
    for level in range(1, levels + 1):
        lines[f"l{level}"] = f"&l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]"
    return lines


@pytest.mark.parametrize("levels", [7, 8])
def test_an_alias_bomb_is_refused_before_it_expands(levels: int, tmp_path: Path) -> None:
    # 9**8 values if expanded; refusing the first alias (line 7, after l0 on line 6) is what keeps this fast
    config = write_site(tmp_path, {"notes/x.md": note(**billion_laughs(levels))})
    assert errors_of(config) == [
        "content/notes/x.md:7:10: error[yaml-alias]: YAML aliases (*name) are not allowed here"]


def test_an_alias_in_site_yaml_is_refused(tmp_path: Path) -> None:
    text = MINIMAL_CONFIG.replace("title: Tiny", "title: &t Tiny").replace("name: Hiring", "name: *t")
    config = write_site(tmp_path, {}, config=text)
    _, problems = load_config(config)
    assert [d.format_text() for d in problems] == [
        f"{config}:8:11: error[yaml-alias]: YAML aliases (*name) are not allowed here"]


# --- 5. files that are not files -------------------------------------------------------------

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_skipped_not_read(tmp_path: Path) -> None:
    config = write_site(tmp_path, {"notes/x.md": note()})
    os.mkfifo(tmp_path / "content" / "notes" / "pipe.md")
    result = subprocess.run([sys.executable, "-m", "dsguide", "check", "--config", str(config)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 0, result.stderr
    assert "content/notes/pipe.md: warning[not-a-file]: ignored: not a regular file" in result.stderr.splitlines()


def test_a_symlink_to_a_file_inside_content_is_read_and_a_dangling_one_skipped(tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {"drafts-kept-here/elsewhere.md": note()})
    (tmp_path / "content" / "notes").mkdir()
    inside = tmp_path / "content" / "drafts-kept-here" / "elsewhere.md"
    (tmp_path / "content" / "notes" / "linked.md").symlink_to(inside)
    (tmp_path / "content" / "notes" / "dangling.md").symlink_to(tmp_path / "content" / "nowhere.md")
    config, _ = load_config(config_path)
    files, problems = discover(config)
    assert [f.slug for f in files if f.kind == "note"] == ["linked"]
    assert [d.format_text() for d in problems] == [
        "content/notes/dangling.md: warning[not-a-file]: ignored: not a regular file"]


# --- 6. base_url -----------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["ftp://x/", "localhost:8000", "https://", "javascript:alert(1)"])
def test_base_url_must_be_a_web_address(url: str, tmp_path: Path) -> None:
    config, problems = load_config(write_site(tmp_path, {}, config=config_with_base_url(url)))
    assert config is None
    assert [d.format_text() for d in problems] == [
        f"{tmp_path / 'site.yaml'}:3:11: error[bad-url]: 'base_url' must be an http:// or https:// address, "
        f"not '{url}'"]


@pytest.mark.parametrize("url", ["https://x.org/sub?q=1#f", "https://x.org/#top", "https://:8000/"])
def test_base_url_needs_a_host_and_no_query_or_fragment(url: str, tmp_path: Path) -> None:
    config, problems = load_config(write_site(tmp_path, {}, config=config_with_base_url(url)))
    rule = "must be an http:// or https:// address" if "://:" in url else "must not have a query (?) or a fragment (#)"
    assert config is None
    assert [d.format_text() for d in problems] == [f"{tmp_path / 'site.yaml'}:3:11: error[bad-url]: base_url "
                                                   f"'{url}' {rule}"]


@pytest.mark.parametrize(("url", "message"), [
    ("example.org", "'example.org' must be an http:// or https:// address"),
    ("", "'' must be an http:// or https:// address"),
    ("https://x.org/?preview=1", "'https://x.org/?preview=1' must not have a query (?) or a fragment (#)"),
])
def test_a_bad_base_url_override_is_blamed_on_the_command_line(url: str, message: str, tmp_path: Path) -> None:
    config, problems = load_config(write_site(tmp_path, {}), base_url=url)
    assert config is None
    assert [d.format_text() for d in problems] == [f"--base-url: error[bad-url]: {message}"]


def test_build_with_a_bad_base_url_says_so_and_writes_nothing(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {"notes/x.md": note()})
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", tmp_path / "out", "--base-url", "example.org")
    assert code == 2  # a bad command-line value is bad usage
    assert err.splitlines()[0] == "--base-url: error[bad-url]: 'example.org' must be an http:// or https:// address"
    assert not (tmp_path / "out").exists()


# --- 7. clearer messages ---------------------------------------------------------------------

@pytest.mark.parametrize("text", ["", "# nothing yet\n"])
def test_an_empty_site_yaml_says_what_it_needs(text: str, tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    _, problems = load_config(Path("site.yaml"))
    assert [d.format_text() for d in problems] == [
        "site.yaml: error[empty-config]: site.yaml is empty: it needs at least title, description, base_url "
        "and topics"]


def test_a_tab_in_the_indentation_gets_a_hint(tmp_path: Path) -> None:
    cases = {
        "---\ntitle: T\ntopics:\n\t- hiring\n---\nx": "content/notes/x.md:4:1: error[yaml-syntax]: malformed "
        "YAML: found character that cannot start any token (tabs cannot indent YAML; use spaces)",
        "---\ntitle: T\nsources:\n  - a\n\t- b\n---\nx": "content/notes/x.md:5:1: error[yaml-syntax]: malformed "
        "YAML: found a tab character that violates indentation (tabs cannot indent YAML; use spaces)",
    }
    for text, expected in cases.items():
        _, problems = split_front_matter(_file(tmp_path), text)
        assert [d.format_text() for d in problems] == [expected], text


def test_content_that_is_a_file_is_not_a_folder(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(MINIMAL_CONFIG, encoding="utf-8")
    (tmp_path / "content").write_text("oops", encoding="utf-8")
    _, report = load_site(tmp_path / "site.yaml")
    assert texts(report) == ["content: error[no-content]: content is not a folder"]
    (tmp_path / "content").unlink()
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "notes").write_text("oops", encoding="utf-8")
    _, report = load_site(tmp_path / "site.yaml")
    assert texts(report) == ["content/notes: error[no-content]: content/notes is not a folder"]
