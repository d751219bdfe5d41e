"""One exit-code table for every command (cli.ExitCode, README's Commands section):
0 success, 1 problems in the content, 2 bad usage or a site.yaml that cannot be used, 130 Ctrl-C."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, copy_site, run_cli

from dsguide.cli import ExitCode

ESSAY = REPO / "tests" / "fixtures" / "ingest" / "plain-essay.txt"


def command_line(command: str, config: Path, tmp_path: Path) -> list[str | Path]:
    extra: dict[str, list[str | Path]] = {
        "build": ["--out", tmp_path / "out"],
        "check": [],
        "serve": ["--port", "0"],
        "new": ["A fresh note", "--topic", "hiring"],
        "schema": ["--out", tmp_path / "schema"],
        "ingest": [ESSAY, "--into", tmp_path / "drafts"],
    }
    return [command, *extra[command], "--config", config]


COMMANDS = ["build", "check", "serve", "new", "schema", "ingest"]


def test_the_table() -> None:
    assert [(c.name, int(c)) for c in ExitCode] == [("OK", 0), ("FAILED", 1), ("USAGE", 2), ("INTERRUPTED", 130)]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_site_yaml_is_a_usage_error_for_every_command(command: str, tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, *command_line(command, tmp_path / "nowhere.yaml", tmp_path))
    assert code == ExitCode.USAGE, err
    assert "error[config-missing]: cannot read config" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "schema").exists()
    assert not (tmp_path / "drafts").exists()


@pytest.mark.parametrize("command", COMMANDS)
def test_an_invalid_site_yaml_is_a_usage_error_for_every_command(command: str, tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    config.write_text(config.read_text() + "colour: blue\n")
    code, _, err = run_cli(capsys, *command_line(command, config, tmp_path))
    assert code == ExitCode.USAGE, err
    assert "error[unknown-field]: unknown field 'colour'" in err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", ["build", "check"])
def test_content_errors_exit_1_and_clean_content_0(command: str, tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    assert run_cli(capsys, *command_line(command, config, tmp_path))[0] == ExitCode.OK
    (tmp_path / "site" / "content" / "notes" / "bad.md").write_text("no front matter\n")
    assert run_cli(capsys, *command_line(command, config, tmp_path))[0] == ExitCode.FAILED


def test_a_bad_base_url_override_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "o",
                           "--base-url", "ftp://example.org/")
    assert code == ExitCode.USAGE and "--base-url: error[bad-url]" in err


def test_no_command_is_a_usage_error(capsys) -> None:
    assert run_cli(capsys)[0] == ExitCode.USAGE
