"""Progress on long work: a live rich display on a terminal, plain lines in CI logs.

Commands make one `Progress` and hand its methods to the work as callbacks; the work
never knows how (or whether) it is shown.
"""
from __future__ import annotations

import sys
from typing import TextIO

PLAIN_STAGE_SECONDS = 0.5  # in a log, a stage shorter than this is not worth a line


class Progress:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool = True):
        self.stream = stream or sys.stdout
        self.live = enabled and self.stream.isatty()
        self.enabled = enabled
        self._status = None
        self._bar = None
        self._task = None
        self._last_stage_end = 0.0

    def build_stage(self, name: str, elapsed: float) -> None:
        """Called as each build stage ends, with the seconds since the build began."""
        seconds, self._last_stage_end = elapsed - self._last_stage_end, elapsed
        if not self.enabled:
            return
        if self.live:
            if self._status is None:
                from rich.console import Console
                self._status = Console(file=self.stream).status("building…")
                self._status.start()
            self._status.update(f"building: {name} done ({elapsed:.1f} s)")
        elif seconds >= PLAIN_STAGE_SECONDS:
            print(f"  {name} done in {seconds:.2f} s", file=self.stream, flush=True)

    def end_build(self) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
        self._last_stage_end = 0.0

    def start_transfer(self, total: int, label: str) -> None:
        if self.live and total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn
            from rich.console import Console
            self._bar = Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                            console=Console(file=self.stream), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(label, total=total)

    def file_done(self, verb: str, output_path: str) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)
        elif self.enabled:
            print(f"  {verb} {output_path}", file=self.stream, flush=True)

    def end_transfer(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
