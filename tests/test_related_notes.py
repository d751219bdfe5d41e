"""Related notes as a reader sees them: the "Related notes" list on each built note page."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import note, run_cli, write_site

# Words no other note uses, so that only the field under test connects two notes.
FILLER = ["orchard", "lantern", "harbour", "meadow", "quarry", "violin", "glacier", "thimble", "saddle",
          "compass", "furnace", "pebble"]


def related(out: Path, slug: str) -> list[str]:
    html = (out / "notes" / slug / "index.html").read_text(encoding="utf-8")
    section = re.search(r'<section class="related".*?</section>', html, re.S)
    return re.findall(r'href="/notes/([a-z0-9-]+)/"', section[0]) if section else []


def build(capsys, root: Path, files: dict[str, str]) -> Path:
    config = write_site(root, files)
    code, _, err = run_cli(capsys, "build", "--config", config, "--out", root / "out")
    assert code == 0, err
    return root / "out"


def plain_notes(count: int) -> dict[str, str]:
    """`count` notes on one topic whose titles, summaries and bodies share nothing that weighs."""
    return {f"notes/n{i:02d}-plain.md": note(FILLER[i].title(), body=f"{FILLER[i]} {FILLER[i]}.")
            for i in range(count)}


def test_a_note_whose_body_matches_strongly_comes_first(tmp_path: Path, capsys) -> None:
    """The body text is what makes two notes similar: a twin body beats every alphabetical tie."""
    body = "Reconcile the ledger spreadsheet before the quarterly audit; the ledger audit catches drift."
    files = plain_notes(7)
    files["notes/aa-ledger.md"] = note("Keeping books", body=body)
    files["notes/zz-ledger.md"] = note("Closing the quarter", body=body)
    out = build(capsys, tmp_path, files)
    assert related(out, "aa-ledger")[0] == "zz-ledger"
    assert related(out, "zz-ledger")[0] == "aa-ledger"


def test_a_shared_tag_counts_for_relatedness(tmp_path: Path, capsys) -> None:
    files = plain_notes(7)
    files["notes/aa-tagged.md"] = note("Alpaca", body="Alpaca alpaca.", tags="[delegation]")
    files["notes/zz-tagged.md"] = note("Walrus", body="Walrus walrus.", tags="[delegation]")
    out = build(capsys, tmp_path, files)
    assert related(out, "aa-tagged")[0] == "zz-tagged"
    assert related(out, "zz-tagged")[0] == "aa-tagged"


def test_a_shared_topic_counts_more_than_no_topic(tmp_path: Path, capsys) -> None:
    files = {f"notes/h{i}.md": note(FILLER[i].title(), body=f"{FILLER[i]}.") for i in range(4)}
    files["notes/t-trust.md"] = note("Walrus", body="Walrus.", topics="[trust]")
    files["notes/a-trust.md"] = note("Alpaca", body="Alpaca.", topics="[trust]")
    out = build(capsys, tmp_path, files)
    assert related(out, "t-trust")[0] == "a-trust"
    assert related(out, "h0")[:3] == ["h1", "h2", "h3"]


def test_front_matter_related_comes_first_in_its_order(tmp_path: Path, capsys) -> None:
    body = "Reconcile the ledger spreadsheet before the quarterly audit; the ledger audit catches drift."
    files = plain_notes(7)
    files["notes/aa-ledger.md"] = note("Keeping books", body=body, related="[n05-plain, n02-plain]")
    files["notes/zz-ledger.md"] = note("Closing the quarter", body=body)
    out = build(capsys, tmp_path, files)
    shown = related(out, "aa-ledger")
    assert shown[:3] == ["n05-plain", "n02-plain", "zz-ledger"]
    assert len(shown) == 5 and len(set(shown)) == 5 and "aa-ledger" not in shown


def test_related_lists_are_the_same_in_separate_processes(tmp_path: Path) -> None:
    """Two builds in fresh interpreters with different hash seeds give the same related notes for
    every note (many ties, so any hash-ordered tie-break shows), and byte-identical pages."""
    files = {}
    for i in range(14):
        words = " ".join(FILLER[j % len(FILLER)] for j in (i % 3, i % 3 + 3))  # three groups of equal bodies
        files[f"notes/note-{i:02d}.md"] = note(f"Advice {i}", body=f"{words}.",
                                               tags="[delegation]" if i % 2 else "[feedback]")
    config = write_site(tmp_path / "site", files)
    outs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"out-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "dsguide", "build", "--quiet", "--config", str(config),
                        "--out", str(out)], env=env, check=True, timeout=120)
        outs.append(out)
    slugs = sorted(p.stem for p in (tmp_path / "site" / "content" / "notes").glob("*.md"))
    lists = [{slug: related(out, slug) for slug in slugs} for out in outs]
    assert all(len(shown) == 5 for shown in lists[0].values())
    assert lists[1] == lists[0] and lists[2] == lists[0]
    for out in outs[1:]:
        for page in (outs[0] / "notes").rglob("index.html"):
            assert page.read_bytes() == (out / page.relative_to(outs[0])).read_bytes(), page
