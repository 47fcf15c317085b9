"""A page's template context → its bytes, with template errors named by file and line."""
from __future__ import annotations

import traceback
from pathlib import Path

import jinja2

from .errors import BuildError, Problem


def render_page(template_name: str, context: dict, env: jinja2.Environment, *, url: str, origin: str) -> bytes:
    try:
        text = env.get_template(template_name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise BuildError(Problem(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno, "fix the template's syntax")) from None
    except jinja2.TemplateNotFound as exc:
        raise BuildError(Problem(f"template '{exc.name}' not found", hint="looked in " + ", ".join(env.loader.searchpath))) from None
    except Exception as exc:  # a template that fails at render time, e.g. an undefined variable
        filename, line = _template_frame(exc, env)
        raise BuildError(Problem(
            f"template error while rendering {url} ({origin}): {exc}", filename, line,
            "check the names the template uses; see the README's template reference",
        )) from None
    return text.encode("utf-8")


def compile_templates(env: jinja2.Environment, names: set[str]) -> None:
    """Compile every template a build needs up front, so syntax errors surface before any
    page renders and worker processes inherit the compiled code."""
    for name in sorted(names):
        try:
            env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            raise BuildError(Problem(f"template error: {exc.message}", exc.filename or exc.name, exc.lineno, "fix the template's syntax")) from None
        except jinja2.TemplateNotFound as exc:
            raise BuildError(Problem(f"template '{exc.name}' not found", hint="looked in " + ", ".join(env.loader.searchpath))) from None


def _template_frame(exc: BaseException, env: jinja2.Environment) -> tuple[str | None, int | None]:
    """The innermost template file and line in a render traceback (Jinja maps frames to template lines)."""
    roots = [str(Path(p).resolve()) for p in env.loader.searchpath]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if any(str(Path(frame.filename).resolve()).startswith(root) for root in roots):
            return frame.filename, frame.lineno
    return None, None
