"""The build cache (`.dsguide-cache/` beside site.yaml): what the last build of an output folder wrote.

For each file of the published site the manifest records the digest of the inputs it was made
from (`Renderer.job_key`), the digest of its bytes and the size and modification time it had when
written. The next build of the same folder renders only pages whose inputs changed; every other
file is hard-linked from the published site into the new staging folder (after checking that it
is still the file the manifest describes), and Pagefind runs only when a page it indexes changed.
A manifest that cannot be read, or was written by another dsguide or for another folder, is
discarded with a notice and never trusted.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import __version__
from .config import SiteConfig
from .diagnostics import Diagnostic, Severity
from .markdown import make_markdown, parse_document
from .model import Content, Heading, ParsedMarkdown, WikiLink

CACHE_DIR = ".dsguide-cache"
CACHE_ENV = "DSGUIDE_CACHE_DIR"
FORMAT = 1


@dataclass(frozen=True)
class FileRecord:
    key: str  # digest of the inputs ("" for files made outside the page jobs)
    sha: str  # digest of the bytes
    size: int
    mtime_ns: int
    indexed: bool  # a page Pagefind indexes


@dataclass
class Manifest:
    out_dir: str
    global_key: str
    files: dict[str, FileRecord]
    search_pages: int  # pages the Pagefind index holds
    search_entry: str  # digest of pagefind-entry.json: the published index is the one this build made

    def reusable(self, out_dir: Path, output: str) -> FileRecord | None:
        """The record of `output` if the published file is still the one it describes."""
        record = self.files.get(output)
        if record is None:
            return None
        try:
            stat = (out_dir / output).stat()
        except OSError:
            return None
        return record if (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns) else None

    def indexed(self) -> set[tuple[str, str]]:
        return {(name, r.sha) for name, r in self.files.items() if r.indexed}


def cache_dir(config: SiteConfig) -> Path:
    """`.dsguide-cache/` beside site.yaml, or the folder DSGUIDE_CACHE_DIR names (the tests use one)."""
    return Path(os.environ.get(CACHE_ENV) or config.root / CACHE_DIR)


def manifest_path(config: SiteConfig, out_dir: Path) -> Path:
    """One manifest per site and output folder, so `build` and `serve` do not undo each other's."""
    name = hashlib.sha256(f"{config.root}\0{out_dir.resolve()}".encode()).hexdigest()[:16]
    return cache_dir(config) / f"build-{name}.json"


