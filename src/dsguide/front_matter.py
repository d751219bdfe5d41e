"""Stage 2: split each file into front matter and body, keeping file line numbers.

Also warns of invisible characters anywhere in the file: bidi controls and zero-width characters
can make a title or a sentence read differently from what it says (or hide words from search).
"""

from __future__ import annotations

import html
import re
import unicodedata

from frontmatter.default_handlers import YAMLHandler

from .diagnostics import Diagnostic, LineIndex, error, warning
from .model import ContentFile, RawDocument
from .yamltext import LocatedYaml, parse_yaml

BOUNDARY = YAMLHandler.FM_BOUNDARY  # python-frontmatter's own rule for a '---' line
# bidi marks, embeddings, overrides and isolates; zero-width and other invisible format characters
INVISIBLE = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
INVISIBLE_RE = re.compile(f"[{INVISIBLE}]")
YAML_ESCAPE_RE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})")  # front matter: "\u202e"
CHAR_REFERENCE_RE = re.compile(r"&(?:#[xX][0-9A-Fa-f]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});")  # body
INVISIBLE_REPORTED = 20  # per file; more are summed up in one warning


def split_front_matter(file: ContentFile, text: str) -> tuple[RawDocument | None, list[Diagnostic]]:
    """Parse the YAML between the opening and closing '---' lines.

    Line numbers in the diagnostics and in the located YAML are lines of the whole file.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    boundaries = list(BOUNDARY.finditer(text))
    if not boundaries or boundaries[0].start() != 0:
        return None, [error(file.path, 1, 1, "no-front-matter",
                            "missing front matter: the file must start with a '---' line")]
    if len(boundaries) < 2:
        return None, [error(file.path, 1, 1, "unclosed-front-matter",
                            "front matter is not closed: add a '---' line after it")]
    opening, closing = boundaries[0], boundaries[1]
    # the boundary pattern's trailing \s* can run over blank lines; cut at the '---' lines' own ends
    yaml_text = text[_line_end(text, opening.start()) : closing.start()]
    located, diagnostics = parse_yaml(yaml_text, file.path, first_line=2)
    if located is None:
        return None, diagnostics
    if not isinstance(located.value, dict):
        return None, diagnostics + [error(file.path, 2, 1, "wrong-type",
                                          "front matter must be a mapping of 'key: value' lines")]
    body_start = _line_end(text, closing.start())
    body_line = text.count("\n", 0, body_start) + 1
    diagnostics += invisible_characters(file.path, text, body_start)
    return RawDocument(file, located, text[body_start:], body_line), diagnostics


def invisible_characters(path: str, text: str, body_start: int) -> list[Diagnostic]:
    """A warning at the line:col of each invisible character: written as itself, as a YAML escape in
    the front matter (before `body_start`), or as an HTML character reference in the body."""
    found = [(m.start(), m[0], "") for m in INVISIBLE_RE.finditer(text)]
    found += [(m.start(), chr(int(m[0][2:], 16)), " (written as a YAML escape)")
              for m in YAML_ESCAPE_RE.finditer(text, 0, body_start)]
    found += [(m.start(), html.unescape(m[0]), f" (written as the character reference {m[0]})")
              for m in CHAR_REFERENCE_RE.finditer(text, body_start)]
    found = sorted(item for item in found if INVISIBLE_RE.fullmatch(item[1]))
    lines = LineIndex(text)
    out = []
    for offset, char, how in found[:INVISIBLE_REPORTED]:
        name = unicodedata.name(char, "FORMAT CHARACTER")
        out.append(warning(path, *lines.line_col(offset), "invisible-character",
                           f"invisible character U+{ord(char):04X} {name}{how}: it can hide text or make it "
                           "read differently from what it says", "delete it"))
    if len(found) > INVISIBLE_REPORTED:
        out.append(warning(path, *lines.line_col(found[INVISIBLE_REPORTED][0]), "invisible-character",
                           f"{len(found) - INVISIBLE_REPORTED} more invisible characters from here on"))
    return out


def _line_end(text: str, position: int) -> int:
    """The index just past the newline ending the line that `position` is on."""
    newline = text.find("\n", position)
    return len(text) if newline == -1 else newline + 1


def body_only_documents(files: list[ContentFile], texts: dict[str, str],
                        parsed: list[RawDocument]) -> list[RawDocument]:
    """The files whose front matter did not parse but is closed by a '---' line, each as its body
    with empty front matter: their YAML error is reported, and their body (links, copies, headings)
    can still be checked in the same run."""
    done = {doc.file.path for doc in parsed}
    out: list[RawDocument] = []
    for file in files:
        text = texts.get(file.path)
        if file.path in done or text is None:  # unreadable files were reported by read_texts
            continue
        boundaries = list(BOUNDARY.finditer(text))
        if len(boundaries) < 2 or boundaries[0].start() != 0:
            continue
        body_start = _line_end(text, boundaries[1].start())
        out.append(RawDocument(file, LocatedYaml({}), text[body_start:], text.count("\n", 0, body_start) + 1))
    return out


def read_texts(files: list[ContentFile]) -> tuple[dict[str, str], list[Diagnostic]]:
    """Each readable file's text by its shown path (BOM dropped, line ends made '\\n'), read once for
    every stage that needs it (copy guard, front matter, bodies); unreadable files are errors here."""
    texts: dict[str, str] = {}
    diagnostics: list[Diagnostic] = []
    for file in files:
        try:
            texts[file.path] = file.abs_path.read_text(encoding="utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
        except UnicodeDecodeError as exc:
            diagnostics.append(error(file.path, 0, 0, "not-utf8", f"not UTF-8 text: {exc.reason}"))
        except OSError as exc:
            diagnostics.append(error(file.path, 0, 0, "unreadable", f"cannot read: {exc.strerror}"))
    return texts, diagnostics


def read_documents(files: list[ContentFile], texts: dict[str, str]) -> tuple[list[RawDocument], list[Diagnostic]]:
    """Every readable file split into located front matter and body (see split_front_matter)."""
    documents: list[RawDocument] = []
    diagnostics: list[Diagnostic] = []
    for file in files:
        if file.path not in texts:
            continue
        document, found = split_front_matter(file, texts[file.path])
        diagnostics += found
        if document is not None:
            documents.append(document)
    return documents, diagnostics
