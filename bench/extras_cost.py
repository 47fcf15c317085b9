"""What issue 11's additions cost: related articles at 10k/100k articles, and image versions
per image (scaled to 1,000). Not part of `make bench`; numbers go to BENCHMARKS.md.

    .venv/bin/python bench/extras_cost.py related --n 10000 100000
    .venv/bin/python bench/extras_cost.py images --n 100 --jobs 2
"""
from __future__ import annotations

import argparse
import random
import resource
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from newsarchive.content import Article
from newsarchive.walk import source_file
from newsarchive.images import ImageWork
from newsarchive.related import neighbours_by_date, suggest_related

OFFSETS = [timezone(timedelta(hours=h)) for h in (0, 1, 2, -5, 3)]


def synthetic_articles(n: int, seed: int = 1) -> tuple[Article, ...]:
    """Like bench/corpus.py: 1–6 tags of ~2,000, 12 sections, ten years of dates."""
    rng = random.Random(seed)
    tags = [f"Tag{i}" for i in range(2000)]
    sections = [f"Section{i}" for i in range(12)]
    start = datetime(2015, 1, 1, tzinfo=timezone.utc)
    items = []
    for i in range(n):
        date = (start + timedelta(minutes=rng.randint(0, 10 * 365 * 24 * 60))).astimezone(rng.choice(OFFSETS))
        items.append(Article(source_path=f"{date.year}/a{i:07d}.md", title=f"Article {i}", date=date, date_only=False,
                             slug=f"a{i:07d}", url=f"/{date.year}/{date.month:02d}/a{i:07d}/", lang="en", summary="",
                             tags=tuple(rng.sample(tags, rng.randint(1, 6))), section=rng.choice(sections)))
    return tuple(sorted(items, key=lambda a: a.sort_key))


def bench_related(sizes: list[int]) -> None:
    for n in sizes:
        articles = synthetic_articles(n)
        started = time.perf_counter()
        chosen = suggest_related(articles, {}, "ascii")
        neighbours_by_date(articles)
        seconds = time.perf_counter() - started
        counts = [len(v) for v in chosen.values()]
        print(f"related n={n}: {seconds:.2f} s ({seconds / n * 1e6:.0f} µs/article), "
              f"{sum(counts) / max(1, len(counts)):.2f} per article, peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def photo(path: Path, rng: random.Random) -> None:
    """A 1600×1000 JPEG of about the size of a news photo (noise over shapes, quality 85)."""
    from PIL import Image, ImageDraw, ImageFilter
    image = Image.effect_noise((1600, 1000), 22).convert("RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randint(0, 1500), rng.randint(0, 900)
        draw.rectangle([x, y, x + rng.randint(50, 400), y + rng.randint(50, 300)], fill=tuple(rng.randint(0, 255) for _ in range(3)))
    image.filter(ImageFilter.GaussianBlur(0.8)).save(path, "JPEG", quality=85)


def bench_images(n: int, jobs: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="na-images-"))
    try:
        rng = random.Random(1)
        assets = []
        for i in range(n):
            path = work / "articles" / f"p{i:04d}.jpg"
            path.parent.mkdir(exist_ok=True)
            photo(path, rng)
            st = path.stat()
            assets.append(source_file(path.name, str(path.parent), st))
        before = sum(a.stat[0] for a in assets)
        started = time.perf_counter()
        images = ImageWork(assets, work / ".cache", jobs).collect()
        cold = time.perf_counter() - started
        started = time.perf_counter()
        again = ImageWork(assets, work / ".cache", jobs).collect()
        warm = time.perf_counter() - started
        made = sum(f.stat[0] for f in images.files)
        print(f"images n={n} jobs={jobs}: cold {cold:.2f} s ({cold / n * 1000:.0f} s per 1,000 images, scaled), "
              f"cached rebuild {warm:.3f} s (made {again.made}); originals {before / n / 1024:.0f} KB each, "
              f"versions {made / n / 1024:.0f} KB per image ({len(images.files) / n:.0f} files)")
    finally:
        shutil.rmtree(work)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("related", "images"))
    parser.add_argument("--n", type=int, nargs="+", default=[10000])
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if args.what == "related":
        bench_related(args.n)
    else:
        bench_images(args.n[0], args.jobs)


if __name__ == "__main__":
    main()