def global_key(config: SiteConfig, include_drafts: bool, build_date: object) -> str:
    """A digest of everything every page depends on: dsguide itself, site.yaml, templates, static files."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{config!r}\0{include_drafts}\0{build_date!r}\0".encode())
    package = Path(__file__).parent
    config_file = config.root / Path(config.config_path).name
    files = [config_file, *sorted(package.rglob("*.py"))]
    for folder in (config.templates_dir, config.static_dir):
        if folder.is_dir():
            files += sorted(p for p in folder.rglob("*") if p.is_file())
    for path in files:
        digest.update(str(path).encode() + b"\0")
        with contextlib.suppress(OSError):
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def load_manifest(config: SiteConfig, out_dir: Path, notice: Callable[[str], None]) -> Manifest | None:
    """The manifest of the last build of `out_dir`, or None (absent, or discarded with a notice)."""
    path = manifest_path(config, out_dir)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT or data.get("version") != __version__:
            raise ValueError("written by another version of dsguide")
        if data.get("out_dir") != str(out_dir.resolve()):
            raise ValueError("written for another output folder")
        manifest = Manifest(data["out_dir"], str(data["global_key"]),
                            {str(name): FileRecord(**fields) for name, fields in data["files"].items()},
                            int(data["search_pages"]), str(data["search_entry"]))
        for name, record in manifest.files.items():
            if not (isinstance(record.sha, str) and isinstance(record.size, int) and ".." not in name.split("/")):
                raise ValueError(f"bad entry for {name!r}")
        return manifest
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        notice(f"ignoring the build cache {path}: {exc}; building everything")
        with contextlib.suppress(OSError):
            path.unlink()
        return None


def save_manifest(config: SiteConfig, manifest: Manifest) -> None:
    """Write the manifest atomically (a half-written one would be discarded, never trusted)."""
    path = manifest_path(config, Path(manifest.out_dir))
    path.parent.mkdir(parents=True, exist_ok=True)
    ignore = path.parent / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# dsguide's build cache: safe to delete\n*\n", encoding="utf-8")
    data = {"format": FORMAT, "version": __version__, "out_dir": manifest.out_dir,
            "global_key": manifest.global_key, "search_pages": manifest.search_pages,
            "search_entry": manifest.search_entry,
            "files": {name: asdict(record) for name, record in sorted(manifest.files.items())}}
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    os.replace(temporary, path)


def print_notice(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def code_key() -> str:
    """A digest of dsguide's own code: a cache made by other code is never used."""
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0".encode())
    for path in sorted(Path(__file__).parent.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def parse_cached(config: SiteConfig, content: Content,
                 notice: Callable[[str], None] = print_notice) -> tuple[dict[tuple[str, str], ParsedMarkdown],
                                                                          list[Diagnostic]]:
    """markdown.parse_all, skipping bodies parsed by an earlier build: what the graph and check need
    (headings, wikilinks, plain text, diagnostics) comes from `parsed.json`; the tokens do not
    (reading them back is slower than parsing), so render parses a cached body again if it must.
    Entries are keyed by the file's path, the line its body starts on and the body's digest."""
    path = cache_dir(config) / "parsed.json"
    code = code_key()
    known: dict[str, Any] = {}
    if path.exists():
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("code") == code:
                known = dict(data["entries"])
        except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
            notice(f"ignoring the build cache {path}: {exc}; parsing everything")
    md = make_markdown()
    parsed: dict[tuple[str, str], ParsedMarkdown] = {}
    diagnostics: list[Diagnostic] = []
    entries: dict[str, Any] = {}
    for doc in [*(item.doc for item in content.documents()), *content.rejected]:  # rejected: for link checks
        name = f"{doc.file.kind}:{doc.file.slug}"
        digest = hashlib.sha256(f"{doc.file.path}\0{doc.body_line}\0{doc.body}".encode()).hexdigest()
        entry = known.get(name)
        result = _from_entry(entry, digest) if entry is not None else None
        if result is None:
            fresh, found = parse_document(md, doc)
            entry = _to_entry(digest, fresh, found)
            result = fresh, found
        parsed[(doc.file.kind, doc.file.slug)] = result[0]
        diagnostics += result[1]
        entries[name] = entry
    if entries != known:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}")
            temporary.write_text(json.dumps({"code": code, "entries": entries}, separators=(",", ":")),
                                 encoding="utf-8")
            os.replace(temporary, path)
    return parsed, diagnostics


def _to_entry(digest: str, parsed: ParsedMarkdown, found: list[Diagnostic]) -> list[object]:
    return [digest, [[h.level, h.text, h.anchor] for h in parsed.headings],
            [[w.target, w.anchor, w.label, w.line, w.col, w.sentence] for w in parsed.wikilinks],
            parsed.plain_text, parsed.word_count,
            [[d.path, d.line, d.col, d.severity.value, d.code, d.message, d.hint] for d in found]]


def _from_entry(entry: Any, digest: str) -> tuple[ParsedMarkdown, list[Diagnostic]] | None:  # Any: JSON
    """The cached parse if it is of this very body, else None (a damaged entry is parsed again)."""
    try:
        stored, headings, links, plain, words, found = entry
        if stored != digest:
            return None
        parsed = ParsedMarkdown([], {}, [Heading(int(level), str(text), str(anchor))
                                         for level, text, anchor in headings],
                                [WikiLink(str(t), a, label, int(line), int(col), str(sentence))
                                 for t, a, label, line, col, sentence in links], str(plain), int(words), False)
        return parsed, [Diagnostic(str(p), int(line), int(col), Severity(sev), str(code), str(msg), str(hint))
                        for p, line, col, sev, code, msg, hint in found]
    except (TypeError, ValueError):
        return None
