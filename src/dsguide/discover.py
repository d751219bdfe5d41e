"""Stage 1: find the content files and the slug each one claims.

Content files must be regular files inside the content folder once every symlink is resolved:
a symlink to a file elsewhere in content/ is read like the file, one that leads out of content/
(or a symlinked folder that does) is an error and is never read. Likewise nothing in templates/
or static/ may lead out of its folder, so a build never copies an outside file into the site.
"""

from __future__ import annotations

from pathlib import Path

from .config import SiteConfig
from .diagnostics import Diagnostic, error, warning
from .fingerprint import SUFFIX as FINGERPRINT_SUFFIX
from .model import ContentFile, Kind
from .routes import reserved_slugs
from .schema import SLUG_RE

KIND_FOLDERS: dict[str, Kind] = {"notes": "note", "sources": "source", "paths": "path", "pages": "page"}
MARKDOWN_SUFFIXES = (".md", ".markdown")  # compared lowercased: notes/x.MD is read too


def discover(config: SiteConfig) -> tuple[list[ContentFile], list[Diagnostic]]:
    """Every Markdown file under content/<kind>/, sorted; bad or clashing slugs are errors."""
    files: list[ContentFile] = []
    diagnostics: list[Diagnostic] = []
    root = config.content_dir
    if root.exists() and not root.is_dir():
        return [], [error("content", 0, 0, "no-content", "content is not a folder")]
    if not root.is_dir():
        return [], [error("content", 0, 0, "no-content", f"content folder not found: {root}")]
    tree = root.resolve()
    for folder, kind in KIND_FOLDERS.items():
        claimed: dict[str, str] = {}
        # rglob does not descend into symlinked folders, so only the entry itself or this folder can lead out
        folder_inside = (root / folder).resolve().is_relative_to(tree)
        if (root / folder).exists() and not (root / folder).is_dir():
            diagnostics.append(error(f"content/{folder}", 0, 0, "no-content", f"content/{folder} is not a folder"))
        for path in sorted((root / folder).rglob("*"), key=_claim_order) if (root / folder).is_dir() else []:
            if path.name.startswith("."):
                continue
            shown = path.relative_to(config.root).as_posix()
            if (path.is_symlink() or not folder_inside) and not path.resolve().is_relative_to(tree):
                # never read: a pull request can carry such a link
                diagnostics.append(error(shown, 0, 0, "outside-content",
                                         "a symlink that leads outside content/; content files must be "
                                         "inside content/ (copy the file in instead)"))
                continue
            if path.is_dir():
                continue
            if not path.is_file():  # a FIFO would block the reader forever; a device is no content either
                diagnostics.append(warning(shown, 0, 0, "not-a-file", "ignored: not a regular file"))
                continue
            if kind == "source" and path.suffix == FINGERPRINT_SUFFIX:  # the copy guard's sidecar, not content
                continue
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                diagnostics.append(warning(shown, 0, 0, "not-markdown", "ignored: not a .md file"))
                continue
            if path.parent != root / folder:
                diagnostics.append(error(shown, 0, 0, "nested-file",
                                         f"content/{folder}/ files may not be in subfolders"))
                continue
            slug = path.stem
            if not SLUG_RE.match(slug):
                diagnostics.append(error(shown, 0, 0, "bad-slug",
                                         f"file name '{path.name}' is not a valid slug: use lowercase "
                                         "letters, digits and hyphens"))
                slug = path.stem.lower()
            if slug in (reserved := reserved_slugs(kind)):
                diagnostics.append(error(shown, 0, 0, "reserved-slug",
                                         f"'{slug}' is a name the site itself uses at this level of its URLs; "
                                         f"rename the file (reserved: {', '.join(sorted(reserved))})"))
                continue
            if slug.lower() in claimed:
                diagnostics.append(error(shown, 0, 0, "duplicate-slug",
                                         f"slug '{slug}' is also claimed by {claimed[slug.lower()]}"))
                continue
            claimed[slug.lower()] = shown
            files.append(ContentFile(kind, slug, shown, path))
    for copied in (config.templates_dir, config.static_dir):
        diagnostics += _links_out_of(copied, config.root)
    return files, diagnostics


def _links_out_of(folder: Path, site_root: Path) -> list[Diagnostic]:
    """An error for each entry of `folder` (templates/, static/) that resolves outside it: the build
    would copy (static) or could include (templates) a file from anywhere on the machine."""
    if not folder.is_dir():
        return []
    inside = folder.resolve()
    out = []
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() and not path.resolve().is_relative_to(inside):
            shown = path.relative_to(site_root).as_posix() if path.is_relative_to(site_root) else str(path)
            out.append(error(shown, 0, 0, "outside-link",
                             f"a symlink that leads outside {folder.name}/; the build copies or reads only "
                             f"files inside it (copy the file in instead)"))
    return out


def _claim_order(path: Path) -> tuple[bool, bool, str]:
    """When two files claim one slug, a well-named `.md` file keeps it and the other is reported."""
    return not SLUG_RE.match(path.stem), path.suffix != ".md", path.as_posix()


def site_root_files(config: SiteConfig) -> list[Path]:
    """Files whose change should trigger a rebuild (for `serve`)."""
    found = [p for r in config.source_dirs if r.is_dir() for p in r.rglob("*") if p.is_file()]
    return sorted(found)
