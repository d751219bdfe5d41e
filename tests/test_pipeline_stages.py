"""Unit tests, one group per pipeline stage, on small inline sites."""

from __future__ import annotations

from pathlib import Path

from conftest import note, write_site

from dsguide.config import load_config
from dsguide.discover import discover
from dsguide.front_matter import split_front_matter
from dsguide.graph import health_warnings
from dsguide.markdown import make_markdown, parse_document, render_html
from dsguide.model import ContentFile
from dsguide.pipeline import load_site
from dsguide.schema import SLUG_RE


def texts(report) -> list[str]:
    return [d.format_text() for d in report.sorted()]


# --- config -----------------------------------------------------------------------------------

def test_config_reads_vocabularies_and_base_path(tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {})
    config, problems = load_config(config_path)
    assert problems == []
    assert [t.slug for t in config.topics] == ["hiring", "trust"]
    assert config.base_path == "/"
    config, _ = load_config(config_path, base_url="https://x.github.io/guide")
    assert config.base_path == "/guide/" and config.base_url == "https://x.github.io/guide/"


def test_config_unknown_key_and_wrong_type_name_their_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_text("title: T\ndescription: D\nbase_url: https://e.org/\ntitel: oops\n"
                    "topics: nope\n", encoding="utf-8")
    config, problems = load_config(path)
    assert config is None
    assert [d.format_text() for d in problems] == [
        f"{path}:4:1: error[unknown-field]: unknown field 'titel' (did you mean 'title'?)",
        f"{path}:5:9: error[wrong-type]: 'topics' must be a list, not a string",
    ]


def test_repository_site_yaml_is_valid() -> None:
    config, problems = load_config(Path(__file__).parents[1] / "site.yaml")
    assert problems == []
    assert {t.slug for t in config.topics} == {"hiring", "trust", "burnout", "ic-vs-manager"}


# --- discover ---------------------------------------------------------------------------------

def test_slug_rules() -> None:
    assert SLUG_RE.match("first-90-days")
    for bad in ("First", "two--hyphens", "-lead", "trail-", "under_score", "space d", ""):
        assert not SLUG_RE.match(bad), bad


def test_discover_reports_bad_and_case_duplicate_slugs(tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {"notes/Hiring_Loops.md": note(), "notes/hiring-loops.md": note(),
                                        "notes/hiring-LOOPS.md": note()})
    config, _ = load_config(config_path)
    files, problems = discover(config)
    assert [d.format_text() for d in problems] == [
        # the well-named file keeps the slug; the others are reported
        "content/notes/Hiring_Loops.md: error[bad-slug]: file name 'Hiring_Loops.md' is not a valid slug: "
        "use lowercase letters, digits and hyphens",
        "content/notes/hiring-LOOPS.md: error[bad-slug]: file name 'hiring-LOOPS.md' is not a valid slug: "
        "use lowercase letters, digits and hyphens",
        "content/notes/hiring-LOOPS.md: error[duplicate-slug]: slug 'hiring-loops' is also claimed by "
        "content/notes/hiring-loops.md",
    ]
    assert {f.kind for f in files} == {"note", "source"}


# --- front matter -----------------------------------------------------------------------------

def _file(tmp_path: Path) -> ContentFile:
    return ContentFile("note", "x", "content/notes/x.md", tmp_path / "x.md")


def test_front_matter_keeps_file_line_numbers(tmp_path: Path) -> None:
    text = "---\ntitle: T\n\ntopics:\n  - hiring\n---\nFirst body line\n"
    doc, problems = split_front_matter(_file(tmp_path), text)
    assert problems == []
    assert doc.body_line == 7 and doc.body == "First body line\n"
    assert doc.meta.where(("title",)) == (2, 8)
    assert doc.meta.where(("topics", 0)) == (5, 5)
    assert doc.meta.where(("topics",), key=True) == (4, 1)
    doc, _ = split_front_matter(_file(tmp_path), "---\n\ntitle: T\n---\n\n\nBody\n")
    assert doc.meta.value == {"title": "T"} and doc.meta.where(("title",)) == (3, 8)
    assert doc.body_line == 5 and doc.body == "\n\nBody\n"


