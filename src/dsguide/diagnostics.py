"""Problems found in content, reported the way a compiler reports them.

Every stage returns its diagnostics instead of raising, so one run can report all of them.
"""

from __future__ import annotations

import json
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
        kind = "error" if self.severity is Severity.ERROR else "warning"
        props = [f"file={self.path}"]
        if self.line:
            props += [f"line={self.line}", f"col={self.col or 1}"]
        props.append(f"title={self.code}")
        message = self.format_text().replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return f"::{kind} {','.join(props)}::{message}"


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
