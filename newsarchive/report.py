"""What a build reports: counts, problems, seconds per stage (`BuildReport`), and the tally
the stages add to as they go (`Tally`), which makes it."""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .errors import Problem
from .problem_digest import RecordedProblems, problem_counts

STAGES = ("discover", "load", "plan", "render", "search", "write")  # pages are written as they render; "write" is the rest


@dataclass(frozen=True)
class BuildReport:
    read: int = 0
    parsed: int = 0  # articles parsed this time; the rest came from the cache
    built: int = 0
    skipped: dict[str, int] = field(default_factory=dict)  # reason → count
    problems: tuple[Problem, ...] = ()
    pages: int = 0  # pages in the site
    written: int = 0  # pages written this time
    files_copied: int = 0
    images_made: int = 0  # images whose versions were made this time (the rest came from .cache/images)
    up_to_date: bool = False
    seconds: float = 0.0
    stage_seconds: dict[str, float] = field(default_factory=dict)
    ok: bool = True
    output_dir: Path | None = None
    refused_links: int = 0  # symlinks leading outside articles/, static/ or templates/, left out
    from_records: bool = False  # only edited articles' pages, rendered from the last build's records (rebuild/edit.py)
    notes: tuple[str, ...] = ()  # what the build found changed by hand, and what it did about it (rebuild/books.py)

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    def summary(self) -> str:
        skipped = sum(self.skipped.values())
        why = ", ".join(f"{n} {reason}" for reason, n in sorted(self.skipped.items()))
        errors, warnings = problem_counts(self.problems)  # a recorded list is not read one by one
        line = f"read {self.read} articles, built {self.built}, skipped {skipped}" + (f" ({why})" if why else "")
        line += f"; {warnings} warning{'s' if warnings != 1 else ''}"
        if self.ok and errors:  # --keep-going built past them: say so, or "0 warnings" reads as a clean build
            line += f"; {errors} error{'s' if errors != 1 else ''} built past (--keep-going)"
        if self.refused_links:
            line += f"; refused {self.refused_links} symlink{'s' if self.refused_links != 1 else ''} leading outside the site's folders"
        if not self.ok:
            return line + f"; {errors} error{'s' if errors != 1 else ''}, nothing written (the previous site is untouched) after {self.seconds:.2f} s"
        if self.up_to_date:
            return line + f"; the site is up to date ({self.pages} pages) after {self.seconds:.2f} s"
        unchanged = self.pages - self.written
        return line + (f"; wrote {self.written} pages" + (f" ({unchanged} unchanged)" if unchanged else "")
                       + f" and copied {self.files_copied} files in {self.seconds:.2f} s")

    def profile(self) -> str:
        return "  ".join(f"{stage} {self.stage_seconds.get(stage, 0.0):.2f} s" for stage in STAGES)


class StageClock:
    """Wall seconds per stage, for --profile; `on_stage(name, seconds)` hears of each one as it ends (progress)."""

    def __init__(self, on_stage: Callable[[str, float], None] | None = None):
        self.started = self.mark = time.perf_counter()
        self.seconds: dict[str, float] = {}
        self.on_stage = on_stage

    def stage(self, name: str) -> None:
        now = time.perf_counter()
        self.seconds[name] = self.seconds.get(name, 0.0) + now - self.mark
        self.mark = now
        if self.on_stage:
            self.on_stage(name, now - self.started)

    def total(self) -> float:
        return time.perf_counter() - self.started


@dataclass
class Tally:
    """What the stages found so far: the one mutable record of a build, made into its report at the end."""
    clock: StageClock
    output_dir: Path
    read: int = 0
    refused_links: int = 0
    parsed: int = 0
    built: int = 0
    images_made: int = 0
    problems: list[Problem] = field(default_factory=list)  # once recorded, RecordedProblems (rebuild/books.py)
    skipped: Counter = field(default_factory=Counter)

    def report(self, ok: bool, **extra) -> BuildReport:
        problems = self.problems if isinstance(self.problems, RecordedProblems) else tuple(self.problems)
        return BuildReport(
            read=self.read, parsed=self.parsed, built=self.built if ok else 0, skipped={k: v for k, v in self.skipped.items() if v},
            problems=problems, refused_links=self.refused_links, ok=ok, seconds=self.clock.total(),
            stage_seconds=self.clock.seconds, output_dir=self.output_dir, images_made=self.images_made, **extra,
        )
