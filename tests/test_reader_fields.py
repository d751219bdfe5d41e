"""Front-matter fields a reader sees: who a note is for and when it last changed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import note, run_cli, write_site


def test_audience_and_updated_reach_the_page_the_feed_and_notes_json(tmp_path: Path, capsys) -> None:
    config = write_site(tmp_path / "site", {
        "notes/fresh.md": note("Fresh advice", audience="[ic]", updated="2024-07-01"),
        "notes/older.md": note("Older advice", updated="2023-01-15"),
        "notes/undated.md": note("Undated advice"),
    })
    out = tmp_path / "out"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    html = (out / "notes" / "fresh" / "index.html").read_text()
    assert 'For: <a href="/audiences/ic/">ICs</a>' in html
    assert 'Updated <time datetime="2024-07-01">1 July 2024</time>' in html
    assert '"dateModified": "2024-07-01"' in html
    assert "For: " not in (out / "notes" / "older" / "index.html").read_text()
    assert "Updated" not in (out / "notes" / "undated" / "index.html").read_text()
    assert "/notes/fresh/" in (out / "audiences" / "ic" / "index.html").read_text()
    assert "/notes/older/" not in (out / "audiences" / "ic" / "index.html").read_text()

    feed = (out / "feed.xml").read_text()
    entries = re.findall(r"<entry>.*?<id>[^<]*/notes/([a-z-]+)/</id>.*?<updated>([^<]+)</updated>", feed, re.S)
    assert entries[:2] == [("fresh", "2024-07-01T00:00:00Z"), ("older", "2023-01-15T00:00:00Z")]  # newest first
    assert re.search(r"<feed[^>]*>.*?<updated>2024-07-01T00:00:00Z</updated>", feed, re.S), "the feed's own date"

    records = {r["slug"]: r for r in json.loads((out / "notes.json").read_text())}
    assert (records["fresh"]["audience"], records["fresh"]["updated"]) == (["ic"], "2024-07-01")
    assert (records["undated"]["audience"], records["undated"]["updated"]) == ([], None)


def test_a_source_page_shows_its_author_and_format_and_a_page_its_summary(tmp_path: Path, capsys) -> None:
    source = ("---\ntitle: Field notes\nauthor: Dana Q. Writer\npublished: null\nurl: null\nformat: newsletter\n"
              "---\nOur summary of it.\n")
    page = "---\ntitle: About us\nsummary: Who keeps this guide.\n---\nHello.\n"
    config = write_site(tmp_path / "site", {"sources/field.md": source, "pages/about.md": page,
                                            "notes/one.md": note(sources="[{source: field}]")})
    out = tmp_path / "out"
    assert run_cli(capsys, "build", "--config", config, "--out", out)[0] == 0
    html = (out / "sources" / "field" / "index.html").read_text()
    assert "<dt>Author</dt><dd>Dana Q. Writer</dd>" in html
    assert "<dt>Format</dt><dd>newsletter</dd>" in html
    assert '<meta name="description" content="Who keeps this guide.">' in (out / "about" / "index.html").read_text()
