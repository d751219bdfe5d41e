"""End-to-end: build small sites into temp folders and read the HTML they produce."""

from __future__ import annotations

import filecmp
import gzip
import re
import shutil
from pathlib import Path

import cbor2
import pytest
from conftest import FIXTURE_SITE, REPO, build, copy_site, run_cli

from dsguide import __version__


def page(out: Path, url: str) -> str:
    return (out / url.strip("/") / "index.html").read_text(encoding="utf-8")


def links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_every_note_topic_source_and_path_has_a_page(built_fixture: Path) -> None:
    for slug in ("interview-loops", "rest-days", "our-synthesis"):
        assert "<h1 data-pagefind-meta=\"title\">" in page(built_fixture, f"notes/{slug}")
    for topic in ("hiring", "trust", "burnout", "ic-vs-manager"):
        assert (built_fixture / "topics" / topic / "index.html").is_file()
    for url in ("sources/fixture-essay", "paths/start-here", "about", "notes", "search", "tags/interviews",
                "audiences/new-manager"):
        assert (built_fixture / url / "index.html").is_file(), url
    for name in ("index.html", "404.html", "feed.xml", "sitemap.xml", "robots.txt", "notes.json",
                 "pagefind/pagefind.js", "pagefind/pagefind-ui.js", "static/site.css"):
        assert (built_fixture / name).is_file(), name
    assert not list(built_fixture.parent.glob(".*staging*")), "staging folder left behind"


def test_topic_pages_list_exactly_their_notes(built_fixture: Path) -> None:
    def listed(topic: str) -> set[str]:
        html = page(built_fixture, f"topics/{topic}")
        return set(re.findall(r'class="card-title"><a href="/notes/([a-z0-9-]+)/"', html))

    assert listed("hiring") == {"interview-loops"}
    assert listed("trust") == {"rest-days", "our-synthesis"}
    assert listed("burnout") == {"rest-days"}
    assert listed("ic-vs-manager") == set()


def test_wikilinks_point_at_note_urls_with_labels_and_anchors(built_fixture: Path) -> None:
    html = page(built_fixture, "notes/interview-loops")
    assert '<a class="wikilink" href="/notes/rest-days/">taking real rest</a>' in html
    assert '<a class="wikilink" href="/notes/rest-days/#why-it-holds">Take rest days before you need them</a>' in html
    assert '<h2 id="why-it-holds">' in page(built_fixture, "notes/rest-days")


def test_note_body_html_and_template_syntax_are_inert(built_fixture: Path) -> None:
    html = page(built_fixture, "notes/interview-loops")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;" in html
    synthesis = page(built_fixture, "notes/our-synthesis")
    assert "{{ site.title }} {% raw %}" in synthesis  # shown as text, not evaluated


def test_note_page_shows_attribution_backlinks_and_path_navigation(built_fixture: Path) -> None:
    html = page(built_fixture, "notes/rest-days")
    assert 'href="/sources/fixture-essay/">A made-up essay about teams</a>, section “Rest”' in html
    assert re.search(r'Notes that link here.*href="/notes/interview-loops/"', html, re.S)
    assert 'rel="prev" href="/notes/interview-loops/"' in html
    assert "Step 2 of 2" in html
    source = page(built_fixture, "sources/fixture-essay")
    assert "/notes/interview-loops/" in source and "/notes/rest-days/" in source
    assert "/notes/our-synthesis/" not in source


def test_search_index_has_the_filters(built_fixture: Path) -> None:
    filters = {}
    for path in (built_fixture / "pagefind" / "filter").glob("*.pf_filter"):
        raw = gzip.decompress(path.read_bytes())
        name, values = cbor2.loads(raw[len(b"pagefind_dcd"):])
        filters[name] = {value for value, _ in values}
    assert filters["topic"] == {"Hiring", "Trust", "Burnout"}
    assert filters["kind"] == {"Note", "Source", "Reading path", "Page"}
    assert filters["tag"] == {"interviews", "wellbeing"}
    assert filters["audience"] == {"New managers", "Job seekers"}
    assert filters["source"] == {"A made-up essay about teams"}
    html = page(built_fixture, "notes/interview-loops")
    assert "data-pagefind-body" in html and 'data-pagefind-meta="summary"' in html


def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(FIXTURE_SITE / "site.yaml", first)
    build(FIXTURE_SITE / "site.yaml", second)
    comparison = filecmp.dircmp(first, second)

    def differences(cmp: filecmp.dircmp) -> list[str]:
        found = cmp.left_only + cmp.right_only + cmp.diff_files
        for sub in cmp.subdirs.values():
            found += differences(sub)
        return found

    _, mismatch, errors = filecmp.cmpfiles(first, second, [], shallow=False)
    assert differences(comparison) == [] and mismatch == [] and errors == []
    for path in first.rglob("*"):
        if path.is_file():
            assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


