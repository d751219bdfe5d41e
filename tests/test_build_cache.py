"""The build cache and parallel rendering give the same bytes as a clean, single-process build."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, run_cli

from dsguide import render
from dsguide.cache import manifest_path
from dsguide.config import load_config
from dsguide.pipeline import BuildResult, build_site, load_site


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def build(config: Path, out: Path, *, cache: bool, jobs: int = 1, clean: bool = False,
          notices: list[str] | None = None) -> BuildResult:
    site, report = load_site(config, use_cache=cache and not clean)
    assert site is not None and not report.errors, report.render()
    result, build_report = build_site(site, out, jobs=jobs, use_cache=cache, clean=clean,
                                      notice=(notices if notices is not None else []).append)
    assert result is not None, build_report.render()
    return result


def assert_same_as_clean(config: Path, cached_out: Path, tmp_path: Path) -> BuildResult:
    """Build with the cache into `cached_out` and without it into a fresh folder; the bytes must match."""
    result = build(config, cached_out, cache=True)
    clean_out = tmp_path / "clean"
    shutil.rmtree(clean_out, ignore_errors=True)
    build(config, clean_out, cache=False)
    cached, clean = tree(cached_out), tree(clean_out)
    assert sorted(cached) == sorted(clean)
    assert [name for name in cached if cached[name] != clean[name]] == []
    return result


@pytest.fixture
def own_site(tmp_path: Path) -> Path:
    """A copy of the fixture site with its own templates, so a test can edit anything; returns site.yaml."""
    shutil.copytree(FIXTURE_SITE, tmp_path / "site")
    shutil.copytree(REPO / "templates", tmp_path / "site" / "templates")
    config = tmp_path / "site" / "site.yaml"
    config.write_text(config.read_text().replace("../../../templates", "templates")
                      .replace("../../../static", str(REPO / "static")))
    return config


def note_file(config: Path, slug: str) -> Path:
    return config.parent / "content" / "notes" / f"{slug}.md"


def test_parallel_rendering_gives_the_same_bytes_as_one_process(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)  # the fixture site is small: use workers anyway
    config = FIXTURE_SITE / "site.yaml"
    one = build(config, tmp_path / "one", cache=False, jobs=1)
    two = build(config, tmp_path / "two", cache=False, jobs=2)
    assert one.pages == two.pages > 10
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def test_a_template_error_in_a_worker_is_reported_and_the_old_site_stays(own_site: Path, tmp_path: Path,
                                                                        monkeypatch) -> None:
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    out = tmp_path / "public"
    build(own_site, out, cache=True, jobs=2)
    before = tree(out)
    template = own_site.parent / "templates" / "note.html"
    template.write_text(template.read_text().replace("{{ reading_minutes }}", "{{ reading_minutez }}"))
    site, _ = load_site(own_site)
    result, report = build_site(site, out, jobs=2, use_cache=True)
    assert result is None
    assert [d.code for d in report.errors] == ["template"] and "reading_minutez" in report.errors[0].message
    assert tree(out) == before


def test_no_change_renders_nothing_and_keeps_the_search_index(own_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = build(own_site, out, cache=True)
    assert first.rendered == first.pages and first.indexed
    inodes = {p: p.stat().st_ino for p in out.rglob("*") if p.is_file()}
    again = assert_same_as_clean(own_site, out, tmp_path)
    assert (again.rendered, again.indexed, again.search_pages) == (0, False, first.search_pages)
    assert {p: p.stat().st_ino for p in out.rglob("*") if p.is_file() and p.name != ".dsguide-output"
            and "static" not in p.parts and not p.name.startswith("favicon")} == {
        p: i for p, i in inodes.items() if p.name != ".dsguide-output" and "static" not in p.parts
        and not p.name.startswith("favicon")}  # not rewritten: the published files themselves


def test_a_body_edit_rerenders_few_pages_and_equals_a_clean_build(own_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    first = build(own_site, out, cache=True)
    untouched = (out / "sources" / "essay-one" / "index.html")
    untouched_inode = untouched.stat().st_ino if untouched.exists() else None
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\nOne more sentence about rest.\n")
    result = assert_same_as_clean(own_site, out, tmp_path)
    assert 0 < result.rendered < first.pages and result.indexed
    if untouched_inode is not None:
        assert untouched.stat().st_ino == untouched_inode


def test_a_title_edit_updates_every_page_that_shows_it(own_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(own_site, out, cache=True)
    path = note_file(own_site, "rest-days")
    old_title = next(line for line in path.read_text().splitlines() if line.startswith("title:"))[7:].strip()
    showing = {name for name, data in tree(out).items()
               if name.endswith(".html") and old_title.encode() in data}
    assert len(showing) > 3  # its page, lists, backlinks or related notes of others, paths
    path.write_text(path.read_text().replace(f"title: {old_title}", "title: Zebra crossings of rest"))
    assert_same_as_clean(own_site, out, tmp_path)
    after = tree(out)
    for name in showing:
        assert old_title.encode() not in after[name], name
        assert b"Zebra crossings of rest" in after[name], name


def test_renames_deletions_templates_and_site_yaml_changes_equal_a_clean_build(own_site: Path,
                                                                              tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(own_site, out, cache=True)
    slugs = sorted(p.stem for p in (own_site.parent / "content" / "notes").glob("*.md"))
    # a note nobody links to can be renamed and deleted without breaking links
    site, _ = load_site(own_site)
    free = next(s for s in slugs if not any(s in n.related or s in site.links_out.get(n.slug, ())
                                            for n in site.content.notes)
                and not any(step.note == s for p in site.content.paths for step in p.steps))
    note_file(own_site, free).rename(note_file(own_site, free + "-renamed"))
    assert_same_as_clean(own_site, out, tmp_path)
    assert not (out / "notes" / free).exists() and (out / "notes" / f"{free}-renamed" / "index.html").is_file()
    note_file(own_site, free + "-renamed").unlink()
    assert_same_as_clean(own_site, out, tmp_path)
    assert not (out / "notes" / f"{free}-renamed").exists()
    template = own_site.parent / "templates" / "_macros.html"
    template.write_text(template.read_text().replace('class="card-summary"', 'class="card-summary changed"'))
    result = assert_same_as_clean(own_site, out, tmp_path)
    assert result.rendered == result.pages
    own_site.write_text(own_site.read_text().replace("title:", "title: Renamed", 1))
    assert_same_as_clean(own_site, out, tmp_path)


def test_a_corrupt_or_foreign_cache_is_discarded_with_a_notice(own_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(own_site, out, cache=True)
    manifest = manifest_path(load_config(own_site)[0], out)
    assert manifest.is_file()
    for damage in ("{not json", '{"format": 1, "version": "0.0.0-other"}',
                   manifest.read_text().replace(str(out.resolve()), str(tmp_path / "elsewhere"))):
        manifest.write_text(damage)
        notices: list[str] = []
        result = build(own_site, out, cache=True, notices=notices)
        assert len(notices) == 1 and "ignoring the build cache" in notices[0], notices
        assert result.rendered == result.pages
    (out / "notes" / "rest-days" / "index.html").write_text("edited by hand")  # the cache never trusts it
    result = assert_same_as_clean(own_site, out, tmp_path)
    assert result.rendered == 1
    (out / "dropped-in.html").write_text("not ours")  # a clean build would not have it
    assert assert_same_as_clean(own_site, out, tmp_path).rendered == 0
    (out / "static" / "site.css").write_text("edited by hand")
    assert assert_same_as_clean(own_site, out, tmp_path).rendered == 0


def test_clean_ignores_the_cache_and_the_cli_reports_stages(own_site: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", own_site, "--out", out)[0] == 0
    code, stdout, _ = run_cli(capsys, "build", "--config", own_site, "--out", out, "--verbose")
    assert code == 0 and "pages rendered 0 of" in stdout and "search index carried over" in stdout
    code, stdout, _ = run_cli(capsys, "build", "--config", own_site, "--out", out, "--clean", "--verbose",
                              "--jobs", "1")
    assert code == 0 and "search index rebuilt" in stdout and "pages rendered 0 of" not in stdout
    assert run_cli(capsys, "build", "--config", own_site, "--out", out, "--jobs", "0")[0] == 2


def test_the_cache_lives_beside_site_yaml_and_ignores_itself(own_site: Path, tmp_path: Path, capsys,
                                                             monkeypatch) -> None:
    monkeypatch.delenv("DSGUIDE_CACHE_DIR")
    assert run_cli(capsys, "build", "--config", own_site, "--out", tmp_path / "public")[0] == 0
    cache = own_site.parent / ".dsguide-cache"
    assert len(list(cache.glob("build-*.json"))) == 1
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"


def test_serve_rebuilds_through_the_cache(own_site: Path, tmp_path: Path, capsys) -> None:
    import argparse

    from dsguide.commands import serve

    args = serve.add_parser(argparse.ArgumentParser().add_subparsers()).parse_args(["--config", str(own_site)])
    state, out = serve.BuildState(), tmp_path / "preview"
    assert serve.rebuild(args, state, out, "http://127.0.0.1:1/") is not None
    other = out / "search" / "index.html"
    other_inode = other.stat().st_ino
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\nA sentence added while serving.\n")
    assert serve.rebuild(args, state, out, "http://127.0.0.1:1/") is not None
    assert b"A sentence added while serving." in (out / "notes" / "rest-days" / "index.html").read_bytes()
    assert other.stat().st_ino == other_inode  # carried over, not rendered again
    assert state.version == 2


def test_bodies_read_from_the_cache_report_the_same_problems(own_site: Path) -> None:
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\n![](picture.png)\n\nSee [[no-such-note]].\n")
    first = load_site(own_site, use_cache=True)[1].render()
    second_site, second = load_site(own_site, use_cache=True)
    assert "image-alt" in first and "broken-link" in first
    assert second.render() == first
    assert second_site is not None and not second_site.markdown[("note", "rest-days")].has_tokens


def test_pages_first_publishes_changed_pages_then_the_new_index(own_site: Path, tmp_path: Path,
                                                               monkeypatch) -> None:
    out = tmp_path / "public"
    build(own_site, out, cache=True)
    old_entry = (out / "pagefind" / "pagefind-entry.json").read_bytes()
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\nQuokkas rest well.\n")
    seen: list[tuple[bool, bool]] = []

    def published() -> None:  # at this moment: the new page, the old index
        seen.append((b"Quokkas rest well." in (out / "notes/rest-days/index.html").read_bytes(),
                     (out / "pagefind" / "pagefind-entry.json").read_bytes() == old_entry))

    site, _ = load_site(own_site, use_cache=True)
    result, report = build_site(site, out, use_cache=True, pages_first=published)
    assert result is not None and result.indexed, report.render()
    assert seen == [(True, True)]
    assert (out / "pagefind" / "pagefind-entry.json").read_bytes() != old_entry
    assert_same_as_clean(own_site, out, tmp_path)


def test_a_failed_index_after_pages_first_is_redone_by_the_next_build(own_site: Path, tmp_path: Path,
                                                                     monkeypatch) -> None:
    from dsguide import pipeline
    from dsguide.search import SearchIndexError

    out = tmp_path / "public"
    build(own_site, out, cache=True)
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\nQuokkas rest well.\n")

    def fail(*args: object) -> int:
        raise SearchIndexError("Pagefind failed (1): simulated")

    monkeypatch.setattr(pipeline, "index_site", fail)
    site, _ = load_site(own_site, use_cache=True)
    result, report = build_site(site, out, use_cache=True, pages_first=lambda: None)
    assert result is None and "the search index is the previous one" in report.render()
    assert b"Quokkas rest well." in (out / "notes/rest-days/index.html").read_bytes()
    monkeypatch.undo()
    assert assert_same_as_clean(own_site, out, tmp_path).indexed


def test_serve_stopped_while_pagefind_runs_after_pages_first_leaves_no_folder_behind(own_site: Path,
                                                                                   tmp_path: Path,
                                                                                   monkeypatch) -> None:
    """Ctrl-C stops serve's rebuild while Pagefind writes the new index into a folder beside the site:
    that folder goes too (serve removes its temporary site on exit, not what lies beside it)."""
    from dsguide import pipeline

    out = tmp_path / "public"
    build(own_site, out, cache=True)
    path = note_file(own_site, "rest-days")
    path.write_text(path.read_text() + "\nQuokkas rest well.\n")

    def interrupted(site_dir: Path, bundle: Path, timeout: float) -> int:
        (bundle / "pagefind-entry.json").write_text("{")  # half-written
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "index_site", interrupted)
    site, _ = load_site(own_site, use_cache=True)
    with pytest.raises(KeyboardInterrupt):
        build_site(site, out, use_cache=True, pages_first=lambda: None)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".public")) == [".public.lock"]
    monkeypatch.undo()
    assert assert_same_as_clean(own_site, out, tmp_path).indexed


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


# One input of a page each, edited after a cached build: (what, file under the site folder, old, new).
# Each reaches pages through something other than the edited file's own page.
ONE_INPUT_EDITS = [
    ("a reading path step's reason (path page, the notes' path trail)", "content/paths/start-here.md",
     "why: Hiring comes first.", "why: Hiring always comes first."),
    ("a reading path's title (every step's path trail)", "content/paths/start-here.md",
     "title: Start here", "title: Begin here"),
    ("the sentence around a link (the target's backlinks)", "content/notes/interview-loops.md",
     "Candidates drop out of long processes. Pair", "Candidates drop out of long processes. Always pair"),
    ("a source's title (attribution on notes, JSON-LD)", "content/sources/fixture-essay.md", "title: ", "title: Re "),
    ("a topic's name (breadcrumbs, chips, OG image names)", "site.yaml", "name: Burnout", "name: Burnout and rest"),
    ("page_size (pagination of every list)", "site.yaml", "language: en", "language: en\npage_size: 5"),
    ("search synonyms (search-terms.json, glosses)", "site.yaml", "- [ic, individual contributor]",
     "- [ic, individual contributor]\n    - [rest, recovery]"),
    ("a note's updated date (the home page's recent notes, the feed)", "content/notes/interview-loops.md",
     "updated: 2024-06-01", "updated: 2024-08-01"),
]


@pytest.mark.parametrize("what, file, old, new", ONE_INPUT_EDITS, ids=[e[0].split(" (")[0] for e in ONE_INPUT_EDITS])
def test_one_input_edited_equals_a_clean_build(what: str, file: str, old: str, new: str, own_site: Path,
                                               tmp_path: Path) -> None:
    out = tmp_path / "public"
    for extra in range(6):  # enough notes in one topic that page_size 5 makes a second page
        note_file(own_site, f"extra-{extra}").write_text(
            f"---\ntitle: Extra {extra}\nsummary: Extra note {extra}.\ntopics: [burnout]\noriginal: true\n"
            f"reviewed: 2026-11-20\n---\n"
            f"Rest and recovery, part {extra}; see [[rest-days]].\n")
    build(own_site, out, cache=True)
    before = tree(out)
    _edit(own_site.parent / file, old, new)
    assert_same_as_clean(own_site, out, tmp_path)
    assert tree(out) != before, what

