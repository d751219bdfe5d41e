"""Stage 8: put the rendered site on disk beside the output folder, then swap it in.

A failed build never touches the published folder: everything goes to a staging folder first,
and only a complete, indexed site replaces the old one.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging"


def write_staging(outputs: dict[str, str], static_dir: Path, out_dir: Path) -> Path:
    """Write every output file and the static assets into a fresh staging folder."""
    staging = staging_dir(out_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for relative, text in sorted(outputs.items()):
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
    if static_dir.is_dir():
        shutil.copytree(static_dir, staging / "static")
        for name in ("favicon.ico", "favicon.svg"):  # browsers ask for /favicon.ico at the root
            if (static_dir / name).exists():
                shutil.copyfile(static_dir / name, staging / name)
    return staging


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the staging folder in for `out_dir`; the old site is removed only after the swap."""
    old = out_dir.parent / f".{out_dir.name}.old"
    if old.exists():
        shutil.rmtree(old)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    if old.exists():
        shutil.rmtree(old)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