def test_failed_build_leaves_the_previous_site_untouched(tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "site" / "content" / "notes" / "rest-days.md"
    broken.write_text(broken.read_text().replace("topics: [burnout, trust]", "topics: [burnot]")
                      + "\nSee [[no-such-note]].\n")
    link_line = broken.read_text().splitlines().index("See [[no-such-note]].") + 1
    (tmp_path / "site" / "content" / "notes" / "bad.md").write_text("no front matter\n")
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert code == 1
    assert err.splitlines() == [
        "content/notes/bad.md:1:1: error[no-front-matter]: missing front matter: the file must start with a "
        "'---' line",
        "content/notes/rest-days.md:4:10: error[unknown-topic]: unknown topic 'burnot' (did you mean 'burnout'?)",
        f"content/notes/rest-days.md:{link_line}:5: error[broken-link]: [[no-such-note]] names no note "
        "(a note is named by its file name in content/notes/, without .md)",
        "3 errors, 0 warnings in 7 files",
        "build failed; the previous site was left as it was",
    ]
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


@pytest.mark.parametrize(("change", "expected"), [
    (("{{ reading_minutes }} min read", "{{ reading_minutez }} min read"),
     "templates/note.html:22:1: error[template]: 'reading_minutez' is undefined (rendering /notes/interview-loops/)"),
    (("{{ reading_minutes }} min read", "{{ 1 // 0 }} min read"),
     "templates/note.html:22:1: error[template]: ZeroDivisionError: integer division or modulo by zero "
     "(rendering /notes/interview-loops/)"),
    (("{% if toc %}", "{% if %}"),
     "templates/note.html:35:1: error[template]: Expected an expression, got 'end of statement block' "
     "(rendering /notes/interview-loops/)"),
])
def test_a_broken_template_is_reported_at_its_line_and_the_previous_site_stays(
        change: tuple[str, str], expected: str, tmp_path: Path, capsys) -> None:
    shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    shutil.copytree(REPO / "templates", tmp_path / "site" / "templates")
    config = tmp_path / "site" / "site.yaml"
    config.write_text(config.read_text().replace("../../../templates", "templates")
                      .replace("../../../static", str(REPO / "static")))
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    template = tmp_path / "site" / "templates" / "note.html"
    assert change[0] in template.read_text()
    template.write_text(template.read_text().replace(*change))
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert (code, err.splitlines()[0]) == (1, expected)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("out", "problem"), [
    (".", "would replace the site's own folder"),
    ("..", "would replace the site's own folder"),
    ("content", "overlaps"),
    ("content/preview", "overlaps"),
    ("site.yaml", "is a file, not a folder"),
    ("../elsewhere", "holds files that dsguide did not write"),
])
def test_build_refuses_an_output_folder_it_must_not_replace(out: str, problem: str, tmp_path: Path, capsys) -> None:
    """Publishing replaces the whole output folder, so a mistyped --out must never cost the sources."""
    shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    config = tmp_path / "site" / "site.yaml"
    config.write_text(config.read_text().replace("../../../", f"{REPO}/"))
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "thesis.tex").write_text("years of work")
    before = tree(tmp_path)
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", config.parent / out)
    assert code == 2
    assert "error[bad-output]" in err and problem in err
    assert tree(tmp_path) == before


def test_an_earlier_build_is_replaced_and_a_symlinked_output_is_followed(tmp_path: Path, capsys) -> None:
    real = tmp_path / "www"
    real.mkdir()
    (tmp_path / "public").symlink_to(real)
    for _ in range(2):  # the second build replaces the first, which carries the marker
        assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "public")[0] == 0
    assert (tmp_path / "public").is_symlink() and (real / "index.html").is_file()
    assert (real / ".dsguide-output").read_text().startswith("This folder is written by `dsguide build`")
    # no staging or old folders left; the lock file of the output folder stays (removing it would race)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".www.lock", "public", "www"]


def test_cli_build_summary_help_version_and_usage(tmp_path: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "o")
    assert code == 0
    assert re.fullmatch(r"built 3 notes, \d+ pages, search index 6 pages in \d+\.\d s\n", out)
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "q",
                   "--quiet") == (0, "", "")
    code, out, _ = run_cli(capsys, "build", "--help")
    assert code == 0 and "--drafts" in out and "--out" in out
    code, out, _ = run_cli(capsys, "--version")
    assert code == 0 and out.strip() == f"dsguide {__version__}"
    code, _, err = run_cli(capsys, "build", "--no-such-flag")
    assert code == 2 and "unrecognized arguments: --no-such-flag" in err
    code, _, err = run_cli(capsys, "build", "--config", tmp_path / "missing.yaml")
    assert code == 2 and "cannot read config" in err  # pointed at the wrong place: bad usage


def test_drafts_are_built_only_when_asked(tmp_path: Path) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    (tmp_path / "site" / "content" / "notes" / "wip.md").write_text(
        "---\ntitle: Work in progress\nsummary: Not ready.\ntopics: [trust]\noriginal: true\ndraft: true\n"
        "reviewed: 2026-11-20\n---\nSoon.\n")
    build(config, tmp_path / "without")
    assert not (tmp_path / "without" / "notes" / "wip").exists()
    build(config, tmp_path / "with", include_drafts=True)
    assert (tmp_path / "with" / "notes" / "wip" / "index.html").is_file()


def test_base_url_with_a_path_prefixes_every_internal_link(tmp_path: Path, capsys) -> None:
    code, _, _ = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "o",
                         "--base-url", "https://user.github.io/guide/")
    assert code == 0
    html = (tmp_path / "o" / "notes" / "rest-days" / "index.html").read_text()
    internal = [h for h in links(html) if h.startswith("/")]
    assert internal and all(h.startswith("/guide/") for h in internal)
    assert '<link rel="canonical" href="https://user.github.io/guide/notes/rest-days/">' in html


@pytest.mark.skipif(not (REPO / "content" / "notes").is_dir(), reason="no content yet")
def test_repository_content_builds_without_problems(built_repo_site: Path) -> None:
    notes = list((built_repo_site / "notes").glob("*/index.html"))
    assert len(notes) == len(list((REPO / "content" / "notes").glob("*.md")))
    for topic in ("hiring", "trust", "burnout", "ic-vs-manager"):
        assert (built_repo_site / "topics" / topic / "index.html").is_file()
    assert (built_repo_site / "pagefind" / "pagefind.js").is_file()
