"""Deterministic synthetic corpus: N news articles as Markdown + YAML front matter.

Seeded pseudo-words (no real text), 500–900 words per article, 1–6 tags drawn from
~2,000 tags, four languages (en, fr, es, ar), several sections and sources, dated over
ten years with mixed UTC offsets. The same (n, seed) always writes the same files.

    python bench/corpus.py --n 10000 --out bench/corpus/10000
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

LANGS = ("en", "fr", "es", "ar")
LATIN = "abcdefghijklmnopqrstuvwxyz"
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
OFFSETS = ("+00:00", "+01:00", "+02:00", "-05:00", "+04:30", "+03:00")


def make_words(rng: random.Random, letters: str, count: int) -> list[str]:
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(2, 9))))
    return sorted(words)


def sentence(rng: random.Random, vocab: list[str], lo: int = 8, hi: int = 20) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(lo, hi))]
    words[0] = words[0].capitalize()
    return " ".join(words) + "."


def write_corpus(n: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    vocab = {lang: make_words(random.Random(f"{seed}-{lang}"), ARABIC if lang == "ar" else LATIN, 3000) for lang in LANGS}
    tags = [w.capitalize() for w in make_words(random.Random(f"{seed}-tags"), LATIN, 2000)]
    sections = [w.capitalize() for w in make_words(random.Random(f"{seed}-sections"), LATIN, 12)]
    sources = [f"{w.capitalize()} News" for w in make_words(random.Random(f"{seed}-sources"), LATIN, 40)]
    authors = [f"{a.capitalize()} {b.capitalize()}" for a, b in zip(make_words(random.Random(f"{seed}-a"), LATIN, 300), make_words(random.Random(f"{seed}-b"), LATIN, 300))]
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        lang = LANGS[i % len(LANGS)]
        words = vocab[lang]
        title = sentence(rng, words, 4, 10)[:-1]
        year = 2015 + rng.randint(0, 9)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00{rng.choice(OFFSETS)}"
        target_words = rng.randint(500, 900)
        paragraphs, count = [], 0
        while count < target_words:
            para = " ".join(sentence(rng, words) for _ in range(rng.randint(2, 5)))
            count += len(para.split())
            paragraphs.append(para)
        if len(paragraphs) > 4:
            paragraphs.insert(3, "## " + sentence(rng, words, 2, 5)[:-1])
        article_tags = rng.sample(tags, rng.randint(1, 6))
        front = [
            "---",
            f'title: "{title}"',
            f"date: {date}",
            f"slug: a{i:07d}",
            "tags: [" + ", ".join(article_tags) + "]",
            f"section: {rng.choice(sections)}",
            f"source: {rng.choice(sources)}",
            f"author: {rng.choice(authors)}",
            f"lang: {lang}",
            "---",
        ]
        folder = articles / str(year)
        folder.mkdir(exist_ok=True)
        (folder / f"a{i:07d}.md").write_text("\n".join(front) + "\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
