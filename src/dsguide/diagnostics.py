"""Problems found in content, reported the way a compiler reports them.

Every stage returns its diagnostics instead of raising, so one run can report all of them.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from enum import StrEnum

# What a terminal or a log viewer would act on or hide: C0 controls (ESC, BEL, CR…), DEL, C1 controls
# (U+0080–U+009F, which some terminals read as ESC [), bidirectional marks, overrides and isolates,
# zero-width characters, and the line and paragraph separators. The backslash is escaped too, so an
# escaped text maps back to exactly one original.
UNPRINTABLE_RE = re.compile(r"[\\\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place. `line`/`col` are 1-based and 0 when unknown."""

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str = ""

    def location(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.col or 1}"
        return self.path

    def format_text(self) -> str:
        """The compiler-style line; every value from content is shown escaped (`printable`)."""
        text = f"{printable(self.location())}: {self.severity}[{self.code}]: {printable(self.message)}"
        return f"{text} ({printable(self.hint)})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub workflow command: escaped for the terminal first, then by GitHub's own rules
        (`%`, CR and LF in the message; also `:` and `,` in the properties)."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        props = [f"file={_github_property(self.path)}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col or 1}"]
        props.append(f"title={_github_property(self.code)}")
        return f"::{kind} {','.join(props)}::{_github_message(self.format_text())}"


def printable(text: str) -> str:
    """`text` safe to echo to a terminal or an annotation: each character in UNPRINTABLE_RE shown as
    a Python-style escape (ESC → `\\x1b`, U+202E → `\\u202e`, a backslash → `\\\\`), the rest as is.

    The one escaping function for everything printed; JSON output needs none (json.dumps escapes).
    """
    return UNPRINTABLE_RE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match[0]
    if char == "\\":
        return "\\\\"
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _github_message(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    return _github_message(printable(text)).replace(":", "%3A").replace(",", "%2C")



SUMMARY_ROWS = 50  # a job summary is for reading; the rest is one command away


def summary_markdown(report: Report, title: str = "dsguide check") -> str:
    """A Markdown job summary of a report: the counts and the first SUMMARY_ROWS problems as a table
    (GitHub shows at most 10 annotations a step, so this is where a reviewer sees the rest)."""
    items = report.sorted()
    lines = [f"## {title}: {report.summary()}", ""]
    if not items:
        return "\n".join(lines + ["No problems found.", ""])
    lines += ["| | where | rule | problem |", "| --- | --- | --- | --- |"]
    for d in items[:SUMMARY_ROWS]:
        mark = "❌" if d.severity is Severity.ERROR else "⚠️"
        problem = d.message + (f" ({d.hint})" if d.hint else "")
        lines.append(f"| {mark} | {_cell(d.location())} | {_cell(d.code)} | {_cell(problem)} |")
    if len(items) > SUMMARY_ROWS:
        lines += ["", f"…and {len(items) - SUMMARY_ROWS} more: run `dsguide check` to see every problem."]
    return "\n".join(lines + [""])


def _cell(text: str) -> str:
    """Text for one Markdown table cell, shown as written: one line, and every ASCII punctuation
    character backslash-escaped (so `|` cannot end the cell, nor `<`, `*` or `[` start markup)."""
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", " ".join(text.split()))


def line_col(text: str, offset: int) -> tuple[int, int]:
    """The 1-based (line, column) of character `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


class LineIndex:
    """`line_col` for many offsets in one text: the line starts are found once and each offset is
    placed by bisection, so locating n things costs O(n log n) rather than rescanning the text."""

    def __init__(self, text: str):
        self.starts = [0, *(match.end() for match in re.finditer("\n", text))]

    def line_col(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def error(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.ERROR, code, message, hint)


def warning(path: str, line: int, col: int, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(path, line, col, Severity.WARNING, code, message, hint)


@dataclass
class Report:
    """All diagnostics of one run, printed sorted by file and position."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    files_checked: int = 0

    def extend(self, items: list[Diagnostic]) -> None:
        self.diagnostics.extend(items)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def has_errors(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics))

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return (
            f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)} "
            f"in {self.files_checked} file{'s' * (self.files_checked != 1)}"
        )

    def render(self, fmt: str = "text") -> str:
        items = self.sorted()
        if fmt == "json":
            return json.dumps(
                {
                    "errors": len(self.errors),
                    "warnings": len(self.warnings),
                    "files": self.files_checked,
                    "diagnostics": [asdict(d) for d in items],
                },
                indent=2,
            )
        lines = [d.format_github() if fmt == "github" else d.format_text() for d in items]
        return "\n".join(lines)

    def render_condensed(self, shown_per_code: int = 3, threshold: int = 20) -> str:
        """Text for a large site: every error, but of a warning code with more than `threshold`
        findings only the first `shown_per_code`, then a health summary with the count per code."""
        counts: dict[str, int] = {}
        for d in self.warnings:
            counts[d.code] = counts.get(d.code, 0) + 1
        crowded = {code for code, count in counts.items() if count > threshold}
        if not crowded:
            return self.render("text")
        shown: dict[str, int] = {}
        lines = []
        for d in self.sorted():
            if d.severity is Severity.WARNING and d.code in crowded:
                shown[d.code] = shown.get(d.code, 0) + 1
                if shown[d.code] > shown_per_code:
                    continue
            lines.append(d.format_text())
        lines.append("content health: " + ", ".join(f"{count:,} {code}" for code, count in sorted(
            counts.items(), key=lambda item: (-item[1], item[0]))))
        lines += [f"  {counts[code] - shown_per_code:,} more {code} warnings not shown (--verbose shows all)"
                  for code in sorted(crowded)]
        return "\n".join(lines)
