"""The copy guard: find runs of words that content shares with a source's original text.

The essays belong to their authors, so the repository never holds their text. Instead each source
may have a sidecar `content/sources/<id>.fingerprints`: the hashes of every run of N=10 consecutive
words of the original, truncated to 48 bits and sorted (so neither the words nor their order can be
read back). `dsguide fingerprint ID FILE` and `dsguide ingest` write them; `check` and `build` hash
every 10-word window of each content file the same way and report each run of 10 or more words that
matches, at the line and column where it starts.

Words are normalised as the project's verbatim check does: lowercase ASCII letters, digits and
apostrophes (a typographic apostrophe counts as `'`). Citations are not copies: in front matter, the
`title:` and `section:` values and the items of a `sections:` list are skipped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error, line_col, warning
from .model import ContentFile

RUN_WORDS = 10  # the shortest shared run that counts as copying
SUFFIX = ".fingerprints"
HASH_BYTES = 6  # 48 bits: collisions are ~1e-5 likely on a site of 50,000 words against 50,000-word essays
HEADER = (f"# dsguide fingerprints v1: blake2b-{HASH_BYTES * 8} of every {RUN_WORDS}-word run of the original "
          "text, sorted. No essay text. Written by `dsguide fingerprint` or `dsguide ingest`.")
_WORD = re.compile(r"[A-Za-z0-9'\u2019]+")
_HASH_LINE = re.compile(rf"^[0-9a-f]{{{HASH_BYTES * 2}}}$")
_CITATION_KEY = re.compile(r"^\s*(?:-\s+)?(?:title|section)\s*:")
_LIST_ITEM = re.compile(r"^\s+-\s|^-\s")
_SECTIONS_KEY = re.compile(r"^\s*sections\s*:\s*$")


@dataclass(frozen=True)
class Word:
    text: str  # normalised
    offset: int  # where it starts in the file's text


def words(text: str) -> list[Word]:
    """The normalised words of `text` with their offsets."""
    return [Word(m[0].lower().replace("\u2019", "'"), m.start()) for m in _WORD.finditer(text)]


def window_hash(run: Iterable[str]) -> str:
    return hashlib.blake2b(" ".join(run).encode("utf-8"), digest_size=HASH_BYTES).hexdigest()


def fingerprints(text: str) -> list[str]:
    """The sorted, distinct hashes of every RUN_WORDS-word window of an original text."""
    ws = [w.text for w in words(text)]
    return sorted({window_hash(ws[i:i + RUN_WORDS]) for i in range(len(ws) - RUN_WORDS + 1)})


def fingerprint_file_text(text: str) -> str:
    """The contents of a `.fingerprints` file for the original `text`."""
    return HEADER + "\n" + "".join(h + "\n" for h in fingerprints(text))


def read_fingerprints(path: Path, shown: str) -> tuple[frozenset[str], list[Diagnostic]]:
    """The hashes in a `.fingerprints` file; a line that is not a hash is an error at that line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return frozenset(), [error(shown, 0, 0, "bad-fingerprints", f"cannot read: {exc}")]
    found: set[str] = set()
    problems: list[Diagnostic] = []
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        if not _HASH_LINE.match(line.strip()):
            problems.append(error(shown, number, 1, "bad-fingerprints",
                                  f"not a fingerprint: expected {HASH_BYTES * 2} hex digits",
                                  "rewrite the file with: dsguide fingerprint SOURCE_ID ORIGINAL_FILE"))
            continue
        found.add(line.strip())
    return frozenset(found), problems


def without_citations(text: str) -> str:
    """`text` with the front-matter lines that cite an essay's title or headings blanked out.

    Blanked, not removed, so every other word keeps its offset (and its line and column)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return text
    in_sections = False
    for index, line in enumerate(lines[1:], 1):
        if line.strip() in ("---", "..."):
            return "\n".join(lines)
        if in_sections and _LIST_ITEM.match(line):
            lines[index] = " " * len(line)
            continue
        in_sections = bool(_SECTIONS_KEY.match(line))
        if _CITATION_KEY.match(line):
            lines[index] = " " * len(line)
    return text  # front matter never closed: nothing is a citation


@dataclass(frozen=True)
class CopiedRun:
    line: int
    col: int
    words: int
    sources: tuple[str, ...]


def copied_runs(text: str, known: dict[str, frozenset[str]]) -> list[CopiedRun]:
    """Each run of RUN_WORDS or more words of `text` whose every window is in some source's fingerprints.

    `known` maps hash -> the ids of the sources it came from."""
    ws = words(without_citations(text))
    keys = [w.text for w in ws]
    hashes = [window_hash(keys[i:i + RUN_WORDS]) for i in range(len(keys) - RUN_WORDS + 1)]
    runs: list[CopiedRun] = []
    i = 0
    while i < len(hashes):
        if hashes[i] not in known:
            i += 1
            continue
        j = i + 1
        sources = set(known[hashes[i]])
        while j < len(hashes) and hashes[j] in known:
            sources |= known[hashes[j]]
            j += 1
        line, col = line_col(text, ws[i].offset)
        runs.append(CopiedRun(line, col, j - i + RUN_WORDS - 1, tuple(sorted(sources))))
        i = j + RUN_WORDS - 1  # the next run starts after this one's last word
    return runs


def load_fingerprints(sources_dir: Path, root: Path,
                      source_ids: frozenset[str]) -> tuple[dict[str, frozenset[str]], list[Diagnostic]]:
    """hash -> source ids, from every `content/sources/*.fingerprints`; one without a source record warns."""
    by_hash: dict[str, set[str]] = {}
    problems: list[Diagnostic] = []
    for path in sorted(sources_dir.glob(f"*{SUFFIX}")) if sources_dir.is_dir() else []:
        shown = path.relative_to(root).as_posix()
        source_id = path.name.removesuffix(SUFFIX)
        if source_id not in source_ids:
            problems.append(warning(shown, 0, 0, "bad-fingerprints", f"no source record '{source_id}.md' beside it",
                                    "name it after the source it fingerprints: <source-id>.fingerprints"))
        hashes, found = read_fingerprints(path, shown)
        problems += found
        for h in hashes:
            by_hash.setdefault(h, set()).add(source_id)
    return {h: frozenset(ids) for h, ids in by_hash.items()}, problems


def check_copies(files: list[ContentFile], texts: dict[str, str], sources_dir: Path,
                 root: Path) -> list[Diagnostic]:
    """`error[copied-text]` at the start of every run of 10+ words a content file shares with a
    fingerprinted source. Runs on every discovered file, whether or not its front matter is valid."""
    source_ids = frozenset(f.slug for f in files if f.kind == "source")
    known, diagnostics = load_fingerprints(sources_dir, root, source_ids)
    if not known:
        return diagnostics
    for file in files:
        if file.path not in texts:  # unreadable: reported by front_matter.read_texts
            continue
        for run in copied_runs(texts[file.path], known):
            named = ", ".join(f"'{s}'" for s in run.sources)
            diagnostics.append(error(file.path, run.line, run.col, "copied-text",
                                     f"{run.words} words in a row are copied from source {named}",
                                     "say it in your own words; cite the source and its section instead"))
    return diagnostics
