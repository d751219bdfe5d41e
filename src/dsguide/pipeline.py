"""The pipeline, in order. Read this first.

    load_site:  config → discover → front matter → validate → markdown (parse) → graph
    build_site: render → write (staging) → search index → publish (swap in)

`dsguide check` runs `load_site` alone; `dsguide build` runs both. Each stage takes typed values
and returns (value, diagnostics), so one run reports every problem.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .cache import FileRecord, Manifest, global_key, load_manifest, parse_cached, print_notice, save_manifest
from .config import SiteConfig, load_config
from .diagnostics import Report, error
from .discover import discover
from .fingerprint import check_copies
from .front_matter import body_only_documents, read_documents, read_texts
from .graph import build_graph
from .markdown import parse_all
from .model import ContentFile, Site
from .og_image import write_og_images
from .render import Renderer, TemplateFailure, Written, plan, render_pages, write_page
from .search import SearchIndexError, index_site
from .validate import section_rules, validate
from .write import (
    copy_static,
    discard,
    link_file,
    link_tree,
    output_lock,
    output_problem,
    publish,
    recover,
    replace_folder,
    staging_dir,
)


@dataclass(frozen=True)
class BuildResult:
    notes: int
    pages: int  # HTML pages written
    files: int  # every file written, before the search index
    search_pages: int
    seconds: float
    out_dir: Path
    rendered: int = 0  # pages rendered this time (the others were carried over from the cache)
    indexed: bool = True  # Pagefind ran (False: the previous index was still current)
    timings: tuple[tuple[str, float], ...] = ()  # seconds per stage

    def stage_report(self) -> str:
        rows = [f"  {name:<22} {seconds:7.2f} s" for name, seconds in self.timings]
        search = "rebuilt" if self.indexed else "carried over (no indexed page changed)"
        return "\n".join([*rows, f"  pages rendered {self.rendered} of {self.pages}; search index {search}"])

    def summary(self) -> str:
        return (f"built {self.notes} notes, {self.pages} pages, search index {self.search_pages} pages "
                f"in {self.seconds:.1f} s")


def build_date() -> dt.datetime | None:
    """The reproducible build time from SOURCE_DATE_EPOCH, or None: output carries no clock time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit() else None


def load_site(config_path: Path, *, include_drafts: bool = False, base_url: str | None = None,
              use_cache: bool = False) -> tuple[Site | None, Report]:
    """Read, validate and connect the content: everything but rendering.

    With `use_cache` (build and serve), bodies unchanged since the last build are not parsed again:
    their headings, links, text and diagnostics come from the build cache (cache.parse_cached).
    """
    report = Report()
    config, found = load_config(config_path, base_url=base_url)
    report.extend(found)
    if config is None:
        return None, report
    files, found = discover(config)                      # which files, which slugs
    report.extend(found)
    report.files_checked = len(files)
    texts, found = read_texts(files)                     # each file read once
    report.extend(found)
    report.extend(check_copies(files, texts, config.content_dir / "sources", config.root))  # the copy guard
    documents, found = read_documents(files, texts)      # front matter split, YAML located
    report.extend(found)
    content, found = validate(config, documents)         # schema + vocabularies → typed content
    report.extend(found)
    content = replace(content, claimed=claimed_slugs(files),  # a file that failed to parse still has its slug,
                      rejected=content.rejected + tuple(body_only_documents(files, texts, documents)))  # and its body
    markdown, found = parse_cached(config, content) if use_cache else parse_all(content)  # no HTML yet
    report.extend(found)
    report.extend(section_rules(content, markdown))      # the source's section, apart from ours
    site, found = build_graph(config, content, markdown, include_drafts=include_drafts)
    report.extend(found)
    return replace(site, build_date=build_date()), report


