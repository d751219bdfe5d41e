"""The contributor toolchain around the code: CI workflows, the pre-commit hook, the guides."""

from __future__ import annotations

import re
import shlex

import yaml
from conftest import REPO

from dsguide.cli import make_parser

WORKFLOWS = REPO / ".github" / "workflows"


def workflow(name: str) -> dict:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def run_lines(data: dict) -> list[str]:
    return [step["run"] for job in data["jobs"].values() for step in job["steps"] if "run" in step]


def dsguide_commands(lines: list[str]) -> list[list[str]]:
    """Every `dsguide …` invocation in shell lines, as argument lists (after `dsguide`)."""
    found = []
    for line in lines:
        for part in re.split(r"&&|\n|;", line):
            words = shlex.split(part.strip())
            if words[:1] == ["dsguide"]:
                found.append([w for w in words[1:]])
    return found


def test_pull_requests_get_check_annotations_tests_and_a_build() -> None:
    data = workflow("pull-request.yml")
    assert "pull_request" in data["on"]
    lines = run_lines(data)
    assert ["check", "--strict", "--format", "github", "--summary", "$GITHUB_STEP_SUMMARY"] in dsguide_commands(lines)
    assert "bash scripts/test.sh" in lines and any(line.startswith("dsguide build") for line in lines)
    steps = [s.get("uses", "") for s in data["jobs"]["check-test-build"]["steps"]]
    assert any(s.startswith("actions/setup-python@") for s in steps)


def test_main_is_built_and_deployed_with_the_standard_pages_actions() -> None:
    data = workflow("pages.yml")
    assert data["on"]["push"]["branches"] == ["main"]
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    uses = [s.get("uses", "") for job in data["jobs"].values() for s in job["steps"]]
    for action in ("actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"):
        assert any(u.startswith(action) for u in uses), action
    assert data["jobs"]["deploy"]["environment"]["name"] == "github-pages"


def test_every_dsguide_command_in_ci_and_hooks_is_one_the_cli_accepts() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    entries = [h["entry"] for repo in hooks["repos"] for h in repo["hooks"]]
    commands = dsguide_commands(entries) + dsguide_commands(run_lines(workflow("pull-request.yml"))) \
        + dsguide_commands(run_lines(workflow("pages.yml")))
    assert ["check", "--strict"] in commands
    parser = make_parser()
    for args in commands:
        args = [a if "${{" not in a else "https://example.org/" for a in args]
        parser.parse_args(args)  # exits 2 on an unknown flag


def test_the_guides_exist_and_point_at_each_other() -> None:
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for needed in ("dsguide new", "dsguide check --strict", "own words", "sources", "audience", "review"):
        assert needed in contributing, needed
    assert "CONTRIBUTING.md" in (REPO / "README.md").read_text(encoding="utf-8")
    template = (REPO / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    assert "dsguide check --strict" in template
