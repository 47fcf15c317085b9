"""`init PATH`: a new site folder that builds at once (config.yaml, one example article, .gitignore).

The config lists every key with its meaning, so a new user edits rather than looks up;
the example article is in the site's language where we have one written (en, fr, ar, es).
"""
from __future__ import annotations

import argparse
import json
import shlex
import shutil
import textwrap
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..config import DEFAULT_STATIC, DEFAULT_TEMPLATES, OPTIONS, parse_config
from ..errors import BuildError, Problem

HELP = "create a new site folder: config.yaml, articles/ with an example article, .gitignore"
TAKES_CONFIG = False

ACTIVE_KEYS = ("title", "description", "base_url", "language", "timezone")
GITIGNORE = "# Built by newsarchive: the site, its build cache, and the staging folders of a build in progress.\n_site/\n.cache/\n.*.staging-*/\n.*.old-*/\n"


@dataclass(frozen=True)
class ExampleArticle:
    lang: str
    site_title: str
    slug: str
    title: str
    tags: tuple[str, ...]
    section: str
    body: str


EXAMPLES = {
    "en": ExampleArticle(
        "en", "News archive", "welcome", "Welcome to your news archive", ("Archive", "Guide"), "Notes",
        """This is an example article. Every file ending in `.md` under `articles/` becomes a page of
the site: edit this one, or delete it once you have written your own.

An article starts with front matter between two `---` lines. `title` and `date` are required;
`tags`, `section`, `source`, `author`, `lang`, `image` and `related` are optional. The text
after it is Markdown: **bold**, *italics*, lists and tables.

Next steps:

1. Set `title` and `base_url` in `config.yaml`.
2. Add your articles under `articles/`, in one folder per year if you like.
3. Build the site again: the result is in `_site/`.
"""),
    "fr": ExampleArticle(
        "fr", "Archives de presse", "bienvenue", "Bienvenue dans vos archives de presse", ("Archives", "Guide"), "Notes",
        """Ceci est un article d'exemple. Chaque fichier `.md` placé sous `articles/` devient une page
du site : modifiez celui-ci, ou supprimez-le quand vous aurez écrit les vôtres.

Un article commence par un en-tête entre deux lignes `---`. `title` et `date` sont obligatoires ;
`tags`, `section`, `source`, `author`, `lang`, `image` et `related` sont facultatifs. Le texte
qui suit est du Markdown : **gras**, *italique*, listes et tableaux.

Pour continuer :

1. Renseignez `title` et `base_url` dans `config.yaml`.
2. Ajoutez vos articles sous `articles/`, par exemple dans un dossier par année.
3. Reconstruisez le site : le résultat se trouve dans `_site/`.
"""),
    "es": ExampleArticle(
        "es", "Archivo de noticias", "bienvenida", "Bienvenido a su archivo de noticias", ("Archivo", "Guía"), "Notas",
        """Este es un artículo de ejemplo. Cada archivo `.md` dentro de `articles/` se convierte en una
página del sitio: edítelo, o bórrelo cuando haya escrito los suyos.

Un artículo empieza con unos metadatos entre dos líneas `---`. `title` y `date` son obligatorios;
`tags`, `section`, `source`, `author`, `lang`, `image` y `related` son opcionales. El texto que
sigue es Markdown: **negrita**, *cursiva*, listas y tablas.

Próximos pasos:

1. Indique `title` y `base_url` en `config.yaml`.
2. Añada sus artículos en `articles/`, por ejemplo en una carpeta por año.
3. Vuelva a generar el sitio: el resultado está en `_site/`.
"""),
    "ar": ExampleArticle(
        "ar", "الأرشيف الإخباري", "marhaban", "مرحبًا بكم في أرشيفكم الإخباري", ("أرشيف", "دليل"), "ملاحظات",
        """هذه مقالة للتوضيح. كل ملف ينتهي بـ `.md` داخل المجلد `articles/` يصبح صفحة من صفحات
الموقع: عدّلوا هذه المقالة، أو احذفوها بعد أن تكتبوا مقالاتكم.

تبدأ المقالة ببيانات وصفية بين سطرين `---`. الحقلان `title` و`date` إلزاميان، أما `tags`
و`section` و`source` و`author` و`lang` و`image` و`related` فاختيارية. النص الذي يليها مكتوب
بصيغة Markdown: **خط عريض** و*خط مائل* وقوائم وجداول.

الخطوات التالية:

1. حدّدوا `title` و`base_url` في الملف `config.yaml`.
2. أضيفوا مقالاتكم داخل `articles/`، في مجلد لكل سنة مثلًا.
3. أعيدوا بناء الموقع: تجدون النتيجة في `_site/`.
"""),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path, metavar="PATH", help="the new site's folder (created if missing; must be empty)")
    parser.add_argument("--title", metavar="T", help="the site's name (default: 'News archive', in the chosen language)")
    parser.add_argument("--language", default="en", metavar="L",
                        help="language code of the site and its example article (default: en; en, fr, ar and es have their own example text)")
    parser.add_argument("--base-url", default="http://localhost:8000/", metavar="URL",
                        help="the URL the site will be published at (default: http://localhost:8000/)")
    parser.add_argument("--theme", action="store_true",
                        help="also copy the default theme into templates/ and static/ for editing (the build uses them)")