def claimed_slugs(files: list[ContentFile]) -> dict[str, frozenset[str]]:
    """Every slug a discovered file claims, by kind, whether or not its front matter parsed: a link to a
    note with a YAML error is that note's problem, not a second "names no note" error."""
    kinds: dict[str, set[str]] = {}
    for file in files:
        kinds.setdefault(file.kind, set()).add(file.slug)
    return {kind: frozenset(slugs) for kind, slugs in kinds.items()}


def waiting_notice(out_dir: Path) -> None:
    print(f"waiting for another build of {out_dir} to finish", file=sys.stderr, flush=True)


class StageClock:
    """Seconds per pipeline stage, for `build --verbose`."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []
        self.last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages.append((name, now - self.last))
        self.last = now


def build_site(site: Site, out_dir: Path, started: float | None = None,
               on_wait: Callable[[Path], None] = waiting_notice, *, jobs: int = 1, use_cache: bool = False,
               clean: bool = False, notice: Callable[[str], None] = print_notice,
               progress: Callable[[int], Callable[[int], None]] | None = None,
               pages_first: Callable[[], None] | None = None) -> tuple[BuildResult | None, Report]:
    """Render and publish a loaded site. On any failure the previous `out_dir` is left as it was.

    Builds of the same output folder take turns: a second one calls `on_wait` and waits.
    `jobs` worker processes render pages. With `use_cache`, pages whose inputs did not change are
    carried over from the published site and Pagefind runs only if an indexed page changed
    (`clean` ignores what the cache holds). `progress(total)` returns a callback told of each
    page rendered. With `pages_first` (serve), changed pages are published at once with the previous
    search index, `pages_first` is called, and the new index is swapped in after Pagefind; a
    Pagefind failure then leaves the new pages with the previous index.
    """
    started = time.perf_counter() if started is None else started
    clock = StageClock()
    report = Report()
    config = site.config
    out_dir = out_dir.resolve()  # a symlinked output folder: publish into the folder it points at
    if problem := output_problem(out_dir, config.root, config.source_dirs):
        report.extend([error(str(out_dir), 0, 0, "bad-output", f"output folder {out_dir} {problem}")])
        return None, report
    try:
        renderer, machine_files = plan(site)             # every page as a job; feeds and JSON made
    except TemplateFailure as failure:                   # nothing written yet: the old site stands
        report.extend([failure.diagnostic])
        return None, report
    site_key = global_key(config, site.include_drafts, site.build_date) if use_cache else ""
    clock.lap("plan")
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(output_lock(out_dir, lambda: on_wait(out_dir)))  # e.g. a parent not writable
            recover(out_dir)                             # what a killed build left behind
            if problem := output_problem(out_dir, config.root, config.source_dirs):  # changed while we waited
                report.extend([error(str(out_dir), 0, 0, "bad-output", f"output folder {out_dir} {problem}")])
                return None, report
        except OSError as exc:
            report.extend([error(str(out_dir), 0, 0, "write-failed", str(exc))])
            return None, report
        previous = load_manifest(config, out_dir, notice) if use_cache and not clean else None
        keys = {job.output: renderer.job_key(job, site_key) for job in renderer.jobs} if use_cache else {}
        clock.lap("cache lookup")
        if previous is not None and _published_is_current(out_dir, previous, keys, machine_files):
            pages = sum(1 for name in keys if name.endswith(".html"))  # nothing changed: nothing to publish
            return BuildResult(len(site.content.notes), pages, len(keys) + len(machine_files),
                               previous.search_pages, time.perf_counter() - started, out_dir, 0, False,
                               tuple(clock.stages)), report
        try:
            staging = staging_dir(out_dir)
        except OSError as exc:
            report.extend([error(str(out_dir), 0, 0, "write-failed", str(exc))])
            return None, report
        try:
            files, rendered = _stage_pages(renderer, machine_files, staging, out_dir, previous, keys,
                                           jobs, progress, clock)
            copy_static(config.static_dir, staging)
            write_og_images(site, staging, out_dir if previous is not None else None, jobs)  # share images
            clock.lap("share images")
            if pages_first and previous and previous.search_entry and (out_dir / "pagefind").is_dir():
                link_tree(out_dir / "pagefind", staging / "pagefind")  # the previous index, for now
                publish(staging, out_dir)
                clock.lap("publish pages")
                return _index_after(site, out_dir, files, previous, site_key, pages_first, notice, started,
                                    rendered, clock, report)
            search_pages, indexed = _search_index(staging, out_dir, files, previous, config.pagefind_timeout)
            clock.lap("search index" if indexed else "search index (kept)")
            publish(staging, out_dir)                    # swap in only a complete site
            clock.lap("publish")
        except TemplateFailure as failure:
            discard(staging)
            report.extend([failure.diagnostic])
            return None, report
        except (SearchIndexError, OSError) as exc:
            discard(staging)
            code = "search-index" if isinstance(exc, SearchIndexError) else "write-failed"
            report.extend([error(str(out_dir), 0, 0, code, str(exc))])
            return None, report
        except BaseException:                            # Ctrl-C, or a bug: still leave nothing behind
            discard(staging)
            raise
        if use_cache:
            entry = out_dir / "pagefind" / "pagefind-entry.json"
            _save(config, out_dir, Manifest(str(out_dir), site_key, files, search_pages, _digest(entry)), notice)
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildResult(len(site.content.notes), pages, len(files), search_pages,
                       time.perf_counter() - started, out_dir, rendered, indexed, tuple(clock.stages)), report


def _index_after(site: Site, out_dir: Path, files: dict[str, FileRecord], previous: Manifest, site_key: str,
                 pages_first: Callable[[], None], notice: Callable[[str], None], started: float, rendered: int,
                 clock: StageClock, report: Report) -> tuple[BuildResult | None, Report]:
    """Second half of a pages-first build (under the lock): the pages are published with the previous
    index; refresh the index if an indexed page changed, and swap the new one in."""
    config = site.config
    entry = out_dir / "pagefind" / "pagefind-entry.json"
    changed = (previous.indexed() != {(n, r.sha) for n, r in files.items() if r.indexed}
               or _digest(entry) != previous.search_entry)
    # until the new index is in, the cache says the index is not current: a failure here is redone next time
    _save(config, out_dir, Manifest(str(out_dir), site_key, files, previous.search_pages, ""), notice)
    pages_first()
    search_pages, bundle = previous.search_pages, None
    if changed:
        try:
            bundle = staging_dir(out_dir)
            search_pages = index_site(out_dir, bundle, config.pagefind_timeout)
            replace_folder(bundle, out_dir / "pagefind")
            clock.lap("search index, after")
        except (SearchIndexError, OSError) as exc:
            if bundle is not None:
                discard(bundle)
            code = "search-index" if isinstance(exc, SearchIndexError) else "write-failed"
            report.extend([error(str(out_dir), 0, 0, code, f"{exc} (the pages are published; the search "
                                 "index is the previous one)")])
            return None, report
        except BaseException:
            if bundle is not None:
                discard(bundle)
            raise
    _save(config, out_dir, Manifest(str(out_dir), site_key, files, search_pages, _digest(entry)), notice)
    pages = sum(1 for name in files if name.endswith(".html"))
    return BuildResult(len(site.content.notes), pages, len(files), search_pages, time.perf_counter() - started,
                       out_dir, rendered, changed, tuple(clock.stages)), report


def _digest(path: Path) -> str:
    """sha256 of a file's bytes, or "" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""


