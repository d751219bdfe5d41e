"""Shared test helpers: the fixture site, building it, running the CLI, serving a folder."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from dsguide.cli import main as cli_main
from dsguide.pipeline import BuildResult, build_site, load_site

REPO = Path(__file__).resolve().parents[1]
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
SEEDS = (REPO.parent / "shared" / "seeds").resolve()


def copy_site(src: Path, dest: Path) -> Path:
    """Copy a fixture site so a test can change it; returns the copied site.yaml.

    The copy keeps pointing at the repository's templates and static files.
    """
    shutil.copytree(src, dest)
    config = dest / "site.yaml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("templates: ../../../templates", f"templates: {REPO / 'templates'}")
    text = text.replace("static: ../../../static", f"static: {REPO / 'static'}")
    config.write_text(text, encoding="utf-8")
    return config


def build(config: Path, out: Path, **kwargs) -> BuildResult:
    """Build a site that must be valid; fails the test with the diagnostics otherwise."""
    site, report = load_site(config, **kwargs)
    assert site is not None and not report.errors, report.render()
    result, build_report = build_site(site, out)
    assert result is not None, build_report.render()
    return result


def run_cli(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    """Run `dsguide ARGS` in-process; returns (exit code, stdout, stderr)."""
    try:
        code = cli_main([str(a) for a in args])
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(autouse=True, scope="session")
def _build_cache_outside_the_repository(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """`dsguide build` keeps a cache beside site.yaml; tests build the repository's fixtures, so theirs
    goes to a temporary folder (DSGUIDE_CACHE_DIR, inherited by the processes tests start)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DSGUIDE_CACHE_DIR", str(tmp_path_factory.mktemp("dsguide-cache")))
        yield


@pytest.fixture
def site_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture site; returns its site.yaml."""
    return copy_site(FIXTURE_SITE, tmp_path / "site")


@pytest.fixture(scope="session")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per test session; returns the output folder."""
    out = tmp_path_factory.mktemp("fixture-build") / "public"
    build(FIXTURE_SITE / "site.yaml", out)
    return out


@pytest.fixture(scope="session")
def built_repo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own site.yaml and content/, built once per session."""
    out = tmp_path_factory.mktemp("repo-build") / "public"
    build(REPO / "site.yaml", out)
    return out


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on a free loopback port in a thread; returns (server, base URL)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_fixture(built_fixture: Path) -> Iterator[str]:
    server, url = serve(built_fixture)
    yield url
    server.shutdown()
    server.server_close()


MINIMAL_CONFIG = f"""\
title: Tiny
description: A tiny site for one test.
base_url: https://tiny.example.org/
templates: {REPO / 'templates'}
static: {REPO / 'static'}
topics:
  - slug: hiring
    name: Hiring
    description: Hiring people.
  - slug: trust
    name: Trust
    description: Trusting people.
audiences:
  - slug: ic
    name: ICs
"""

SOURCE = """\
---
title: An essay
author: null
published: null
url: null
format: essay
sections: [Start, End]
---
Our summary.
"""


def write_site(root: Path, files: dict[str, str], config: str = MINIMAL_CONFIG) -> Path:
    """Write an inline site: `files` maps paths under content/ to their text. Returns site.yaml.

    A source `content/sources/essay.md` is always there, so notes can cite `essay`.
    """
    root.mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(config, encoding="utf-8")
    for relative, text in {"sources/essay.md": SOURCE, **files}.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "site.yaml"


def note(title: str = "A note", body: str = "Some advice.", *, source_section: bool = True, **fields: str) -> str:
    """A valid note's text; keyword arguments replace or add front-matter lines (raw YAML values).

    A note with sources gets the evidence, review date and '## What the source says' section it needs."""
    meta = {"title": title, "summary": "A short summary.", "topics": "[hiring]",
            "sources": "[{source: essay, section: Start}]", **fields}
    meta = {**meta, "evidence": "{kind: opinion, context: One essay.}",
            "reviewed": dt.date.today().isoformat(), **fields}
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items() if value is not None)
    sourced = meta.get("sources") not in (None, "[]") and meta.get("original") != "true"
    with_section = sourced and body and source_section
    section = "\n\n## What the source says\n\nThe essay says so." if with_section else ""
    return f"---\n{lines}---\n{body}{section}\n"