def test_front_matter_errors_point_into_the_file(tmp_path: Path) -> None:
    cases = {
        "no front matter\n": "content/notes/x.md:1:1: error[no-front-matter]: missing front matter: the file "
                             "must start with a '---' line",
        "---\ntitle: T\n": "content/notes/x.md:1:1: error[unclosed-front-matter]: front matter is not "
                           "closed: add a '---' line after it",
        "---\ntitle: T\ntopics: [a\n---\n": "content/notes/x.md:4:1: error[yaml-syntax]: malformed YAML: "
                                            "did not find expected ',' or ']' (while parsing a flow "
                                            "sequence that starts at 3:9)",
        "---\ntitle: T\ntitle: U\n---\nx": "content/notes/x.md:3:1: error[duplicate-key]: duplicate key 'title'",
        "---\n- a list\n---\nx": "content/notes/x.md:2:1: error[wrong-type]: front matter must be a mapping of "
                                 "'key: value' lines",
    }
    for text, expected in cases.items():
        _, problems = split_front_matter(_file(tmp_path), text)
        assert [d.format_text() for d in problems] == [expected], text


# --- validate ---------------------------------------------------------------------------------

def test_validation_reports_every_problem_word_for_word(tmp_path: Path) -> None:
    long_summary = "x" * 241
    config_path = write_site(tmp_path, {
        "notes/a.md": note(topics="[hirng, trust]", audience="[ics]", summary=long_summary),
        "notes/b.md": note(title=None, sources=None, colour="blue"),
        "notes/c.md": note(body="", updated="yesterday"),
    })
    site, report = load_site(config_path)
    assert texts(report) == [
        "content/notes/a.md:3:10: error[too-long]: 'summary' is 241 characters; the limit is 240",
        "content/notes/a.md:4:10: error[unknown-topic]: unknown topic 'hirng' (did you mean 'hiring'?)",
        "content/notes/a.md:6:12: error[unknown-audience]: unknown audience 'ics' (did you mean 'ic'?)",
        "content/notes/b.md:2:1: error[missing-field]: missing required field 'title'",
        "content/notes/b.md:2:1: error[no-source]: a note needs 'sources', or 'original: true' when it is "
        "our own synthesis",
        "content/notes/b.md:4:1: error[unknown-field]: unknown field 'colour'",
        "content/notes/c.md:6:10: error[wrong-type]: 'updated' must be a date (YYYY-MM-DD), not a string",
        "content/notes/c.md:10:1: error[empty-body]: the body is empty",
    ]
    assert site is not None and site.content.notes == ()


# --- markdown ---------------------------------------------------------------------------------

def _parse(tmp_path: Path, body: str):
    text = f"---\ntitle: T\n---\n{body}"
    doc, _ = split_front_matter(_file(tmp_path), text)
    return parse_document(make_markdown(), doc)


def test_markdown_reads_wikilinks_with_positions_and_sentences(tmp_path: Path) -> None:
    parsed, problems = _parse(tmp_path, "Intro.\n\nFirst one. Then see [[b-note|the other]] now.\n"
                                        "Also [[c#Why it holds]].\n\n`[[not-a-link]]`\n")
    assert problems == []
    links = [(w.target, w.anchor, w.label, w.line, w.col) for w in parsed.wikilinks]
    assert links == [("b-note", None, "the other", 6, 21), ("c", "Why it holds", None, 7, 6)]
    assert parsed.wikilinks[0].sentence == "Then see the other now."


def test_markdown_renders_raw_html_as_text_and_drops_unsafe_links(tmp_path: Path) -> None:
    body = ('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) '
            '[y](JAVASCRIPT:alert(1)) [z](data:text/html,hi) ![](data:image/png;base64,AA) <vbscript:foo>\n\n'
            '{{ config }} {% include "base.html" %}\n')
    parsed, problems = _parse(tmp_path, body)
    html = render_html(make_markdown(), parsed, lambda *a: None)
    assert "<script" not in html and "<img src=x" not in html and "&lt;script&gt;" in html
    assert "href=\"javascript" not in html.lower() and "href=\"data" not in html and "src=\"data" not in html
    assert "{{ config }}" in html and "{% include" in html
    codes = [(d.code, d.line, d.col) for d in problems]
    assert [c for c in codes if c[0] == "unsafe-link"] == [("unsafe-link", 8, 5), ("unsafe-link", 8, 30),
                                                          ("unsafe-link", 8, 55), ("unsafe-link", 8, 78),
                                                          ("unsafe-link", 8, 105)]
    assert "image-alt" not in {c[0] for c in codes}  # the data: image is no image at all
    _, problems = _parse(tmp_path, "Text\n\n![](chart.png) and ![a chart](chart.png)\n")
    assert [d.format_text() for d in problems] == [
        "content/notes/x.md:6:1: error[image-alt]: image has no alt text: write ![what it shows](url)"]


