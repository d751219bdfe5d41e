"""`dsguide serve` in a real browser: open a note, edit its file, see the page change by itself."""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from browser import chromium_browser
from conftest import FIXTURE_SITE, copy_site

pytestmark = pytest.mark.browser


def test_an_edited_note_reloads_in_the_open_page(tmp_path: Path) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    server = subprocess.Popen([sys.executable, "-m", "dsguide", "serve", "--config", str(config), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()  # type: ignore[union-attr]
    try:
        while not (serving := re.search(r"serving .* at (http://\S+/)", lines.get(timeout=120))):
            pass
        base = serving[1]
        with chromium_browser() as browser:
            page = browser.new_page()  # type: ignore[attr-defined]
            page.goto(f"{base}notes/rest-days/")
            assert page.locator("h1").inner_text() == "Take rest days before you need them"
            note = tmp_path / "site" / "content" / "notes" / "rest-days.md"
            edited = time.perf_counter()
            note.write_text(note.read_text().replace("Take rest days before you need them", "Rest on purpose"))
            page.wait_for_function("document.querySelector('h1').textContent.includes('Rest on purpose')",
                                   timeout=60_000)
            print(f"edit to reloaded page: {time.perf_counter() - edited:.2f} s")
            assert "Rest on purpose" in page.title()
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close()  # type: ignore[union-attr]