def example_for(language: str) -> ExampleArticle:
    """The example in the site's language, or its base language (pt for pt-BR), or English."""
    base = language.replace("_", "-").split("-")[0].lower()
    return EXAMPLES.get(language.lower(), EXAMPLES.get(base, EXAMPLES["en"]))


def _yaml(value) -> str:
    return json.dumps(value, ensure_ascii=False)  # JSON values are YAML flow values: quotes, colons and '#' are safe


def config_text(values: dict) -> str:
    """Every key with its meaning; the ones a new site sets are active, the others show their default."""
    lines = [
        "# newsarchive settings for this site. Every key is described in the README (\"Configuration\").",
        "# Lines starting with # are comments: remove the # before a key to change it from its default.",
    ]
    for option in OPTIONS:
        lines += ["", *(f"# {line}" for line in textwrap.wrap(option.doc, 88))]
        if option.name in ACTIVE_KEYS:
            lines.append(f"{option.name}: {_yaml(values.get(option.name, option.default))}")
        else:
            lines.append(f"# {option.name}: {_yaml(option.default)}")
    return "\n".join(lines) + "\n"


def article_text(example: ExampleArticle, date: str) -> str:
    return "\n".join([
        "---",
        f"title: {_yaml(example.title)}",
        f"date: {date}",
        f"slug: {example.slug}",
        f"tags: {_yaml(list(example.tags))}",
        f"section: {_yaml(example.section)}",
        f"lang: {example.lang}",
        "---",
        example.body,
    ])


def _check_values(args: argparse.Namespace) -> list[Problem]:
    problems = []
    for flag, name in (("--language", "language"), ("--base-url", "base_url")):
        option = next(o for o in OPTIONS if o.name == name)
        message = option.check(getattr(args, name))
        if message:
            problems.append(Problem(f"{flag} {message}, not {getattr(args, name)!r}"))
    if args.title is not None and not args.title.strip():
        problems.append(Problem("--title is empty", hint='give the site a name: --title "Velmar Coast Archive"'))
    return problems


def _check_target(site_dir: Path) -> Problem | None:
    if site_dir.exists() and not site_dir.is_dir():
        return Problem("exists and is not a folder; nothing was written", str(site_dir), hint="choose a new or empty folder")
    if site_dir.is_dir():
        entries = sorted(p.name for p in site_dir.iterdir())
        if entries:
            shown = ", ".join(entries[:5]) + (", …" if len(entries) > 5 else "")
            return Problem(f"the folder is not empty (it holds {shown}); nothing was written", str(site_dir),
                           hint="init only creates new sites: choose a new or empty folder")
    return None


def _write_new(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def run(args: argparse.Namespace) -> int:
    problems = _check_values(args)
    site_dir: Path = args.path
    target_problem = _check_target(site_dir)
    if target_problem:
        problems.append(target_problem)
    if problems:
        raise BuildError(problems)
    example = example_for(args.language)
    values = {"title": (args.title or example.site_title).strip(), "base_url": args.base_url, "language": args.language}
    text = config_text(values)
    parse_config(text, site_dir.absolute() / "config.yaml")  # what init writes must build: fail here, before writing
    today = datetime.now(timezone.utc).date()
    article_path = Path("articles", f"{today.year:04d}", f"{example.slug}.md")

    created = ["config.yaml", article_path.as_posix(), ".gitignore"] + (["templates/", "static/"] if args.theme else [])
    try:
        site_dir.mkdir(parents=True, exist_ok=True)
        _write_new(site_dir / "config.yaml", text)
        _write_new(site_dir / article_path, article_text(example, today.isoformat()))
        _write_new(site_dir / ".gitignore", GITIGNORE)
        if args.theme:
            shutil.copytree(DEFAULT_TEMPLATES, site_dir / "templates")
            shutil.copytree(DEFAULT_STATIC, site_dir / "static")
    except OSError as exc:
        raise BuildError(Problem(f"cannot write: {exc.strerror or exc}", str(exc.filename or site_dir),
                                 hint="choose a folder you can write to")) from None

    print(f"created {site_dir}: " + ", ".join(created))
    print("next, build the site and look at it:")
    print(f"  {getattr(args, 'run_as', args.prog)} build --config {shlex.quote(str(site_dir / 'config.yaml'))}")
    print(f"  {getattr(args, 'run_as', args.prog)} serve --config {shlex.quote(str(site_dir / 'config.yaml'))}   # then open the address it prints")
    return 0
