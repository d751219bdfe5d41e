"""`dsguide check`: one broken-content fixture per rule, each with its exact expected diagnostics.

Each folder in tests/fixtures/broken/ is named after the rule's code. Its files are laid over a copy
of the valid fixture site; `expected.txt` lists, word for word, what check must say about those files
under that code. The same fixtures show that build reports the same problems, and that the JSON
Schema `dsguide schema` writes rejects the front-matter mistakes a schema can express.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import frontmatter
import jsonschema
import pytest
import yaml
from conftest import FIXTURE_SITE, REPO, copy_site, run_cli

from dsguide.commands.schema import schemas
from dsguide.config import load_config

BROKEN = REPO / "tests" / "fixtures" / "broken"
FIXTURES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())
HEALTH = {"orphan", "dead-end", "lonely-tag", "no-path", "stale-review", "body-length", "heading-level", "raw-html",
          "insecure-link", "schemeless-link", "root-relative-link"}  # check-only rules; build does not look
# Rules a JSON Schema can state, so an editor shows them while typing.
SCHEMA_CAN_EXPRESS = {"unknown-field", "missing-field", "wrong-type", "list-length", "too-long",
                      "empty-field", "bad-choice", "unknown-topic", "unknown-audience", "unknown-tag", "bad-url"}


def overlay(name: str, dest: Path) -> tuple[Path, set[str]]:
    """The fixture site with broken fixture `name` laid over it: (site.yaml, the paths the fixture adds)."""
    fixture = BROKEN / name
    added = {p.relative_to(fixture).as_posix() for p in fixture.rglob("*")
             if p.is_file() and p.name != "expected.txt"}
    staged = dest / "staged"
    shutil.copytree(FIXTURE_SITE, staged)
    for relative in added:
        (staged / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixture / relative, staged / relative)
    return copy_site(staged, dest / "site"), added  # copy_site points site.yaml at the repo's templates


def diagnostics(capsys: pytest.CaptureFixture[str], command: str, config: Path, *flags: str) -> tuple[int, list[dict]]:
    code, out, _ = run_cli(capsys, command, "--config", config, "--format", "json", *flags)
    return code, json.loads(out)["diagnostics"] if command == "check" else []


def as_text(d: dict) -> str:
    where = f"{d['path']}:{d['line']}:{d['col']}" if d["line"] else d["path"]
    return f"{where}: {d['severity']}[{d['code']}]: {d['message']}" + (f" ({d['hint']})" if d["hint"] else "")


@pytest.mark.parametrize("name", FIXTURES)
def test_each_broken_fixture_gets_its_exact_diagnostics(name: str, tmp_path: Path, capsys) -> None:
    config, added = overlay(name, tmp_path)
    code, found = diagnostics(capsys, "check", config)
    expected = (BROKEN / name / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, f"{name}/expected.txt is empty"
    assert [as_text(d) for d in found if d["code"] == name and d["path"] in added] == expected
    others = [as_text(d) for d in found if d["severity"] == "error" and d["code"] != name]
    assert others == [], "a fixture should break one rule only"
    is_error = any("error[" in line for line in expected)
    assert code == (1 if is_error else 0)
    assert diagnostics(capsys, "check", config, "--strict")[0] == 1  # --strict fails on warnings too


def test_there_is_a_fixture_for_every_rule_the_issue_lists() -> None:
    wanted = {"wrong-type", "unknown-field", "missing-field", "unknown-topic", "unknown-audience", "unknown-tag",
              "bad-slug", "duplicate-slug", "broken-link", "broken-anchor", "unknown-source", "no-source",
              "too-long", "empty-body", "image-alt", "unsafe-link", "bad-url", "orphan", "dead-end", "lonely-tag",
              "no-path"}
    assert wanted <= set(FIXTURES)


def test_the_text_format_reads_like_a_compiler_with_a_summary(tmp_path: Path, capsys) -> None:
    config, _ = overlay("unknown-topic", tmp_path)
    code, out, err = run_cli(capsys, "check", "--config", config)
    assert code == 1
    assert ("content/notes/hiring-typo.md:4:10: error[unknown-topic]: unknown topic 'hirng' "
            "(did you mean 'hiring'?)") in err.splitlines()
    assert out.startswith("1 error, 8 warnings in 7 files (")


def test_the_github_format_prints_annotations(tmp_path: Path, capsys) -> None:
    config, _ = overlay("unknown-topic", tmp_path)
    code, out, err = run_cli(capsys, "check", "--config", config, "--format", "github")
    assert (code, err) == (1, "")  # the Actions runner reads workflow commands from stdout
    assert ("::error file=content/notes/hiring-typo.md,line=4,col=10,title=unknown-topic::"
            "content/notes/hiring-typo.md:4:10: error[unknown-topic]: unknown topic 'hirng' "
            "(did you mean 'hiring'?)") in out.splitlines()
    assert "::warning file=content/notes/our-synthesis.md,line=1,col=1,title=no-path::" in out


def test_the_json_format_is_a_machine_readable_report(tmp_path: Path, capsys) -> None:
    config, _ = overlay("broken-link", tmp_path)
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json")
    report = json.loads(out)
    assert code == 1 and (report["errors"], report["files"]) == (3, 9)
    assert {"path": "content/paths/missing-step.md", "line": 8, "col": 11, "severity": "error",
            "code": "broken-link", "message": "path step 'no-such-note' names no note",
            "hint": "a note is named by its file name in content/notes/, without .md"} \
        in report["diagnostics"]


@pytest.mark.parametrize("name", FIXTURES)
def test_build_reports_what_check_reports(name: str, tmp_path: Path, capsys) -> None:
    config, _ = overlay(name, tmp_path)
    _, checked = diagnostics(capsys, "check", config)
    out = tmp_path / "public"
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    built = [line for line in err.splitlines() if "error[" in line or "warning[" in line]
    assert built == [as_text(d) for d in checked if d["code"] not in HEALTH]
    has_errors = any(d["severity"] == "error" for d in checked)
    assert code == (1 if has_errors else 0)
    assert out.exists() is not has_errors


def test_the_repository_content_checks_clean(capsys) -> None:
    code, out, err = run_cli(capsys, "check", "--config", REPO / "site.yaml", "--strict")
    assert (code, err) == (0, "")
    assert out.startswith("0 errors, 0 warnings in ")


# --- JSON Schema ----------------------------------------------------------------------------------

def front_matter(path: Path) -> dict:
    """Front matter as an editor's YAML extension sees it: dates are strings."""
    def plain(value):
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value
    return plain(frontmatter.load(path).metadata)


