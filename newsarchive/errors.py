"""Problems found in the user's input, reported all at once with file, line and a hint.

A `Problem` is plain data; stages return or raise them instead of printing, so the
command line decides how they are shown and whether the build stops.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None
    severity: str = "error"  # "error" or "warning"

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def warning(message: str, path: str | None = None, line: int | None = None, hint: str | None = None) -> Problem:
    return Problem(message, path, line, hint, severity="warning")


class BuildError(Exception):
    """Raised when the build cannot go on; carries every problem that stopped it."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(BuildError):
    pass


class UnsafeOutputError(BuildError):
    pass


class BuildLocked(BuildError):
    """Another build of the same site holds its lock; `serve` waits for it and builds again."""


def display_path(abs_path: Path, base: Path) -> str:
    """A path as the user would type it: relative to `base` when inside it."""
    try:
        return abs_path.relative_to(base).as_posix()
    except ValueError:
        return str(abs_path)


@dataclass
class ProblemLog:
    """Collects problems across a stage so all are reported, not just the first."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]
