"""Promises the command line makes: exit codes, read-only checks, limits, reproducible dates."""

from __future__ import annotations

import pathlib
import re
from pathlib import Path

import pytest
from conftest import FIXTURE_SITE, copy_site, note, run_cli, write_site

# --- Ctrl-C -------------------------------------------------------------------------------------

def _interrupt_reading_notes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Press Ctrl-C (raise KeyboardInterrupt) the moment a command reads its first note, whether it
    reads text or bytes."""
    read: list[str] = []

    def interrupting(real):
        def reader(self: Path, *args, **kwargs):
            if self.suffix == ".md" and "notes" in self.parts:
                read.append(self.name)
                raise KeyboardInterrupt
            return real(self, *args, **kwargs)
        return reader

    for name in ("read_text", "read_bytes"):
        monkeypatch.setattr(pathlib.Path, name, interrupting(getattr(pathlib.Path, name)))
    return read


@pytest.mark.parametrize("command", ["build", "check"])
def test_ctrl_c_exits_130_and_publishes_nothing(command: str, tmp_path: Path, capsys,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    read = _interrupt_reading_notes(monkeypatch)
    out = tmp_path / "public"
    extra = ["--out", out] if command == "build" else []
    code, _, err = run_cli(capsys, command, "--config", FIXTURE_SITE / "site.yaml", *extra)
    assert read, "the interrupt never happened"
    assert code == 130
    assert "Traceback" not in err
    assert not out.exists()


# --- schema --check is read-only ----------------------------------------------------------------

def test_schema_check_never_rewrites_stale_or_missing_files(tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    schema = tmp_path / "site" / "schema"
    assert run_cli(capsys, "schema", "--config", config)[0] == 0
    (schema / "note.schema.json").write_text('{"stale": true}\n')
    (schema / "page.schema.json").unlink()
    before = {p.name: p.read_bytes() for p in schema.iterdir()}
    code, out, err = run_cli(capsys, "schema", "--check", "--config", config)
    assert code == 1
    assert "note.schema.json" in err and "page.schema.json" in err
    assert {p.name: p.read_bytes() for p in schema.iterdir()} == before, "--check must only read"
    assert run_cli(capsys, "schema", "--config", config)[0] == 0  # without --check it repairs them
    assert run_cli(capsys, "schema", "--check", "--config", config)[0] == 0


def test_schema_check_on_a_site_without_schemas_creates_no_folder(tmp_path: Path, capsys) -> None:
    config = copy_site(FIXTURE_SITE, tmp_path / "site")
    assert run_cli(capsys, "schema", "--check", "--config", config)[0] == 1
    assert not (tmp_path / "site" / "schema").exists()


# --- new ----------------------------------------------------------------------------------------

def test_new_refuses_four_topics_and_writes_nothing(site_copy: Path, capsys) -> None:
    notes = site_copy.parent / "content" / "notes"
    before = sorted(p.name for p in notes.iterdir())
    code, out, err = run_cli(capsys, "new", "Four topics at once", "--config", site_copy,
                             *(arg for t in ("hiring", "trust", "burnout", "ic-vs-manager") for arg in ("--topic", t)))
    assert code == 2 and out == ""
    assert "at most 3 topics" in err
    assert sorted(p.name for p in notes.iterdir()) == before


def test_new_accepts_three_topics(site_copy: Path, capsys) -> None:
    code, out, _ = run_cli(capsys, "new", "Three topics at once", "--config", site_copy,
                           "--topic", "hiring", "--topic", "trust", "--topic", "burnout")
    assert code == 0
    written = site_copy.parent / out.strip()
    assert "topics: [hiring, trust, burnout]" in written.read_text()


# --- SOURCE_DATE_EPOCH --------------------------------------------------------------------------

def _feed_dates(out: Path) -> set[str]:
    return set(re.findall(r"<updated>([^<]+)</updated>", (out / "feed.xml").read_text()))


def test_source_date_epoch_dates_the_feed_and_nothing_else_does(tmp_path: Path, capsys,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Notes without `updated` take the build date, which only SOURCE_DATE_EPOCH may set."""
    config = write_site(tmp_path / "site", {"notes/undated.md": note("Undated advice")})
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert run_cli(capsys, "build", "--config", config, "--out", tmp_path / "plain")[0] == 0
    assert _feed_dates(tmp_path / "plain") == {"1970-01-01T00:00:00Z"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    assert run_cli(capsys, "build", "--config", config, "--out", tmp_path / "dated")[0] == 0
    assert _feed_dates(tmp_path / "dated") == {"2023-11-14T00:00:00Z"}
    plain, dated = (tmp_path / "plain" / "sitemap.xml").read_text(), (tmp_path / "dated" / "sitemap.xml").read_text()
    assert plain == dated and "1970" not in dated, "the sitemap carries no clock time"
