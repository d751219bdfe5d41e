"""The pipeline, in order. Read this first.

    load_site:  config → discover → front matter → validate → markdown (parse) → graph
    build_site: render → write (staging) → search index → publish (swap in)

`dsguide check` runs `load_site` alone; `dsguide build` runs both. Each stage takes typed values
and returns (value, diagnostics), so one run reports every problem.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .config import load_config
from .diagnostics import Report, error
from .discover import discover
from .front_matter import read_documents
from .graph import build_graph
from .markdown import parse_all
from .model import Site
from .render import TemplateFailure, render
from .search import SearchIndexError, index_site
from .validate import validate
from .write import discard, output_problem, publish, staging_dir, write_staging


@dataclass(frozen=True)
class BuildResult:
    notes: int
    pages: int  # HTML pages written
    files: int  # every file written, before the search index
    search_pages: int
    seconds: float
    out_dir: Path

    def summary(self) -> str:
        return (f"built {self.notes} notes, {self.pages} pages, search index {self.search_pages} pages "
                f"in {self.seconds:.1f} s")


def build_date() -> dt.datetime | None:
    """The reproducible build time from SOURCE_DATE_EPOCH, or None: output carries no clock time."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch and epoch.isdigit() else None


def load_site(config_path: Path, *, include_drafts: bool = False,
              base_url: str | None = None) -> tuple[Site | None, Report]:
    """Read, validate and connect the content: everything but rendering."""
    report = Report()
    config, found = load_config(config_path, base_url=base_url)
    report.extend(found)
    if config is None:
        return None, report
    files, found = discover(config)                      # which files, which slugs
    report.extend(found)
    report.files_checked = len(files)
    documents, found = read_documents(files)             # front matter split, YAML located
    report.extend(found)
    content, found = validate(config, documents)         # schema + vocabularies → typed content
    report.extend(found)
    markdown, found = parse_all(content)                 # tokens, headings, wikilinks; no HTML yet
    report.extend(found)
    site, found = build_graph(config, content, markdown, include_drafts=include_drafts)
    report.extend(found)
    return replace(site, build_date=build_date()), report


def build_site(site: Site, out_dir: Path, started: float | None = None) -> tuple[BuildResult | None, Report]:
    """Render and publish a loaded site. On any failure the previous `out_dir` is left as it was."""
    started = time.perf_counter() if started is None else started
    report = Report()
    config = site.config
    out_dir = out_dir.resolve()  # a symlinked output folder: publish into the folder it points at
    if problem := output_problem(out_dir, config.root, config.source_dirs):
        report.extend([error(str(out_dir), 0, 0, "bad-output", f"output folder {out_dir} {problem}")])
        return None, report
    try:
        outputs = render(site)                           # every page, feed and JSON file, in memory
    except TemplateFailure as failure:                   # nothing written yet: the old site stands
        report.extend([failure.diagnostic])
        return None, report
    staging = staging_dir(out_dir)
    try:
        write_staging(outputs, config.static_dir, out_dir)
        search_pages = index_site(staging, config.pagefind_timeout)  # Pagefind over the staged HTML
        publish(staging, out_dir)                        # swap in only a complete site
    except (SearchIndexError, OSError) as exc:
        discard(staging)
        code = "search-index" if isinstance(exc, SearchIndexError) else "write-failed"
        report.extend([error(str(out_dir), 0, 0, code, str(exc))])
        return None, report
    pages = sum(1 for name in outputs if name.endswith(".html"))
    return BuildResult(len(site.content.notes), pages, len(outputs), search_pages,
                       time.perf_counter() - started, out_dir), report
