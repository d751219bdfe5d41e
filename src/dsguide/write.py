"""Stage 8: put the rendered site on disk beside the output folder, then swap it in.

A failed build never touches the published folder: everything goes to a staging folder first,
and only a complete, indexed site replaces the old one. Because publishing replaces the whole
folder, `output_problem` first makes sure the folder is one dsguide may replace.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

MARKER = ".dsguide-output"  # written into every built site: the folder may be replaced by the next build
MARKER_TEXT = "This folder is written by `dsguide build`; each build replaces all of it.\n"


def output_problem(out_dir: Path, root: Path, source_dirs: tuple[Path, ...]) -> str | None:
    """Why `out_dir` must not be replaced by a build, or None when it may.

    It must not be a file, the site itself or a folder around it, nor inside (or around) the
    content, templates or static folders; and an existing folder must be an earlier build.
    """
    out = out_dir.resolve()
    if out.exists() and not out.is_dir():
        return "is a file, not a folder"
    if out == Path.cwd().resolve() and any(out.iterdir()):
        return "is the current folder"
    if root.resolve().is_relative_to(out):
        return "would replace the site's own folder (site.yaml, content/, templates/)"
    if folder := overlapped(out, source_dirs):
        return f"overlaps {folder}, which the build reads"
    if out.is_dir() and any(out.iterdir()) and not is_earlier_build(out):
        return (f"holds files that dsguide did not write (no {MARKER}); empty it or choose another folder, "
                "since each build replaces the whole folder")
    return None


def overlapped(out_dir: Path, folders: tuple[Path, ...]) -> Path | None:
    """The first of `folders` that `out_dir` is inside of, or contains."""
    out = out_dir.resolve()
    for folder in (f.resolve() for f in folders):
        if out.is_relative_to(folder) or folder.is_relative_to(out):
            return folder
    return None


def is_earlier_build(folder: Path) -> bool:
    """A folder a build wrote: it has the marker (or, from before the marker, Pagefind's entry file)."""
    return (folder / MARKER).is_file() or (folder / "pagefind" / "pagefind-entry.json").is_file()


def staging_dir(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.staging"


def write_staging(outputs: dict[str, str], static_dir: Path, out_dir: Path) -> Path:
    """Write every output file and the static assets into a fresh staging folder."""
    staging = staging_dir(out_dir)
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
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
    try:
        os.replace(staging, out_dir)
    except OSError:
        if old.exists():  # put the previous site back before reporting
            os.replace(old, out_dir)
        raise
    if old.exists():
        shutil.rmtree(old)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
