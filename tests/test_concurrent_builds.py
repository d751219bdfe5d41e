"""Builds of one output folder take turns, and publishing never leaves the folder missing (#9.1, #9.8)."""

from __future__ import annotations

import fcntl
import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, build

from dsguide import write
from dsguide.pipeline import build_site, load_site

CONFIG = FIXTURE_SITE / "site.yaml"


def build_command(out: Path) -> list[str]:
    return [sys.executable, "-m", "dsguide.cli", "build", "--config", str(CONFIG), "--out", str(out)]


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def pagefind_names_existing_files(out: Path) -> bool:
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    return all((out / "pagefind" / f"pagefind.{language['hash']}.pf_meta").is_file()
               for language in entry["languages"].values())


@pytest.fixture(scope="module")
def reference_files(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """Every file one build on its own writes."""
    out = tmp_path_factory.mktemp("reference") / "public"
    build(CONFIG, out)
    return files(out)


def test_two_builds_into_one_folder_at_once_both_succeed_and_publish_a_complete_site(
        tmp_path: Path, reference_files: set[str]) -> None:
    out = tmp_path / "public"
    for _ in range(5):
        both = [subprocess.Popen(build_command(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]
        results = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in both]  # type: ignore[union-attr]
        for p in both:
            p.stdout.close()  # type: ignore[union-attr]
            p.stderr.close()  # type: ignore[union-attr]
        assert [code for code, _, _ in results] == [0, 0], results
        assert files(out) == reference_files
        assert pagefind_names_existing_files(out)
    leftovers = sorted(p.name for p in tmp_path.iterdir())
    assert leftovers == [".public.lock", "public"]


def test_a_build_waits_for_the_one_holding_the_folder_and_says_so(tmp_path: Path,
                                                                  reference_files: set[str]) -> None:
    out = tmp_path / "public"
    with open(tmp_path / ".public.lock", "a+b") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        process = subprocess.Popen(build_command(out), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(process.stderr.readline()), daemon=True).start()  # type: ignore[union-attr]
        assert lines.get(timeout=120) == f"waiting for another build of {out} to finish\n"
        assert not out.exists()  # it waits: nothing published while the other build holds the folder
        fcntl.flock(held, fcntl.LOCK_UN)
    assert process.wait(timeout=300) == 0
    process.stdout.close()  # type: ignore[union-attr]
    process.stderr.close()  # type: ignore[union-attr]
    assert files(out) == reference_files


def test_the_output_folder_is_never_missing_while_builds_replace_it(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(CONFIG, out)
    done = threading.Event()
    seen = {"present": 0, "missing": 0}

    def watch() -> None:
        while not done.is_set():
            seen["present" if (out / "index.html").is_file() else "missing"] += 1

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        for _ in range(4):
            build(CONFIG, out)
    finally:
        done.set()
        watcher.join()
    assert seen["present"] > 0 and seen["missing"] == 0, seen


def test_publishing_is_one_exchange_not_two_renames(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rename publishing does must leave the output folder in place (the watcher test may miss
    the gap between two renames; this cannot)."""
    out = tmp_path / "public"
    build(CONFIG, out)
    if not write.exchange(out, out):  # exchanging a folder with itself is a no-op where exchange works
        pytest.skip("this system or file system has no atomic exchange")
    real_replace = os.replace

    def replace_keeping_output(src: os.PathLike[str] | str, dst: os.PathLike[str] | str) -> None:
        real_replace(src, dst)
        assert (out / "index.html").is_file(), f"output folder missing after renaming {src} to {dst}"

    monkeypatch.setattr(os, "replace", replace_keeping_output)
    monkeypatch.setattr(os, "rename", replace_keeping_output)
    build(CONFIG, out)
    assert (out / "index.html").is_file()


def test_staging_left_by_a_killed_build_is_removed_and_a_half_swapped_site_restored(tmp_path: Path) -> None:
    out = tmp_path / "public"
    build(CONFIG, out)
    os.replace(out, tmp_path / ".public.old")  # killed between the two renames of the fallback swap
    (tmp_path / ".public.staging-x1y2").mkdir()
    (tmp_path / ".public.staging-x1y2" / "half.html").write_text("half a site")
    (tmp_path / ".public.staging").mkdir()  # the name builds before this one used
    (tmp_path / "public-notes").mkdir()  # someone else's folder that merely starts alike stays
    site, _ = load_site(CONFIG)
    assert site is not None
    write.recover(out)
    assert (out / "index.html").is_file() and not (tmp_path / ".public.old").exists()
    result, report = build_site(site, out)
    assert result is not None, report.render()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.lock", "public", "public-notes"]


def test_a_build_interrupted_while_rendering_removes_its_staging_and_keeps_the_site(tmp_path: Path) -> None:
    """Ctrl-C (serve's loop, or a terminal) mid-build: the published site stays, nothing is left beside
    it (serve's temporary preview folder is removed on exit, its staging sibling would not be), and the
    lock is free for the next build."""
    out = tmp_path / "public"
    build(CONFIG, out)
    before = {name: (out / name).read_bytes() for name in files(out)}
    site, _ = load_site(CONFIG)
    assert site is not None

    def interrupt_at_first_page(total: int):
        def on_page(done: int) -> None:
            raise KeyboardInterrupt
        return on_page

    with pytest.raises(KeyboardInterrupt):
        build_site(site, out, clean=True, progress=interrupt_at_first_page)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.lock", "public"]
    assert {name: (out / name).read_bytes() for name in files(out)} == before

    def must_not_wait(folder: Path) -> None:
        raise AssertionError("the interrupted build still holds the lock")

    result, report = build_site(site, out, on_wait=must_not_wait)
    assert result is not None, report.render()
