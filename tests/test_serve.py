"""`dsguide serve`: serves the built site, rebuilds on change, and tells open pages to reload."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from conftest import FIXTURE_SITE, copy_site


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
        time.sleep(2)
        status, html = fetch(f"{base}/notes/rest-days/")
        assert status == 200 and "Rest on purpose" in html
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "build failed; still serving the previous site" in output
    assert "error[yaml-syntax]" in output


def _listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0
