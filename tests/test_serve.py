"""`dsguide serve`: serves the built site, rebuilds on change, and tells open pages to reload."""

from __future__ import annotations

import argparse
import functools
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, REPO, build, copy_site, run_cli

from dsguide.commands import serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def wait_until(predicate, seconds: float = 30.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_serve_rebuilds_and_reloads_on_change(tmp_path: Path) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "dsguide", "serve", "--config", str(config), "--out", str(tmp_path / "out"),
         "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    lines: list[str] = []  # serve's output, read as it comes, so the test can wait on what serve says
    reader = threading.Thread(target=lambda: lines.extend(server.stdout), daemon=True)
    reader.start()
    try:
        assert wait_until(lambda: (tmp_path / "out" / "index.html").exists() and _listening(port))
        status, html = fetch(f"{base}/notes/rest-days/")
        assert status == 200 and "Take rest days before you need them" in html
        assert "/__dsguide/reload?since=" in html  # live reload is injected by the server only
        assert "__dsguide" not in (tmp_path / "out" / "notes" / "rest-days" / "index.html").read_text()
        status, html = fetch(f"{base}/no/such/page/")
        assert status == 404 and "Page not found" in html

        note = tmp_path / "site" / "content" / "notes" / "rest-days.md"
        note.write_text(note.read_text().replace("Take rest days before you need them", "Rest on purpose"))
        assert wait_until(lambda: "Rest on purpose" in fetch(f"{base}/notes/rest-days/")[1])
        status, version = fetch(f"{base}/__dsguide/reload?since=1")
        assert status == 200 and int(version) >= 2

        note.write_text("---\ntitle: [broken\n---\n")  # a failed rebuild keeps serving the last good site
        assert wait_until(lambda: 'id="dsguide-build-errors"' in fetch(f"{base}/notes/rest-days/")[1])
        status, html = fetch(f"{base}/notes/rest-days/")
        assert status == 200 and "Rest on purpose" in html
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
    output = "".join(lines)
    assert "build failed; still serving the previous site" in output
    assert "error[yaml-syntax]" in output


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Serving:
    """`dsguide serve ARGS` in a subprocess; a thread collects its output so every wait can time out."""

    def __init__(self, *args: str | Path) -> None:
        self.process = subprocess.Popen([sys.executable, "-m", "dsguide", "serve", *map(str, args)],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=lambda: self.lines.extend(self.process.stdout), daemon=True).start()
        assert wait_until(lambda: "(Ctrl-C stops)" in self.output or self.process.poll() is not None, 60), \
            self.output
        found = re.search(r"^serving (.+) at (http://\S+)/ \(Ctrl-C stops\)$", self.output, re.M)
        assert found, self.output
        self.folder, self.base = Path(found[1]), found[2]

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> str:
        """SIGTERM, as the other test does; serve must still clean up after itself."""
        self.process.terminate()
        self.process.wait(timeout=30)
        return self.output


def writable_templates_site(root: Path) -> Path:
    """The fixture site with its own copy of the templates, so a test can break one; returns site.yaml."""
    shutil.copytree(FIXTURE_SITE, root)
    shutil.copytree(REPO / "templates", root / "templates")
    config = root / "site.yaml"
    config.write_text(config.read_text().replace("../../../templates", "templates")
                      .replace("../../../static", str(REPO / "static")))
    return config


def test_a_busy_port_is_one_line_and_exit_2_before_anything_is_built(tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, out, err = run_cli(capsys, "serve", "--config", config, "--out", tmp_path / "out", "--port", port)
    assert (code, out) == (2, "")
    assert err == f"dsguide serve: error: cannot listen on 127.0.0.1:{port}: address already in use\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_a_port_out_of_range_is_a_usage_error(port: str, tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "serve", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "o",
                           "--port", port)
    assert code == 2 and "argument --port" in err and "Traceback" not in err
    assert not (tmp_path / "o").exists()


def test_an_unusable_host_is_one_line_and_exit_2(tmp_path: Path, capsys) -> None:
    code, _, err = run_cli(capsys, "serve", "--config", FIXTURE_SITE / "site.yaml", "--out", tmp_path / "o",
                           "--host", "256.1.1.1")
    assert code == 2 and err.startswith("dsguide serve: error: cannot listen on 256.1.1.1:8000: ")
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize("inside", ["site/content/preview", "site"])
def test_an_out_folder_that_serve_watches_is_refused(inside: str, tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    code, _, err = run_cli(capsys, "serve", "--config", config, "--out", tmp_path / inside, "--port", "0")
    assert code == 2 and err.startswith(f"dsguide serve: error: --out {tmp_path / inside} overlaps ")
    assert not (tmp_path / "site" / "content" / "preview").exists()


def test_port_0_serves_and_links_the_port_it_got_from_a_temporary_folder(tmp_path: Path) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    serving = Serving("--config", config, "--port", "0")
    try:
        port = int(serving.base.rpartition(":")[2])
        assert port != 0 and serving.base == f"http://127.0.0.1:{port}"
        status, html = fetch(f"{serving.base}/notes/rest-days/")
        assert status == 200 and f'<link rel="canonical" href="{serving.base}/notes/rest-days/">' in html
        assert serving.folder.name.startswith("dsguide-serve-") and (serving.folder / "index.html").is_file()
    finally:
        serving.stop()
    assert not serving.folder.exists()  # the temporary build goes when serve does


def test_a_temporary_preview_leaves_no_lock_file_or_build_cache_behind(tmp_path: Path) -> None:
    """Each serve session has a new temporary folder: what belongs to it alone goes with it."""
    from dsguide.cache import manifest_path
    from dsguide.config import load_config

    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    serving = Serving("--config", config, "--port", "0")
    site_config, _ = load_config(config)
    assert site_config is not None
    manifest = manifest_path(site_config, serving.folder)
    try:
        assert manifest.is_file() and (serving.folder.parent / f".{serving.folder.name}.lock").exists()
    finally:
        serving.stop()
    assert not serving.folder.exists()
    assert [p.name for p in serving.folder.parent.glob(f".{serving.folder.name}*")] == []
    assert not manifest.exists()


def test_serve_leaves_the_configured_output_folder_alone(tmp_path: Path) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    public = tmp_path / "site" / "public"  # site.yaml's default `output`
    build(config, public)
    before = {p: p.read_bytes() for p in public.rglob("*") if p.is_file()}
    serving = Serving("--config", config, "--port", "0")
    try:
        assert fetch(f"{serving.base}/")[0] == 200
        assert not serving.folder.is_relative_to(public)
    finally:
        serving.stop()
    assert {p: p.read_bytes() for p in public.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("query", ["since=abc", "since=", "since", "other=1", "since=1.5&since=2"])
def test_a_malformed_reload_query_gets_an_answer(query: str, built_fixture: Path) -> None:
    server = serve.listen("127.0.0.1", 0)
    server.RequestHandlerClass = functools.partial(serve.Handler, directory=str(built_fixture))
    serve.Handler.state = serve.BuildState()
    serve.Handler.state.bump()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert fetch(f"http://127.0.0.1:{server.server_address[1]}/__dsguide/reload?{query}") == (200, "1")
    finally:
        server.shutdown()
        server.server_close()


def test_a_rebuild_that_raises_keeps_serving_and_watching(tmp_path: Path) -> None:
    config = writable_templates_site(tmp_path / "site")
    template = tmp_path / "site" / "templates" / "note.html"
    good = template.read_text()
    assert "<h1 data-pagefind-meta=\"title\">" in good
    serving = Serving("--config", config, "--port", "0")
    page = f"{serving.base}/notes/rest-days/"
    try:
        assert "Take rest days before you need them" in fetch(page)[1]
        template.write_text(good.replace("<h1 data-pagefind-meta", "{{ 1 // 0 }}<h1 data-pagefind-meta"))
        assert wait_until(lambda: serving.output.count("still serving the previous site") == 1)
        template.write_bytes(good.encode() + b"\xff\xfe not UTF-8\n")
        assert wait_until(lambda: serving.output.count("still serving the previous site") == 2)
        status, html = fetch(page)
        assert status == 200 and "Take rest days before you need them" in html
        template.write_text(good.replace("<h1 data-pagefind-meta", "<p>Template fixed</p><h1 data-pagefind-meta"))
        assert wait_until(lambda: "Template fixed" in fetch(page)[1])  # still watching
    finally:
        output = serving.stop()
    assert "ZeroDivisionError" in output and "not UTF-8" in output  # named, whichever layer catches it
    assert "Traceback" not in output


def test_an_unexpected_exception_in_a_rebuild_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    """Whatever the pipeline does not turn into a diagnostic still must not end the serve loop."""
    def explode(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("integer division or modulo by zero")

    monkeypatch.setattr(serve, "build_site", explode)
    args = serve.add_parser(argparse.ArgumentParser().add_subparsers()).parse_args(
        ["--config", str(FIXTURE_SITE / "site.yaml")])
    state = serve.BuildState()
    assert serve.rebuild(args, state, tmp_path / "out", "http://127.0.0.1:1/") is None
    assert state.version == 0
    assert capsys.readouterr().err.splitlines()[-2:] == [
        "rebuild failed: ZeroDivisionError: integer division or modulo by zero",
        "build failed; still serving the previous site"]


def test_an_unexpected_exception_is_printed_escaped(tmp_path: Path, monkeypatch, capsys) -> None:
    """An exception's text can carry a content file's name or words: the terminal gets it escaped."""
    def explode(*args: object, **kwargs: object) -> None:
        raise ValueError("bad file content/notes/\x1b]0;pwned\x07\u202eevil.md")

    monkeypatch.setattr(serve, "build_site", explode)
    args = serve.add_parser(argparse.ArgumentParser().add_subparsers()).parse_args(
        ["--config", str(FIXTURE_SITE / "site.yaml")])
    assert serve.rebuild(args, serve.BuildState(), tmp_path / "out", "http://127.0.0.1:1/") is None
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\u202e" not in err
    assert "rebuild failed: ValueError: bad file content/notes/\\x1b]0;pwned\\x07\\u202eevil.md" in err
