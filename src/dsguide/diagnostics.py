"""Problems found in content, reported the way a compiler reports them.

Every stage returns its diagnostics instead of raising, so one run can report all of them.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from enum import StrEnum


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
        text = f"{self.location()}: {self.severity}[{self.code}]: {self.message}"
        return f"{text} ({self.hint})" if self.hint else text

    def format_github(self) -> str:
        """A GitHub Actions workflow command; the runner shows the first 10 of a step as annotations."""
        kind = "error" if self.severity is Severity.ERROR else "warning"
        props = [f"file={github_property(self.path)}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col or 1}"]
        props.append(f"title={github_property(self.code)}")
        message = self.format_text().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {','.join(props)}::{message}"


def github_property(value: str) -> str:
    """A workflow-command property value: `,` would end it and `:` start the message, so they are
    percent-encoded too (as the Actions toolkit does), after `%` and line breaks."""
    return (value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            .replace(":", "%3A").replace(",", "%2C"))


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
