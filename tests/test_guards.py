"""The code that protects users' files, tested through the CLI and the folders on disk.

A build replaces its whole output folder, so these tests pin down what a user must be able to
rely on: a folder dsguide did not write is refused and left alone (exit 2); a build that fails at
any point after rendering (writing, indexing, swapping in) leaves the previous site exactly as it
was, removes its staging folder and reports a located error, never a traceback.

Failures are provoked from outside where possible: a fake `pagefind` module put first on
PYTHONPATH (the build runs `python -m pagefind`), a dangling symlink in static/. Only the swap is
simulated, by patching the atomic exchange (`write.exchange`) and `os.replace`/`os.rename`, since a
real rename rarely fails.
"""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, copy_site, run_cli

from dsguide import write


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def leftovers(parent: Path, keep: set[str]) -> list[str]:
    """Names in `parent` other than `keep`: staging or backup folders a build left behind.

    The lock file beside an output folder stays by design (removing it would race), so it is not one."""
    locks = {write.lock_file(parent / name).name for name in keep}
    return sorted(p.name for p in parent.iterdir() if p.name not in keep | locks)


@pytest.fixture
def published(tmp_path: Path, capsys) -> tuple[Path, Path, dict[str, bytes]]:
    """A site copy built once into tmp/public, then changed so the next build would differ.
    Returns (site.yaml, output folder, the published files)."""
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    note = tmp_path / "site" / "content" / "notes" / "rest-days.md"
    note.write_text(note.read_text().replace("Book a day off.", "Book two days off."))
    return config, out, tree(out)


# --- the output-folder guard --------------------------------------------------------------------

def test_a_foreign_folder_with_an_index_html_is_refused_and_left_alone(tmp_path: Path, capsys) -> None:
    """An index.html does not make a folder an earlier build: only the marker does."""
    foreign = tmp_path / "my-website"
    (foreign / "blog").mkdir(parents=True)
    (foreign / "index.html").write_text("<h1>my hand-written home page</h1>")
    (foreign / "blog" / "post.html").write_text("<p>years of posts</p>")
    before = tree(foreign)
    code, _, err = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", foreign)
    assert code == 2
    assert "error[bad-output]" in err and "holds files that dsguide did not write" in err
    assert tree(foreign) == before
    assert leftovers(tmp_path, {"my-website"}) == []


def test_a_folder_with_only_pagefind_output_of_someone_else_but_no_marker_is_refused(tmp_path: Path,
                                                                                     capsys) -> None:
    foreign = tmp_path / "docs"
    (foreign / "pagefind").mkdir(parents=True)
    (foreign / "pagefind" / "pagefind.js").write_text("// another generator's index")
    (foreign / "index.html").write_text("<p>docs</p>")
    before = tree(foreign)
    code, _, err = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", foreign)
    assert code == 2 and "error[bad-output]" in err
    assert tree(foreign) == before


def test_an_empty_folder_and_an_earlier_build_are_replaced(tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    out.mkdir()
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    (out / "stale.html").write_text("from an earlier build")
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    assert not (out / "stale.html").exists(), "a build replaces the whole folder"
    assert (out / "index.html").is_file()


@pytest.mark.parametrize(("out", "problem"), [
    ("site/site.yaml", "is a file, not a folder"),
    ("here", "is the current folder"),
    ("site", "would replace the site's own folder (site.yaml, content/, templates/)"),
    ("site/content/notes", "overlaps {root}/site/content, which the build reads"),
    ("foreign", "holds files that dsguide did not write (no .dsguide-output); empty it or choose another folder, "
                "since each build replaces the whole folder"),
])
def test_each_refused_output_folder_gets_its_own_exact_reason(out: str, problem: str, tmp_path: Path, capsys,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    (tmp_path / "foreign").mkdir()
    (tmp_path / "foreign" / "notes.txt").write_text("mine")
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "draft.txt").write_text("mine too")
    monkeypatch.chdir(tmp_path / "here")
    before = tree(tmp_path)
    target = (tmp_path / out).resolve()
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", "." if out == "here" else target)
    assert code == 2
    assert err.splitlines()[0] == (f"{target}: error[bad-output]: output folder {target} "
                                   + problem.format(root=tmp_path.resolve()))
    assert tree(tmp_path) == before


def test_an_output_folder_under_a_file_is_an_error_not_a_traceback(tmp_path: Path, capsys) -> None:
    (tmp_path / "afile").write_text("not a folder")
    code, _, err = run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "afile" / "out")
    assert code in (1, 2)  # a failed write today; refusing it up front as bad-output would do as well
    assert ("error[write-failed]" in err or "error[bad-output]" in err) and "Traceback" not in err
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_a_lock_file_that_cannot_be_opened_is_an_error_not_a_traceback(published, tmp_path: Path,
                                                                       capsys) -> None:
    """Builds take turns through a lock file beside the output folder; if it cannot be opened (here a
    folder stands in its place), the build fails with a located error and the old site stays."""
    config, out, before = published
    lock = write.lock_file(out)
    lock.unlink()
    lock.mkdir()
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert code == 1
    assert err.startswith(f"{out}: error[write-failed]") and "Traceback" not in err
    assert tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["site", "public", lock.name])