def _save(config: SiteConfig, out_dir: Path, manifest: Manifest, notice: Callable[[str], None]) -> None:
    try:
        save_manifest(config, replace(manifest, files=_with_other_files(out_dir, manifest.files)))
    except OSError as exc:  # the site is published; the next build is merely slower
        notice(f"could not save the build cache: {exc}")


def _published_is_current(out_dir: Path, previous: Manifest, keys: dict[str, str],
                          machine_files: dict[str, str]) -> bool:
    """Whether the published site is exactly what this build would publish: the same files, none of
    them touched since, every page made from the same inputs and every other file the same bytes."""
    if not previous.search_entry or set(_published_files(out_dir)) != set(previous.files):
        return False  # the search index is behind the pages (see _index_after), or files differ
    for name, record in previous.files.items():
        if name in keys:
            same = record.key == keys[name]
        elif name in machine_files:
            same = record.sha == hashlib.sha256(machine_files[name].encode("utf-8")).hexdigest()
        else:  # static files (their bytes are in every key), the search index, the marker
            same = True
        if not same or previous.reusable(out_dir, name) is None:
            return False
    return set(keys) | set(machine_files) <= set(previous.files)


def _published_files(out_dir: Path) -> list[str]:
    found = []
    for folder, _, names in os.walk(out_dir):
        relative = Path(folder).relative_to(out_dir)
        found += [(relative / name).as_posix() for name in names]
    return found


