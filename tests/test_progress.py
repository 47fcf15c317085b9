"""Progress: rich on a terminal, plain lines in a log, nothing with --quiet."""
from __future__ import annotations

import io

from conftest import article, run_cli
from newsarchive.progress import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_log_gets_a_plain_line_only_for_stages_worth_one():
    log = io.StringIO()
    progress = Progress(log)
    progress.build_stage("discover", 0.01)
    progress.build_stage("load", 0.91)
    progress.build_stage("plan", 0.95)
    progress.end_build()
    assert log.getvalue() == "  load done in 0.90 s\n"


def test_log_gets_one_line_per_file_sent():
    log = io.StringIO()
    progress = Progress(log)
    progress.start_transfer(2, "deploying to x")
    progress.file_done("uploaded", "index.html")
    progress.file_done("deleted", "old.html")
    progress.end_transfer()
    assert log.getvalue() == "  uploaded index.html\n  deleted old.html\n"


def test_terminal_gets_a_live_rich_display_and_no_plain_lines():
    screen = Terminal()
    progress = Progress(screen)
    progress.build_stage("load", 0.9)
    progress.end_build()
    progress.start_transfer(1, "deploying to x")
    progress.file_done("uploaded", "index.html")
    progress.end_transfer()
    shown = screen.getvalue()
    assert "\x1b[" in shown and "building: load done" in shown and "deploying to x" in shown
    assert "  uploaded index.html\n" not in shown and "load done in" not in shown


def test_quiet_build_prints_only_the_report_line(make_site):
    config = make_site({"articles/a.md": article("A")})
    result = run_cli("build", "--config", config, "--quiet")
    assert result.code == 0 and result.out.count("\n") == 1 and result.out.startswith("built: ")
