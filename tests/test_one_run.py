"""One run of `dsguide check` reports every problem of a site, and no problem twice.

A site with a dozen kinds of mistakes spread over several files: front matter that does not parse
(whose body is still checked), front matter that parses but breaks rules, broken links in valid and
invalid files, a draft citing
a source that does not exist. Every mistake is reported with its exact line, and none causes a
second, misleading error elsewhere (a path step naming a note whose YAML failed, a note citing a
source whose record failed).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import note, run_cli, write_site

SITE = {
    # YAML error: an unquoted colon in the title
    "notes/colon-title.md": note("Hiring: a guide", "Links to [[good-note]] and [[vanished]]."),
    # valid, but links to a note that does not exist and to the note whose YAML failed
    "notes/good-note.md": note("Good note", "See [[colon-title]] and [[no-such-note]]."),
    # breaks two front-matter rules and also has a broken link in its body
    "notes/topic-typo.md": note("Topic typo", "See [[good-note]] and [[nowhere]].", topics="[hirng]",
                                updated='"2026-12-01"', sources="[{source: essay, section: Middle}]"),
    # a date and time where a date belongs; a related note that does not exist
    "notes/date-time.md": note("Date time", "See [[good-note]].", updated="2026-12-01 10:00:00",
                               related="[ghost-note]"),
    # a draft citing a source id that does not exist (reported without --drafts)
    "notes/draft-note.md": note("Draft note", "See [[good-note]].", draft="true",
                                sources="[{source: no-such-source}]"),
    # a typo in a field name, and a source id that is close to a real one
    "notes/field-typo.md": note("Field typo", "See [[good-note]].", tilte="oops",
                                sources="[{source: esay}]"),
    # cites a source whose own record is broken: one error, in the source record only
    "notes/cites-broken-source.md": note("Cites broken source", "See [[good-note]].",
                                         sources="[{source: broken-source}]"),
    "sources/broken-source.md": "---\ntitle: A broken source\nauthor: null\npublished: null\n"
                                "url: javascript:alert(1)\nformat: essay\n---\nOur summary.\n",
    # a reading path whose first step is the note with the YAML error
    "paths/start.md": "---\ntitle: Start\nsummary: Where to begin.\naudience: [ic]\nsteps:\n"
                      "  - note: colon-title\n    why: First.\n  - note: good-note\n    why: Then.\n"
                      "  - note: missing-step\n    why: Last.\n---\n",
    # a page with an image without alt text
    "pages/about.md": "---\ntitle: About\n---\nA picture: ![](pic.png)\n",
    # no front matter at all
    "notes/no-front.md": "Just text.\n",
}

# the hint on a broken link with no close match
NAMED = " (a note is named by its file name in content/notes/, without .md)"
EXPECTED_ERRORS = [
    "content/notes/colon-title.md:2:14: error[yaml-syntax]: malformed YAML: mapping values are not allowed "
    "here (a value that contains ': ' must be quoted, e.g. title: \"Hiring: a guide\")",
    "content/notes/colon-title.md:9:28: error[broken-link]: [[vanished]] names no note" + NAMED,
    "content/notes/date-time.md:6:10: error[wrong-type]: 'updated' must be a date (YYYY-MM-DD), not a date "
    "and time (drop the time: 2026-12-01)",
    "content/notes/date-time.md:7:11: error[broken-link]: related note 'ghost-note' names no note "
    "(did you mean 'good-note'?)",
    "content/notes/draft-note.md:5:20: error[unknown-source]: unknown source 'no-such-source' "
    "(a source id is a file name in content/sources/, without .md)",
    "content/notes/field-typo.md:5:20: error[unknown-source]: unknown source 'esay' (did you mean 'essay'?)",
    "content/notes/field-typo.md:6:1: error[unknown-field]: unknown field 'tilte' (did you mean 'title'?)",
    "content/notes/good-note.md:9:25: error[broken-link]: [[no-such-note]] names no note" + NAMED,
    "content/notes/no-front.md:1:1: error[no-front-matter]: missing front matter: the file must start with "
    "a '---' line",
    "content/notes/topic-typo.md:4:10: error[unknown-topic]: unknown topic 'hirng' (did you mean 'hiring'?)",
    "content/notes/topic-typo.md:6:10: error[wrong-type]: 'updated' must be a date (YYYY-MM-DD), not a string "
    "(remove the quotes: YAML reads a quoted date as text)",
    "content/notes/topic-typo.md:10:23: error[broken-link]: [[nowhere]] names no note" + NAMED,
    "content/pages/about.md:4:12: error[image-alt]: image has no alt text: write ![what it shows](url)",
    "content/paths/start.md:10:11: error[broken-link]: path step 'missing-step' names no note" + NAMED,
    "content/sources/broken-source.md:5:6: error[bad-url]: 'url' must be an http:// or https:// address, "
    "not 'javascript:alert(1)'",
]


def as_text(d: dict) -> str:
    where = f"{d['path']}:{d['line']}:{d['col']}" if d["line"] else d["path"]
    return f"{where}: {d['severity']}[{d['code']}]: {d['message']}" + (f" ({d['hint']})" if d["hint"] else "")


@pytest.fixture
def broken_site(tmp_path: Path) -> Path:
    return write_site(tmp_path / "site", SITE)


def test_one_check_reports_every_mistake_in_every_file(broken_site: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "check", "--config", broken_site, "--format", "json")
    found = json.loads(out)["diagnostics"]
    assert code == 1
    assert [as_text(d) for d in found if d["severity"] == "error"] == EXPECTED_ERRORS


def test_a_broken_file_causes_no_second_error_elsewhere(broken_site: Path, capsys) -> None:
    _, out, _ = run_cli(capsys, "check", "--config", broken_site, "--format", "json")
    found = json.loads(out)["diagnostics"]
    # the path names colon-title, whose YAML failed: no "names no note" for it, nor for cites-broken-source
    assert not [d for d in found if "'colon-title'" in d["message"] or "[[colon-title]]" in d["message"]]
    assert not [d for d in found if "broken-source" in d["message"]]
    # good-note is linked only from files that failed: it is not an orphan, and it is on a path
    warned = {(d["path"], d["code"]) for d in found if d["severity"] == "warning"}
    assert ("content/notes/good-note.md", "orphan") not in warned
    assert ("content/notes/good-note.md", "no-path") not in warned
    # while the note whose YAML failed still gets the warnings about its body
    assert ("content/notes/colon-title.md", "body-length") in warned
    # and a note whose front matter broke a rule still has its sources' sections checked
    assert [d["message"] + " (" + d["hint"] + ")" for d in found if d["code"] == "unknown-section"] == [
        "source 'essay' lists no section 'Middle' (its sections: 'Start'; 'End')"]


def test_fixing_every_reported_mistake_leaves_nothing(tmp_path: Path, capsys) -> None:
    """The list is complete: with each reported mistake fixed, nothing new appears."""
    fixed = dict(SITE)
    fixed["notes/colon-title.md"] = note('"Hiring: a guide"', "Links to [[good-note]].")
    fixed["notes/good-note.md"] = note("Good note", "See [[colon-title]].")
    fixed["notes/topic-typo.md"] = note("Topic typo", "See [[good-note]].", updated="2026-12-01")
    fixed["notes/date-time.md"] = note("Date time", "See [[good-note]].", updated="2026-12-01")
    fixed["notes/draft-note.md"] = note("Draft note", "See [[good-note]].", draft="true")
    fixed["notes/field-typo.md"] = note("Field typo", "See [[good-note]].")
    fixed["sources/broken-source.md"] = SITE["sources/broken-source.md"].replace("javascript:alert(1)", "null")
    fixed["paths/start.md"] = SITE["paths/start.md"].replace("  - note: missing-step\n    why: Last.\n", "")
    fixed["pages/about.md"] = "---\ntitle: About\n---\nA picture: ![a chart](pic.png)\n"
    del fixed["notes/no-front.md"]
    config = write_site(tmp_path / "site", fixed)
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json")
    assert [as_text(d) for d in json.loads(out)["diagnostics"] if d["severity"] == "error"] == []
    assert code == 0


@pytest.mark.parametrize(("written", "check_accepts"), [
    ("2026-12-01", True),
    ("2026-12-01 10:00:00", False),
    ("2026-12-01T10:00:00Z", False),
    ("last week", False),
])
def test_the_json_schema_and_check_agree_on_dates(written: str, check_accepts: bool, tmp_path: Path,
                                                   capsys) -> None:
    """An editor sees every YAML date as a string; the schema accepts exactly the ones check accepts."""
    import jsonschema

    from dsguide.commands.schema import schemas
    from dsguide.config import load_config

    config = write_site(tmp_path / "site", {"notes/a.md": note("A", updated=written)})
    code, out, _ = run_cli(capsys, "check", "--config", config, "--format", "json")
    wrong = [d for d in json.loads(out)["diagnostics"] if d["code"] == "wrong-type"]
    assert (wrong == []) is check_accepts
    loaded, _ = load_config(config)
    assert loaded is not None
    schema = json.loads(schemas(loaded)["note.schema.json"])
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    front = {"title": "A", "summary": "S.", "topics": ["hiring"], "reviewed": "2026-11-20", "updated": written}
    assert validator.is_valid(front) is check_accepts