def _with_other_files(out_dir: Path, files: dict[str, FileRecord]) -> dict[str, FileRecord]:
    """The manifest's files plus every other published file (static, search index, marker), so that a
    later build can tell that nothing in the folder has changed."""
    out = dict(files)
    for name in _published_files(out_dir):
        if name not in out:
            stat = (out_dir / name).stat()
            out[name] = FileRecord("", "", stat.st_size, stat.st_mtime_ns, False)
    return dict(sorted(out.items()))


def _stage_pages(renderer: Renderer, machine_files: dict[str, str], staging: Path, out_dir: Path,
                 previous: Manifest | None, keys: dict[str, str], jobs: int,
                 progress: Callable[[int], Callable[[int], None]] | None,
                 clock: StageClock) -> tuple[dict[str, FileRecord], int]:
    """Fill the staging folder: carry over pages whose inputs did not change, render the others, and
    link every file whose bytes came out the same (so the published file is not rewritten)."""
    files: dict[str, FileRecord] = {}
    to_render = []
    for job in renderer.jobs:
        key = keys.get(job.output, "")
        record = previous.reusable(out_dir, job.output) if previous else None
        if record is not None and key and record.key == key:
            link_file(out_dir / job.output, staging / job.output)
            files[job.output] = record
        else:
            to_render.append(job)
    clock.lap("carry over")
    on_page = progress(len(to_render)) if progress else None
    written = render_pages(renderer, to_render, staging, jobs, on_page)
    written += [write_page(staging, name, text) for name, text in sorted(machine_files.items())]
    clock.lap(f"render ({len(to_render)} pages)")
    for item in written:
        files[item.output] = _record(item, keys.get(item.output, ""), staging, out_dir, previous)
    return dict(sorted(files.items())), len(to_render)


def _record(item: Written, key: str, staging: Path, out_dir: Path, previous: Manifest | None) -> FileRecord:
    """The manifest entry of a staged file; an unchanged file is swapped for the published one."""
    record = previous.reusable(out_dir, item.output) if previous else None
    if record is not None and record.sha == item.sha:
        link_file(out_dir / item.output, staging / item.output)
        return FileRecord(key, record.sha, record.size, record.mtime_ns, record.indexed)
    stat = (staging / item.output).stat()
    return FileRecord(key, item.sha, stat.st_size, stat.st_mtime_ns, item.indexed)


def _search_index(staging: Path, out_dir: Path, files: dict[str, FileRecord],
                  previous: Manifest | None, timeout: float) -> tuple[int, bool]:
    """Run Pagefind over the staging folder, or carry the published index over when every page it
    indexes is unchanged and the index is the one the last build made. Returns (pages, ran)."""
    entry = out_dir / "pagefind" / "pagefind-entry.json"
    unchanged = previous is not None and previous.indexed() == {(n, r.sha) for n, r in files.items() if r.indexed}
    if unchanged and previous is not None and previous.search_entry and _digest(entry) == previous.search_entry:
        link_tree(out_dir / "pagefind", staging / "pagefind")
        return previous.search_pages, False
    return index_site(staging, timeout=timeout), True