def test_markdown_tables_footnotes_and_heading_anchors(tmp_path: Path) -> None:
    body = "## Why it holds\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nClaim.[^1]\n\n[^1]: A footnote.\n"
    parsed, _ = _parse(tmp_path, body)
    html = render_html(make_markdown(), parsed, lambda *a: None)
    assert '<h2 id="why-it-holds">' in html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "A footnote." in html
    assert [(h.level, h.text, h.anchor) for h in parsed.headings] == [(2, "Why it holds", "why-it-holds")]


# --- graph ------------------------------------------------------------------------------------

def test_graph_resolves_links_backlinks_and_reports_broken_ones(tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {
        "notes/alpha.md": note("Alpha", "See [[beta]] for more. And [[gamma]].\n\n[[beta#nowhere]]"),
        "notes/beta.md": note("Beta", "## Why it holds\n\nBack to [[alpha|the first note]].", topics="[trust]"),
        "notes/draft.md": note("Draft", "wip", draft="true"),
        "notes/delta.md": note("Delta", "Links to [[draft]].", related="[alpha, nobody]"),
        "sources/other.md": "---\ntitle: O\n---\nx",
        "paths/p.md": "---\ntitle: P\nsummary: S\naudience: [ic]\nsteps:\n  - {note: alpha, why: a}\n"
                      "  - {note: betta, why: b}\n---\n",
    })
    site, report = load_site(config_path)
    assert texts(report) == [
        "content/notes/alpha.md:9:28: error[broken-link]: [[gamma]] names no note (a note is named by its file "
        "name in content/notes/, without .md)",
        "content/notes/alpha.md:11:1: error[broken-anchor]: [[beta#nowhere]]: 'beta' has no heading 'nowhere'",
        "content/notes/delta.md:6:18: error[broken-link]: related note 'nobody' names no note (a note is named "
        "by its file name in content/notes/, without .md)",
        "content/notes/delta.md:10:10: error[draft-link]: [[draft]] is a draft note (build with --drafts, or "
        "publish it)",
        "content/paths/p.md:7:12: error[broken-link]: path step 'betta' names no note (did you mean 'beta'?)",
        "content/sources/other.md:2:1: error[missing-field]: missing required field 'author'",
        "content/sources/other.md:2:1: error[missing-field]: missing required field 'format'",
        "content/sources/other.md:2:1: error[missing-field]: missing required field 'published'",
        "content/sources/other.md:2:1: error[missing-field]: missing required field 'url'",
    ]
    assert [b.source_slug for b in site.backlinks["beta"]] == ["alpha"]
    assert site.backlinks["alpha"][0].sentence == "Back to the first note."
    assert "draft" not in site.notes_by_slug
    assert site.notes_by_topic["trust"] == ("beta",)
    assert site.notes_by_source["essay"] == ("alpha", "beta", "delta")
    assert site.related["delta"][0] == "alpha"
    site_with_drafts, report = load_site(config_path, include_drafts=True)
    assert "draft" in site_with_drafts.notes_by_slug
    assert not any(d.code == "draft-link" for d in report.diagnostics)


def test_related_notes_are_deterministic_and_prefer_similar_text(tmp_path: Path) -> None:
    files = {
        "notes/a.md": note("Interview loops", "Candidates interview loops panel hiring rubric.", tags="[x]"),
        "notes/b.md": note("Panel rubric", "A rubric keeps the interview panel fair to candidates.", tags="[x]"),
        "notes/c.md": note("Rest", "Holidays and sleep matter.", topics="[trust]"),
        "notes/d.md": note("Sleep", "Sleep and holidays restore energy.", topics="[trust]"),
    }
    first, _ = load_site(write_site(tmp_path / "one", files))
    second, _ = load_site(write_site(tmp_path / "two", files))
    assert first.related == second.related
    assert first.related["a"][0] == "b" and first.related["c"][0] == "d"


def test_health_warnings(tmp_path: Path) -> None:
    config_path = write_site(tmp_path, {
        "notes/alone.md": note("Alone", "Nothing links here.", tags="[unique-tag]"),
        "notes/source-of-link.md": note("Links", "See [[target]]."),
        "notes/target.md": note("Target", "No links out."),
    })
    site, _ = load_site(config_path)
    assert [d.format_text() for d in sorted(health_warnings(site))] == [
        "content/notes/alone.md:6:8: warning[lonely-tag]: tag 'unique-tag' is used by no other note (reuse a tag "
        "other notes have, listed on the site's /tags/ page, or drop it)",
        "content/notes/alone.md:10:1: warning[orphan]: no note links here and it links nowhere (link a related note "
        "with [[note-slug]], and link here from one with [[alone]])",
        "content/notes/target.md:9:1: warning[dead-end]: links to no other note (link a related note in the body "
        "with [[note-slug]])",
    ]
