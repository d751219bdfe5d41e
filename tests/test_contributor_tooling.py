"""The contributor's tooling around `check`: GitHub annotations and job summary, checking only the
staged files, base URL normalisation, and the repository's workflow, pre-commit and review files."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO, note, run_cli, write_site

from dsguide.diagnostics import SUMMARY_ROWS

# The current major version of every action the workflows use (looked up December 2026: each runs on
# Node 24; the Node 20 majors are deprecated).
CURRENT_ACTIONS = {"actions/checkout": "v7", "actions/setup-python": "v7", "actions/setup-node": "v7",
                   "actions/upload-artifact": "v7", "actions/configure-pages": "v6",
                   "actions/upload-pages-artifact": "v5", "actions/deploy-pages": "v5"}


def test_annotation_properties_are_escaped(tmp_path: Path, capsys) -> None:
    """A file name with ',' or ':' would otherwise end the property or start the message."""
    config = write_site(tmp_path / "site", {"notes/a,b:c%d.md": note("Odd name")})
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "github")
    assert code == 1
    [line] = [line for line in out.splitlines() if "bad-slug" in line]
    assert line.startswith("::error file=content/notes/a%2Cb%3Ac%25d.md,title=bad-slug::content/notes/a,b:c%25d.md: ")


def test_the_summary_lists_counts_and_problems_as_markdown(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {"notes/typo.md": note("Typo", "See [[no-such|a | b]].", topics="[hirng]")})
    summary = tmp_path / "summary.md"
    summary.write_text("earlier step\n")
    code, _, _ = run_cli(capsys, "check", "--config", config, "--summary", summary)
    assert code == 1
    text = summary.read_text()
    assert text.startswith("earlier step\n## dsguide check: 2 errors, ")  # appended, as $GITHUB_STEP_SUMMARY wants
    assert ("| ❌ | content\\/notes\\/typo\\.md\\:4\\:10 | unknown\\-topic | unknown topic \\'hirng\\' "
            "\\(did you mean \\'hiring\\'\\?\\) |") in text.splitlines()
    assert ("| ❌ | content\\/notes\\/typo\\.md\\:9\\:5 | broken\\-link | \\[\\[no\\-such\\]\\] names no note "
            "\\(a note") in text


def test_the_summary_shows_the_first_problems_and_counts_the_rest(tmp_path: Path, capsys) -> None:
    files = {f"notes/n{i:03}.md": note(f"N{i}", topics="[hirng]") for i in range(SUMMARY_ROWS + 5)}
    config = write_site(tmp_path / "site", files)
    summary = tmp_path / "summary.md"
    run_cli(capsys, "check", "--config", config, "--summary", summary)
    rows = [line for line in summary.read_text().splitlines() if line.startswith("| ❌") or line.startswith("| ⚠")]
    assert len(rows) == SUMMARY_ROWS
    total = json.loads(run_cli(capsys, "check", "--config", config, "--format", "json")[1])
    more = total["errors"] + total["warnings"] - SUMMARY_ROWS
    assert f"…and {more} more: run `dsguide check` to see every problem." in summary.read_text()


def test_a_clean_site_gets_a_short_summary(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {})
    summary = tmp_path / "summary.md"
    assert run_cli(capsys, "check", "--config", config, "--summary", summary)[0] == 0
    assert summary.read_text() == "## dsguide check: 0 errors, 0 warnings in 1 file\n\nNo problems found.\n"


def test_check_files_reports_only_those_files_but_reads_the_whole_site(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {
        "notes/mine.md": note("Mine", "See [[theirs]] and [[missing]]."),
        "notes/theirs.md": note("Theirs", topics="[hirng]"),  # someone else's unfinished draft
    })
    mine = tmp_path / "site" / "content" / "notes" / "mine.md"
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json", mine)
    found = json.loads(out)
    assert code == 1 and found["files"] == 1
    assert [(d["path"], d["code"]) for d in found["diagnostics"] if d["severity"] == "error"] == [
        ("content/notes/mine.md", "broken-link")]
    mine.write_text(note("Mine", "See [[theirs]]."))
    assert run_cli(capsys, "check", "--config", config, mine)[0] == 0  # theirs.md's error is not mine
    # a change to site.yaml can break any page: then every file is reported
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json", mine, config)
    assert code == 1 and "content/notes/theirs.md" in {d["path"] for d in json.loads(out)["diagnostics"]}


@pytest.mark.parametrize("given", ["https://user.github.io/repo//", "https://user.github.io/repo",
                                   "https://user.github.io//repo/"])
def test_a_base_url_is_normalised_to_one_trailing_slash(given: str, tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {"notes/a.md": note("A", "Text.", original="true", sources="[]")})
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out, "--base-url", given)[0] == 0
    page = (out / "notes" / "a" / "index.html").read_text()
    assert '<link rel="canonical" href="https://user.github.io/repo/notes/a/">' in page
    assert not re.search(r'(href|src)="/repo//|(href|src)="//', page)


# --- the repository's files ------------------------------------------------------------------------

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))


def steps(workflow: Path) -> list[dict]:
    data = yaml.safe_load(workflow.read_text())
    return [step for job in data["jobs"].values() for step in job.get("steps", [])]


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_on_its_current_major(workflow: Path) -> None:
    used = [step["uses"] for step in steps(workflow) if "uses" in step]
    assert used
    for ref in used:
        name, _, version = ref.partition("@")
        assert CURRENT_ACTIONS.get(name) == version, ref


def test_the_pull_request_workflow_summarises_and_uploads_a_preview() -> None:
    found = steps(REPO / ".github" / "workflows" / "pull-request.yml")
    runs = "\n".join(step.get("run", "") for step in found)
    assert 'dsguide check --strict --format github --summary "$GITHUB_STEP_SUMMARY"' in runs
    upload = next(step for step in found if step.get("uses", "").startswith("actions/upload-artifact@"))
    build = next(step for step in found if step.get("id") == "build")
    assert upload["with"]["path"] in build["run"].split()
    assert "steps.preview.outputs.artifact-url" in json.dumps(found)


def test_pages_setup_and_the_dev_tools_are_documented() -> None:
    contributing = (REPO / "CONTRIBUTING.md").read_text()
    assert "Source: GitHub Actions" in contributing
    assert "pip install -e '.[dev]'" in contributing
    dev = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]["dev"]
    assert {re.split(r"[<>=]", d)[0] for d in dev} >= {"ruff", "mypy", "pre-commit"}


def test_pre_commit_checks_the_staged_content_files() -> None:
    hooks = {h["id"]: h for repo in yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())["repos"]
             for h in repo["hooks"]}
    assert hooks["dsguide-check"]["pass_filenames"] is True and hooks["dsguide-check"]["files"] == "^content/"


def test_codeowners_asks_an_editor_to_review_content() -> None:
    rules = [line.split() for line in (REPO / ".github" / "CODEOWNERS").read_text().splitlines()
             if line.strip() and not line.startswith("#")]
    assert ["/content/", "@dsguide/editors"] in rules
