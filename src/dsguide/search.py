"""Stage 9: build the Pagefind index over the staged site with the binary `pagefind[bin]` ships."""

from __future__ import annotations

import gzip
import hashlib
import html
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import cbor2

PAGEFIND_MAGIC = b"pagefind_dcd"
FULL_DISK_BYTES = 1 << 20  # less room than this left after Pagefind fails: it failed for want of space
NO_SPACE_MARKERS = ("No space left on device", "os error 28")  # ENOSPC as Rust's std::io and libc say it


class SearchIndexError(RuntimeError):
    pass


def index_site(site_dir: Path, bundle: Path | None = None, timeout: float = 120) -> int:
    """Run Pagefind over `site_dir`, writing the index to `site_dir`/pagefind or to `bundle`;
    return how many pages it indexed. A Pagefind that hangs is stopped after `timeout` seconds, so
    neither build nor serve can stall on it."""
    bundle = bundle or site_dir / "pagefind"
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-path", str(bundle.resolve()),
               "--silent"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        raise SearchIndexError(f"Pagefind did not finish within {timeout:g} s and was stopped "
                               "(site.yaml search.pagefind_timeout sets the limit)") from exc
    output = (result.stderr or result.stdout).strip()
    if result.returncode != 0:
        detail = output.splitlines()
        raise _disk_full(site_dir, output) or SearchIndexError(
            f"Pagefind failed ({result.returncode}): {detail[-1] if detail else 'no output'}")
    entry = bundle / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, KeyError, ValueError) as exc:
        raise _disk_full(site_dir, output) or SearchIndexError(f"Pagefind wrote no usable index: {exc}") from exc
    for language in languages.values():
        language["hash"] = _stabilise_filters(bundle, language["hash"])
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")) | {"languages": languages},
                                ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return sum(language["page_count"] for language in languages.values())


def _disk_full(site_dir: Path, output: str) -> SearchIndexError | None:
    """The error to report when Pagefind failed because the disk is full, else None.

    Pagefind may even exit 0 with a truncated index on a full disk, so besides its own words
    (ENOSPC) the free space of the disk it wrote to is asked too.
    """
    try:
        free = shutil.disk_usage(site_dir).free
    except OSError:
        free = None
    if not any(marker in output for marker in NO_SPACE_MARKERS) and (free is None or free >= FULL_DISK_BYTES):
        return None
    left = f" ({free:,} bytes free)" if free is not None else ""
    return SearchIndexError(f"the disk is full{left}: Pagefind could not write the search index for {site_dir}; "
                            "free some space and build again")


def _read_pagefind(path: Path) -> Any:  # CBOR: lists and maps whose shape Pagefind decides
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(PAGEFIND_MAGIC):
        raise SearchIndexError(f"unexpected Pagefind file format: {path.name}")
    return cbor2.loads(raw[len(PAGEFIND_MAGIC):])


def _write_pagefind(folder: Path, prefix: str, suffix: str, data: object, digits: int) -> str:
    """Write `data` under a name derived from its bytes; returns the hash part of the name."""
    raw = PAGEFIND_MAGIC + cbor2.dumps(data)
    name = f"{prefix}_{hashlib.sha256(raw).hexdigest()[:digits]}"
    (folder / f"{name}{suffix}").write_bytes(gzip.compress(raw, mtime=0))
    return name


def _stabilise_filters(bundle: Path, meta_hash: str) -> str:
    """Make Pagefind's filter index byte-identical across builds, and its values safe to show.

    Pagefind (1.x) writes filter values and the filter list in hash-map order, which changes
    from run to run (upstream issue #638; the fragments are already stable). We sort both and
    rename the files after their new content. Pagefind UI puts each value into its filter label
    as HTML, and the values are page text (a source title from a pull request): we HTML-escape
    them here, so the label shows the text and never runs it. Filtering still matches, since
    the UI sends back the value it read from this same index.
    Returns the new meta hash for pagefind-entry.json.
    """
    language = meta_hash.split("_", 1)[0]
    meta_path = bundle / f"pagefind.{meta_hash}.pf_meta"
    meta = _read_pagefind(meta_path)
    filter_dir = bundle / "filter"
    new_filters = []
    for name, file_hash in sorted(meta[3]):
        old = filter_dir / f"{file_hash}.pf_filter"
        filter_name, values = _read_pagefind(old)
        old.unlink()
        data = [filter_name, sorted([html.escape(value, quote=False), sorted(pages)] for value, pages in values)]
        new_filters.append([name, _write_pagefind(filter_dir, language, ".pf_filter", data, 7)])
    meta[3] = new_filters
    meta_path.unlink()
    return _write_pagefind(bundle, f"pagefind.{language}", ".pf_meta", meta, 10).removeprefix("pagefind.")