def validator(config_path: Path, kind: str) -> jsonschema.Validator:
    config, _ = load_config(config_path)
    schema = json.loads(schemas(config)[f"{kind}.schema.json"])
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


KINDS = {"notes": "note", "sources": "source", "paths": "path", "pages": "page"}


@pytest.mark.parametrize("folder", sorted(KINDS))
def test_the_schema_accepts_every_file_in_content(folder: str) -> None:
    check = validator(REPO / "site.yaml", KINDS[folder])
    files = sorted((REPO / "content" / folder).glob("*.md"))
    assert files
    for path in files:
        errors = [e.message for e in check.iter_errors(front_matter(path))]
        assert errors == [], path.name


@pytest.mark.parametrize("name", sorted(SCHEMA_CAN_EXPRESS))
def test_the_schema_rejects_each_fixture_it_can_express(name: str, tmp_path: Path) -> None:
    config, added = overlay(name, tmp_path)
    [broken] = [p for p in added if p.startswith("content/")]
    check = validator(config, KINDS[broken.split("/")[1]])
    assert not check.is_valid(front_matter(config.parent / broken))


def test_the_committed_schema_is_up_to_date(capsys) -> None:
    code, out, err = run_cli(capsys, "schema", "--check", "--config", REPO / "site.yaml")
    assert (code, err) == (0, ""), "schema/ is stale: run `dsguide schema` and commit the result"
    assert out.startswith("checked 5 schemas")


def test_a_stale_schema_is_reported(tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    assert run_cli(capsys, "schema", "--config", config)[0] == 0
    note_schema = tmp_path / "site" / "schema" / "note.schema.json"
    assert "hiring" in json.loads(note_schema.read_text())["properties"]["topics"]["items"]["enum"]
    text = config.read_text().replace("- slug: burnout", "- slug: rest")
    config.write_text(text)
    code, _, err = run_cli(capsys, "schema", "--check", "--config", config)
    assert code == 1 and "note.schema.json" in err and "run: dsguide schema" in err


def test_schema_out_must_be_a_folder(tmp_path: Path, capsys) -> None:
    (tmp_path / "afile").write_text("x")
    code, _, err = run_cli(capsys, "schema", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "afile")
    assert (code, err) == (2, f"dsguide schema: error: {tmp_path / 'afile'} is a file; --out takes a folder\n")
    assert (tmp_path / "afile").read_text() == "x"


def test_site_yaml_validates_against_its_schema() -> None:
    check = validator(REPO / "site.yaml", "site")
    assert list(check.iter_errors(yaml.safe_load((REPO / "site.yaml").read_text()))) == []