@pytest.mark.parametrize("left_by", ["marker", "pagefind"])
def test_a_build_is_recognised_by_its_marker_or_an_older_builds_pagefind_index(left_by: str, tmp_path: Path,
                                                                               capsys) -> None:
    """Builds from before the marker existed carry only Pagefind's entry file; either sign is enough."""
    out = tmp_path / "public"
    sign = out / (".dsguide-output" if left_by == "marker" else "pagefind/pagefind-entry.json")
    sign.parent.mkdir(parents=True)
    sign.write_text("{}")
    (out / "old-page.html").write_text("from an earlier build")
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    assert not (out / "old-page.html").exists()


def test_a_new_output_folder_may_be_nested_in_folders_that_do_not_exist_yet(tmp_path: Path, capsys) -> None:
    out = tmp_path / "deep" / "er" / "public"
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    assert (out / "index.html").is_file()


def test_a_staging_folder_left_by_a_crashed_build_does_not_leak_into_the_next(tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    for leftover in (tmp_path / ".public.staging", tmp_path / ".public.old"):
        leftover.mkdir()
        (leftover / "half-written.html").write_text("from a build that was killed")
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    assert not (out / "half-written.html").exists()
    assert (out / "index.html").is_file()


def test_the_favicons_are_served_from_the_root_as_browsers_ask(tmp_path: Path, capsys) -> None:
    out = tmp_path / "public"
    assert run_cli(capsys, "build", "--config", FIXTURE_SITE / "site.yaml", "--out", out)[0] == 0
    for name in ("favicon.ico", "favicon.svg"):
        assert (out / name).read_bytes() == (REPO / "static" / name).read_bytes()
        assert (out / "static" / name).is_file()


# --- publishing: the old site survives a failed swap -------------------------------------------

SWAPS = ["exchange", "renames"]  # the atomic exchange fails; or there is none and the rename fails


def _failing_swap(monkeypatch: pytest.MonkeyPatch, swap: str = "exchange") -> list[tuple[str, str]]:
    """Make moving the new site into place fail, as a full disk or a busy folder would.

    With "exchange" the atomic exchange of a staging folder (named after `.staging`) raises; with
    "renames" the system has no exchange and any rename whose source is a staging folder raises.
    Every other rename (moving the old site aside and back) works. Patches os.replace and os.rename,
    so it holds whichever the publisher uses. Returns the swaps that were attempted.
    """
    calls: list[tuple[str, str]] = []
    real_replace, real_rename, real_exchange = os.replace, os.rename, write.exchange

    def exchange(first: Path, second: Path) -> bool:
        calls.append((str(first), str(second)))
        if swap == "renames":
            return False
        if "staging" in Path(first).name:
            raise OSError(28, "No space left on device (simulated)", str(second))
        return real_exchange(first, second)

    def guarded(real):
        def move(src, dst, *args, **kwargs):
            calls.append((str(src), str(dst)))
            if "staging" in Path(src).name:
                raise OSError(28, "No space left on device (simulated)")
            return real(src, dst, *args, **kwargs)
        return move

    monkeypatch.setattr(os, "replace", guarded(real_replace))
    monkeypatch.setattr(os, "rename", guarded(real_rename))
    monkeypatch.setattr(write, "exchange", exchange)
    return calls


@pytest.mark.parametrize("swap", SWAPS)
def test_a_failed_swap_keeps_the_old_site_and_reports_write_failed(swap: str, published, tmp_path: Path, capsys,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, before = published
    calls = _failing_swap(monkeypatch, swap)
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert any("staging" in Path(src).name for src, _ in calls), "the swap was never attempted"
    assert code == 1
    assert "error[write-failed]" in err and "No space left on device" in err
    assert "Traceback" not in err
    assert err.rstrip().endswith("build failed; the previous site was left as it was")
    assert tree(out) == before, "the old site must be intact after a failed swap"
    assert leftovers(tmp_path, {"site", "public"}) == [], "staging and backup folders are cleaned up"


@pytest.mark.parametrize("swap", SWAPS)
def test_a_successful_build_after_a_failed_one_publishes_the_change(swap: str, published, capsys,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, before = published
    _failing_swap(monkeypatch, swap)
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 1
    monkeypatch.undo()
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    assert "Book two days off." in (out / "notes" / "rest-days" / "index.html").read_text()
    assert tree(out) != before


# --- an OSError while writing is a located error, not a traceback -------------------------------

def test_an_unwritable_static_file_is_an_error_not_a_traceback(published, tmp_path: Path, capsys) -> None:
    """A dangling symlink in static/ makes copying fail with an OSError half-way through writing.

    It points inside static/ (a link leading outside is refused before the build, as outside-link)."""
    config, out, before = published
    static = tmp_path / "site" / "static"
    static.mkdir()
    (static / "site.css").write_text("body { color: black }")
    (static / "logo.svg").symlink_to(static / "nowhere.svg")
    text = config.read_text()
    config.write_text("\n".join(line for line in text.splitlines() if not line.startswith("static:"))
                      + "\nstatic: static\n")
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert code == 1
    assert "error[write-failed]" in err and "Traceback" not in err
    assert str(out) in err.splitlines()[0], "the error names the output folder it was writing"
    assert tree(out) == before
    assert leftovers(tmp_path, {"site", "public"}) == []


# --- Pagefind failing ---------------------------------------------------------------------------

FAKE_PAGEFIND = {
    "hangs": textwrap.dedent("""\
        import os, pathlib, time
        (pathlib.Path(__file__).parents[1] / 'pid').write_text(str(os.getpid()))
        time.sleep(30)  # bounded: without a timeout the build fails after 30 s with "no usable index"
        """),
    "exits-1": "import sys\nprint('pagefind: could not parse the site', file=sys.stderr)\nsys.exit(1)\n",
    "writes-garbage": textwrap.dedent("""\
        import pathlib, sys
        site = pathlib.Path(sys.argv[sys.argv.index('--site') + 1])
        (site / 'pagefind').mkdir(exist_ok=True)
        (site / 'pagefind' / 'pagefind-entry.json').write_text('{not json')
        """),
}


@pytest.mark.parametrize(("fake", "message"), [
    ("exits-1", "Pagefind failed (1): pagefind: could not parse the site"),
    ("writes-garbage", "Pagefind wrote no usable index"),
])
def test_a_failing_pagefind_keeps_the_old_site_and_removes_staging(fake: str, message: str, published,
                                                                   tmp_path: Path, capsys,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, before = published
    use_fake_pagefind(FAKE_PAGEFIND[fake], tmp_path, monkeypatch)
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert code == 1
    assert "error[search-index]" in err and message in err
    assert "Traceback" not in err
    assert tree(out) == before
    assert leftovers(tmp_path, {"site", "public", "fake-pagefind"}) == []


def use_fake_pagefind(script: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Builds run `python -m pagefind`: a package first on PYTHONPATH takes its place."""
    shadow = tmp_path / "fake-pagefind"
    (shadow / "pagefind").mkdir(parents=True)
    (shadow / "pagefind" / "__init__.py").write_text("")
    (shadow / "pagefind" / "__main__.py").write_text(script)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(shadow), *sys.path]))


def test_a_hanging_pagefind_is_stopped_after_the_configured_timeout(published, tmp_path: Path, capsys,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    config, out, before = published
    config.write_text(config.read_text().replace("search:\n", "search:\n  pagefind_timeout: 1\n"))
    use_fake_pagefind(FAKE_PAGEFIND["hangs"], tmp_path, monkeypatch)
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)
    assert code == 1
    assert "error[search-index]: Pagefind did not finish within 1 s and was stopped" in err
    assert "search.pagefind_timeout" in err
    pid = int((tmp_path / "fake-pagefind" / "pid").read_text())
    with pytest.raises(ProcessLookupError):  # the hung Pagefind was killed, not left running
        os.kill(pid, 0)
    assert tree(out) == before
    assert leftovers(tmp_path, {"site", "public", "fake-pagefind"}) == []


@pytest.mark.parametrize(("value", "message"), [
    ("0", "must be a positive whole number of seconds, not 0"),
    ("fast", "must be a positive whole number of seconds, not a string"),
])
def test_the_pagefind_timeout_must_be_positive_seconds(value: str, message: str, tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    config.write_text(config.read_text().replace("search:\n", f"search:\n  pagefind_timeout: {value}\n"))
    code, _, err = run_cli(capsys, "check", "--config", config)
    assert code == 2
    line = config.read_text().splitlines().index(f"  pagefind_timeout: {value}") + 1
    assert f"{config}:{line}:21: error[bad-value]: 'search.pagefind_timeout' {message}" in err


# --- build --strict -----------------------------------------------------------------------------

def test_strict_build_with_a_warning_publishes_nothing_and_says_so(published, tmp_path: Path, capsys) -> None:
    config, out, before = published
    (tmp_path / "site" / "content" / "notes" / "todo.txt").write_text("not a note")  # a not-markdown warning
    code, _, err = run_cli(capsys, "build", "--strict", "--config", config, "--out", out)
    assert code == 1
    assert "warning[not-markdown]" in err
    assert err.rstrip().endswith("build failed; the previous site was left as it was")
    assert tree(out) == before, "--strict must stop before publishing"
    fresh = tmp_path / "fresh"
    assert run_cli(capsys, "build", "--strict", "--config", config, "--out", fresh)[0] == 1
    assert not fresh.exists()
    assert leftovers(tmp_path, {"site", "public"}) == []
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", out)  # without --strict: a warning only
    assert code == 0 and "warning[not-markdown]" in err
    assert "Book two days off." in (out / "notes" / "rest-days" / "index.html").read_text()
