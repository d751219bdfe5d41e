"""YAML parsing that remembers where every value stands, so errors can name line and column."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from .diagnostics import Diagnostic, error

KeyPath = tuple[str | int, ...]

# Front matter and site.yaml need a few levels; a deeper document is a mistake or an attack, and
# refusing it early keeps every later (recursive) stage safe. libyaml's composer even segfaults
# past ~30,000 levels, so depth is checked on the event stream, before anything is composed.
MAX_DEPTH = 50
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: ~5x faster
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class LocatedYaml:
    """A parsed YAML document plus the 1-based (line, col) of each value and each mapping key."""

    value: Any
    value_at: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_at: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath, *, key: bool = False) -> tuple[int, int]:
        """Position of `path`, falling back to its nearest located parent."""
        table = self.key_at if key else self.value_at
        while path:
            if path in table:
                return table[path]
            if path in self.value_at:
                return self.value_at[path]
            path = path[:-1]
        return self.value_at.get((), (1, 1))


def parse_yaml(text: str, path: str, first_line: int = 1) -> tuple[LocatedYaml | None, list[Diagnostic]]:
    """Parse `text`, whose first line is line `first_line` of the file at `path`.

    Returns None and a diagnostic when the YAML is malformed, nested too deep, uses an alias or
    holds a value that cannot be constructed (such as 2026-02-30); duplicate keys are reported
    as errors (PyYAML would silently keep the last one).
    """
    offset = first_line - 1

    def pos(mark: Any) -> tuple[int, int]:
        return (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)

    try:
        refused = _refused(text)
        node = None if refused else _compose(text)
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_error(exc, text, path, first_line)]
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return None, [error(path, first_line, 1, "yaml-syntax", f"malformed YAML: {exc}")]
    except RecursionError:  # the depth check should make this unreachable; never a traceback
        return None, [error(path, first_line, 1, "yaml-syntax", f"nested more than {MAX_DEPTH} levels deep")]
    if refused:
        mark, code, message = refused
        return None, [error(path, *pos(mark), code, message)]
    try:
        value = SafeConstructor().construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:  # e.g. an unhashable key or a tag PyYAML does not know
        return None, [_syntax_error(exc, text, path, first_line)]
    except Exception as exc:  # constructors raise ValueError, AttributeError, ... on odd scalars
        odd = _unconstructable(node) if node is not None else []
        found = [error(path, *pos(n.start_mark), code, message) for n, code, message in odd]
        return None, found or [error(path, first_line, 1, "yaml-syntax", f"malformed YAML: {exc}")]

    located = LocatedYaml(value)
    diagnostics: list[Diagnostic] = []

    def walk(n: yaml.Node, at: KeyPath) -> None:
        located.value_at[at] = pos(n.start_mark)
        if isinstance(n, yaml.MappingNode):
            seen: set[str] = set()
            for key_node, value_node in n.value:
                key = str(key_node.value)
                if key in seen:
                    line, col = pos(key_node.start_mark)
                    diagnostics.append(error(path, line, col, "duplicate-key", f"duplicate key '{key}'"))
                seen.add(key)
                located.key_at[at + (key,)] = pos(key_node.start_mark)
                walk(value_node, at + (key,))
        elif isinstance(n, yaml.SequenceNode):
            for index, item in enumerate(n.value):
                walk(item, at + (index,))

    if node is not None:
        walk(node, ())
    return located, diagnostics


def _refused(text: str) -> tuple[Any, str, str] | None:  # a Mark of the Python or the C parser
    """The first alias or too-deep collection, found in one linear pass over the parser's events.

    Aliases let a few lines expand into billions of values ("billion laughs"), and nothing we read
    needs them, so they are refused before anything is composed or walked.
    """
    loader = _LOADER(text)
    try:
        depth = 0
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark, "yaml-alias", "YAML aliases (*name) are not allowed here"
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark, "yaml-syntax", f"nested more than {MAX_DEPTH} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return None
    finally:
        loader.dispose()


def _compose(text: str) -> yaml.Node | None:
    loader = _LOADER(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _unconstructable(root: yaml.Node) -> list[tuple[yaml.Node, str, str]]:
    """The scalars PyYAML fails to turn into values, each with a code and a message."""
    out: list[tuple[yaml.Node, str, str]] = []
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack += [n for pair in reversed(node.value) for n in reversed(pair)]
        elif isinstance(node, yaml.SequenceNode):
            stack += reversed(node.value)
        else:
            try:
                SafeConstructor().construct_object(node)
            except Exception:  # whatever the constructor raises, the value is unusable
                shown = node.value if len(node.value) <= 40 else node.value[:40] + "…"
                if node.tag == _TIMESTAMP:
                    what = "date and time" if ":" in node.value else "date"
                    out.append((node, "bad-date", f"'{shown}' is not a real {what}"))
                else:
                    kind = node.tag.rsplit(":", 1)[-1]
                    out.append((node, "bad-value", f"'{shown}' cannot be read as {kind}"))
    return out


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str, first_line: int) -> Diagnostic:
    """A parser or constructor error as a diagnostic, with a hint when a tab is to blame."""
    offset = first_line - 1
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1 + offset, mark.column + 1) if mark else (first_line, 1)
    problem = exc.problem or exc.context or "malformed YAML"
    if "maximum nesting depth" in problem:  # newer libyaml stops deep nesting itself, before our event check
        return error(path, line, col, "yaml-syntax", f"nested more than {MAX_DEPTH} levels deep")
    hint = ""
    if exc.context and exc.context_mark and exc.problem_mark and exc.context_mark != exc.problem_mark:
        hint = f"{exc.context} that starts at {exc.context_mark.line + 1 + offset}:{exc.context_mark.column + 1}"
    if "mapping values are not allowed" in problem:  # `title: Hiring: a guide`; libyaml says "in this context"
        problem = "mapping values are not allowed here"
        hint = "a value that contains ': ' must be quoted, e.g. title: \"Hiring: a guide\""
    if mark and _char_at(text, mark.line, mark.column) == "\t":
        hint = "tabs cannot indent YAML; use spaces"
    return error(path, line, col, "yaml-syntax", f"malformed YAML: {problem}", hint)


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n")
    return lines[line][column : column + 1] if line < len(lines) else ""
