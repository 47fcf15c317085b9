"""A planned `Page` → its bytes, with template errors named by file and line."""
from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .errors import BuildError, Problem
from .plan import Page


@dataclass(frozen=True)
class Output:
    output_path: str
    content: bytes


def render_page(page: Page, env: jinja2.Environment) -> Output:
    try:
        template = env.get_template(page.template)
        text = template.render(page.context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(Problem(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno, "fix the template's syntax")) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError(Problem(f"template '{exc.name}' not found", hint="looked in " + ", ".join(env.loader.searchpath))) from None
    except Exception as exc:  # a template that fails at render time, e.g. an undefined variable
        filename, line = _template_frame(exc, env)
        raise BuildError(Problem(
            f"template error while rendering {page.url} ({page.origin}): {exc}", filename, line,
            "check the names the template uses; see the README's template reference",
        )) from None
    return Output(page.output_path, text.encode("utf-8"))


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The innermost template file and line in a render traceback (Jinja maps frames to template lines)."""
    roots = [str(Path(p).resolve()) for p in env.loader.searchpath]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(str(Path(frame.filename).resolve()).startswith(root) for root in roots):
            return frame.filename, frame.lineno
    return None, None
