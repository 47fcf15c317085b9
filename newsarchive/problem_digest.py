"""Problems as the terminal shows them: many of one kind collapse into one line.

An archive whose 10,000 articles all name a missing image would print 10,000 warnings
and bury everything else. Problems of one kind (the same message once the quoted names
in it are set aside) are printed in full up to SHOW_ALL_UP_TO of them; past that, one
line with the count and the first few places, the hint once, and the full list in a
report file (or on the terminal with --verbose).

What the terminal and the report file show of a build's problems is computed once, when
the build that finds them records them (`RecordedProblems.of`, rebuild/books.py), and kept
with them in the cache (problem_store.py). A rebuild that reuses them (up to date, or an
edit leaving the edited articles' problems as they were) prints the same lines from that
summary and leaves a report file that already says the same as it is, so 10,000 warnings
cost nothing per article there.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

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
    lines: list[str] = []
    for group in recorded(problems).summary["groups"]:
        lines += group if isinstance(group, list) else [_crowded_line(group, report_path)]
    return lines


def _terminal_groups(groups: list[ProblemGroup]) -> list:
    """Per kind, its lines in full (few of a kind) or the parts of its one line (crowded)."""
    return [[str(p) for p in group.problems] if len(group.problems) <= SHOW_ALL_UP_TO else group.summary_parts()
            for group in groups]


def _text_digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def problem_counts(problems) -> tuple[int, int]:
    """(errors, warnings), without reading recorded problems one by one."""
    if isinstance(problems, RecordedProblems):
        return problems.counts
    errors = sum(p.is_error for p in problems)
    return errors, len(problems) - errors


def problem_json(problem: Problem) -> str:
    return json.dumps({"message": problem.message, "path": problem.path, "line": problem.line, "hint": problem.hint,
                       "severity": problem.severity}, ensure_ascii=False)


def problem_from_json(text: str) -> Problem:
    return Problem(**json.loads(text))


class RecordedProblems(Sequence):
    """A build's problems with what the terminal and the report file show of them: `summary`
    (counts, the terminal's groups, the report file's digest), made once from the Problems
    (`of`) by a build that found them, or read from the cache (problem_store.py) by one that
    reuses them, which then reads the Problems one by one only if asked (`read`)."""

    def __init__(self, summary: dict, read: Callable[[], Iterable[str]] | None = None,
                 problems: tuple[Problem, ...] | None = None, report: str | None = None):
        self.summary, self._read, self._problems, self._report = summary, read, problems, report

    @classmethod
    def of(cls, problems) -> RecordedProblems:
        problems = tuple(problems)
        groups = group_problems(problems)
        text = _report_text(groups)
        summary = {"counts": list(problem_counts(problems)), "groups": _terminal_groups(groups),
                   "report": _text_digest(text.encode("utf-8"))}
        return cls(summary, problems=problems, report=text)

    @property
    def counts(self) -> tuple[int, int]:
        errors, warnings = self.summary["counts"]
        return errors, warnings

    def rows(self) -> list[tuple[str | None, str]]:
        """(path, JSON) of each, in order: what the cache keeps."""
        return [(p.path, problem_json(p)) for p in self]

    def report_text(self) -> str:
        return self._report if self._report is not None else _report_text(group_problems(self._all()))

    def _all(self) -> tuple[Problem, ...]:
        if self._problems is None:
            self._problems = tuple(map(problem_from_json, self._read())) if len(self) else ()
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


def recorded(problems) -> RecordedProblems:
    """`problems` with their summary, made once for the terminal and the report file both."""
    return problems if isinstance(problems, RecordedProblems) else RecordedProblems.of(problems)


def report_text(problems) -> str:
    """The report file: every problem, one kind after another, with a count per kind."""
    return recorded(problems).report_text()


def _report_text(groups: list[ProblemGroup]) -> str:
    if not groups:
        return "no problems\n"
    parts = []
    for group in groups:
        parts.append(f"## {len(group.problems)} × {group.severity}: {group.kind}")
        parts += [str(p) for p in group.problems]
        parts.append("")
    return "\n".join(parts)


def write_report(folder: Path, problems) -> Path | None:
    """The full list in `folder`/last-build-report.txt; None when it cannot be written (the
    terminal then says nothing of it, and --verbose still prints everything)."""
    path, problems = folder / REPORT_NAME, recorded(problems)
    digest = problems.summary["report"]
    if _holds(path, digest):
        return path  # it says this already (a build before wrote it, and nobody changed it since)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _replace_text(path, problems.report_text())
        _stamp(path, digest)
    except OSError:
        return None
    return path


def _holds(path: Path, digest: str) -> bool:
    """Whether the report file holds the text of this digest: told by its stamp when the file
    is as it was stamped (size, times, inode), else by reading it (1.8 MB at 10,000 warnings)."""
    try:
        if _stamp_path(path).read_text(encoding="utf-8") == _stamp_text(path, digest):
            return True
    except OSError:
        pass
    try:
        holds = _text_digest(path.read_bytes()) == digest
        if holds:
            _stamp(path, digest)
        return holds
    except OSError:
        return False


def _stamp(path: Path, digest: str) -> None:
    try:
        _replace_text(_stamp_path(path), _stamp_text(path, digest))
    except OSError:  # no stamp: the next build reads the report to tell
        pass


def _replace_text(path: Path, text: str) -> None:
    """Write beside `path`, then rename onto it: a symlink planted at `path` is replaced, never
    followed (it could point at an article or any file the user owns)."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _stamp_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.stamp")


def _stamp_text(path: Path, digest: str) -> str:
    st = path.stat()
    return f"{digest} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}\n"


def updated_problems(before: dict[str, list[tuple[int, Problem]]], fresh: dict[str, list[Problem] | None]) -> dict[int, Problem | None] | None:
    """Each edited article's last problems (`before`: by path, their places in the list and
    themselves) replaced by `fresh` (None: as they were): place → the problem there now, or None
    when it is gone, for those that changed. The fresh ones keep the last ones' places, so each
    must match one of them by message, in order (their lines may have moved); those matched by
    none are gone. None when a fresh problem matches none: a new warning."""
    changes: dict[int, Problem | None] = {}
    for path, found in fresh.items():
        if found is None:
            continue
        waiting = list(found)
        for seq, problem in before.get(path, ()):
            if waiting and waiting[0].message == problem.message:
                if (now := waiting.pop(0)) != problem:
                    changes[seq] = now
            else:
                changes[seq] = None
        if waiting:
            return None
    return changes
