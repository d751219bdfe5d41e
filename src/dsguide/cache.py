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

from . import __version__
from .config import SiteConfig

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
