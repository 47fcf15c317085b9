"""Problems as the terminal shows them: many of one kind collapse into one line.

An archive whose 10,000 articles all name a missing image would print 10,000 warnings
and bury everything else. Problems of one kind (the same message once the quoted names
in it are set aside) are printed in full up to SHOW_ALL_UP_TO of them; past that, one
line with the count and the first few places, the hint once, and the full list in a
report file (or on the terminal with --verbose).

What the terminal and the report file show of a build's problems is kept with the build
(`digest_of`, bookkeeping.py), and a build that finds the site up to date gets the last
build's problems as `RecordedProblems`: the same lines are printed from the digest and an
intact report file is left as it is, so 10,000 warnings cost nothing per article there.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
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
        return _crowded_line(self.summary_parts(), report_path)

    def summary_parts(self) -> dict[str, str]:
        """The line of a crowded kind, before and after where the report file is named."""
        first = ", ".join(self.place(p) for p in self.problems[:FIRST_PLACES])
        more = len(self.problems) - FIRST_PLACES
        head = f"{self.severity}: {len(self.problems)} × {self.kind} — in {first}" + (f" and {more} more" if more > 0 else "")
        hints = {p.hint for p in self.problems if p.hint}
        return {"head": head, "tail": f"\n    hint: {hints.pop()}" if len(hints) == 1 else ""}


def _crowded_line(parts: dict[str, str], report_path: Path | None) -> str:
    return parts["head"] + (f" (full list in {report_path})" if report_path else "") + parts["tail"]


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
    groups = problems.digest["groups"] if isinstance(problems, RecordedProblems) else terminal_groups(problems)
    lines: list[str] = []
    for group in groups:
        lines += group if isinstance(group, list) else [_crowded_line(group, report_path)]
    return lines


def terminal_groups(problems) -> list:
    """Per kind, its lines in full (few of a kind) or the parts of its one line (crowded)."""
    return [[str(p) for p in group.problems] if len(group.problems) <= SHOW_ALL_UP_TO else group.summary_parts()
            for group in group_problems(problems)]


def digest_of(problems) -> dict:
    """What the terminal and the report file show of `problems`, kept with the build."""
    return {"counts": list(problem_counts(problems)), "groups": terminal_groups(problems),
            "report": _text_digest(report_text(problems).encode("utf-8"))}


def _text_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def problem_counts(problems) -> tuple[int, int]:
    """(errors, warnings), without reading recorded problems one by one."""
    if isinstance(problems, RecordedProblems):
        return problems.counts
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


class RecordedProblems(Sequence):
    """The last build's problems as the cache keeps them: their JSON (`text`), made into
    Problems only when read one by one, and their digest (`digest_of`)."""

    def __init__(self, text: str, digest: dict):
        self.text, self.digest = text, digest
        self._problems: tuple[Problem, ...] | None = None

    @property
    def counts(self) -> tuple[int, int]:
        errors, warnings = self.digest["counts"]
        return errors, warnings

    def dicts(self) -> list[dict]:
        return json.loads(self.text) if len(self) else []

    def _all(self) -> tuple[Problem, ...]:
        if self._problems is None:
            self._problems = tuple(Problem(**p) for p in self.dicts())
        return self._problems

    def __len__(self) -> int:
        return sum(self.counts)

    def __getitem__(self, index):
        return self._all()[index]

    def __iter__(self):
        return iter(self._all())

    def __eq__(self, other) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, Sequence) and not isinstance(other, str) else other)

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"RecordedProblems({len(self)} problems)"


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
    if isinstance(problems, RecordedProblems) and _holds(path, problems.digest["report"]):
        return path  # the last build wrote it, and nobody changed it since
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(report_text(problems), encoding="utf-8")
    except OSError:
        return None
    return path


def _holds(path: Path, digest: str) -> bool:
    try:
        return _text_digest(path.read_bytes()) == digest
    except OSError:
        return False
