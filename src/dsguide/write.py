"""Stage 8: put the rendered site on disk beside the output folder, then swap it in.

A failed build never touches the published folder: everything goes to a staging folder first,
and only a complete, indexed site replaces the old one. Because publishing replaces the whole
folder, `output_problem` first makes sure the folder is one dsguide may replace.

Builds of one output folder take turns (`output_lock`, a lock file beside it), each stages into a
folder of its own, and on Linux the swap is one atomic exchange, so a reader of the output folder
never finds it missing or half-written.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
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
    if file := next((p for p in out.parents if p.exists() and not p.is_dir()), None):
        return f"is inside {file}, which is a file, not a folder"
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


def lock_file(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.lock"


@contextlib.contextmanager
def output_lock(out_dir: Path, on_wait: Callable[[], None]) -> Iterator[None]:
    """Hold the lock of `out_dir` (an `fcntl` lock on a file beside it) for a whole build.

    A second build of the same folder calls `on_wait` once and waits its turn. The lock is the
    kernel's: a killed build releases it. The lock file stays (removing it would race).
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file(out_dir), "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _leftovers(out_dir: Path) -> list[Path]:
    """Staging and old-site folders of `out_dir` that a killed build left behind."""
    prefix = f".{out_dir.name}."
    return sorted(p for p in out_dir.parent.glob(f"{prefix}*")
                  if p.is_dir() and not p.is_symlink()
                  and p.name[len(prefix):].startswith(("staging", "old")))


def recover(out_dir: Path) -> None:
    """Under the lock: put back a site a build was killed in the middle of swapping (the two-rename
    fallback), then remove the staging folders killed builds left."""
    old = out_dir.parent / f".{out_dir.name}.old"
    if not out_dir.exists() and old.is_dir() and is_earlier_build(old):
        os.replace(old, out_dir)
    for folder in _leftovers(out_dir):
        shutil.rmtree(folder, ignore_errors=True)


def staging_dir(out_dir: Path) -> Path:
    """A new, empty staging folder of this build's own, beside `out_dir` (same file system)."""
    return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))


def link_file(published: Path, staged: Path) -> None:
    """Carry a published file over into the staging folder unchanged: a hard link (no bytes copied,
    the file keeps its modification time), or a copy where links are not possible."""
    staged.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):
        staged.unlink()
    try:
        os.link(published, staged)
    except OSError:
        shutil.copy2(published, staged)


def link_tree(published: Path, staged: Path) -> None:
    for path in sorted(published.rglob("*")):
        if path.is_file():
            link_file(path, staged / path.relative_to(published))


def copy_static(static_dir: Path, staging: Path) -> None:
    """The marker file, the static assets, and the favicon at the root."""
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    if static_dir.is_dir():
        shutil.copytree(static_dir, staging / "static")
        for name in ("favicon.ico", "favicon.svg"):  # browsers ask for /favicon.ico at the root
            if (static_dir / name).exists():
                shutil.copyfile(static_dir / name, staging / name)


RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2 with RENAME_EXCHANGE, glibc ≥ 2.28).

    False when the system or file system cannot; other failures raise OSError.
    """
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def publish(staging: Path, out_dir: Path) -> None:
    """Swap the staging folder in for `out_dir`; the old site is removed only after the swap.

    With an exchange the output folder is never missing; elsewhere it is missing between two
    renames, and `recover` puts the old site back if a build is killed there.
    """
    if out_dir.exists() and exchange(staging, out_dir):
        shutil.rmtree(staging)  # now the old site
        return
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


def replace_folder(new: Path, current: Path) -> None:
    """Swap the folder `new` in for `current` (one exchange where possible) and remove the old one."""
    if current.exists() and exchange(new, current):
        shutil.rmtree(new)
        return
    old = new.with_name(new.name + ".old")
    if current.exists():
        os.replace(current, old)
    os.replace(new, current)
    shutil.rmtree(old, ignore_errors=True)


def discard(staging: Path) -> None:
    shutil.rmtree(staging, ignore_errors=True)
