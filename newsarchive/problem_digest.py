"""Problems as the terminal shows them: many of one kind collapse into one line.

An archive whose 10,000 articles all name a missing image would print 10,000 warnings
and bury everything else. Problems of one kind (the same message once the quoted names
in it are set aside) are printed in full up to SHOW_ALL_UP_TO of them; past that, one
line with the count and the first few places, the hint once, and the full list in a
report file (or on the terminal with --verbose).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem

SHOW_ALL_UP_TO = 5
FIRST_PLACES = 3
REPORT_NAME = "last-build-report.txt"
_QUOTED = re.compile(r"'[^']*'")
_NUMBER = re.compile(r"\d+")


def problem_kind(problem: Problem) -> tuple[str, str]:
    """(severity, message with its quoted names and numbers blanked): what makes two problems alike."""
    return problem.severity, _NUMBER.sub("N", _QUOTED.sub("'…'", problem.message))


@dataclass(frozen=True)
class ProblemGroup:
    severity: str
    kind: str  # the message with its particulars blanked
    problems: tuple[Problem, ...]

    def place(self, problem: Problem) -> str:
        return f"{problem.path}:{problem.line}" if problem.path and problem.line else (problem.path or "?")

    def summary(self, report_path: Path | None) -> str:
        first = ", ".join(self.place(p) for p in self.problems[:FIRST_PLACES])
        more = len(self.problems) - FIRST_PLACES
        where = f" (full list in {report_path})" if report_path else ""
        text = (f"{self.severity}: {len(self.problems)} × {self.kind} — in {first}"
                + (f" and {more} more" if more > 0 else "") + where)
        hints = {p.hint for p in self.problems if p.hint}
        if len(hints) == 1:
            text += f"\n    hint: {hints.pop()}"
        return text


def group_problems(problems: list[Problem] | tuple[Problem, ...]) -> list[ProblemGroup]:
    """Groups in the order their first problem came, errors before warnings."""
    groups: dict[tuple[str, str], list[Problem]] = {}
    for problem in problems:
        groups.setdefault(problem_kind(problem), []).append(problem)
    ordered = sorted(groups.items(), key=lambda item: item[0][0] != "error")
    return [ProblemGroup(severity, kind, tuple(items)) for (severity, kind), items in ordered]


def terminal_lines(problems, *, verbose: bool = False, report_path: Path | None = None) -> list[str]:
    """What to print: every problem when verbose or few of a kind, else one line per crowded kind."""
    if verbose:
        return [str(p) for p in problems]
    lines: list[str] = []
    for group in group_problems(problems):
        if len(group.problems) <= SHOW_ALL_UP_TO:
            lines += [str(p) for p in group.problems]
        else:
            lines.append(group.summary(report_path))
    return lines


def report_text(problems) -> str:
    """The report file: every problem, one kind after another, with a count per kind."""
    if not problems:
        return "no problems\n"
    parts = []
    for group in group_problems(problems):
        parts.append(f"## {len(group.problems)} × {group.severity}: {group.kind}")
        parts += [str(p) for p in group.problems]
        parts.append("")
    return "\n".join(parts)


def write_report(folder: Path, problems) -> Path | None:
    """The full list in `folder`/last-build-report.txt; None when it cannot be written (the
    terminal then says nothing of it, and --verbose still prints everything)."""
    path = folder / REPORT_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(problems), encoding="utf-8")
    except OSError:
        return None
    return path
