"""Deterministic synthetic corpus: N news articles as Markdown + YAML front matter.

Seeded pseudo-words (no real text), 500–900 words per article, 1–6 tags drawn from
~2,000 tags, four languages (en, fr, es, ar), several sections and sources, dated over
ten years with mixed UTC offsets. The same (n, seed) always writes the same files.

With --rich, bodies are about 650 words (550–800) of the Markdown news articles really
use: `##` and `###` headings, bullet and numbered lists, block quotes, links (outside
ones and site-absolute links to earlier articles), emphasis and strong emphasis. Always
ending with a plain paragraph, so the edit scenario of run.py appends to prose.

    python bench/corpus.py --n 10000 --out bench/corpus/10000 [--rich]
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


def inline_marks(rng: random.Random, text: str, vocab: list[str], earlier: list[str]) -> str:
    """Emphasis, strong emphasis and links on a few words of a paragraph."""
    words = text.split(" ")
    if len(words) < 4:
        return text
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(1, len(words) - 1)
        if words[i][-1] not in ".,":
            words[i] = rng.choice(("*{}*", "**{}**", "_{}_")).format(words[i])
    if rng.random() < 0.6:
        i = rng.randrange(1, len(words) - 2)
        label = " ".join(w.strip("*_.") for w in words[i:i + 2])
        if earlier and rng.random() < 0.5:
            target = rng.choice(earlier)
        else:
            target = f"https://www.{rng.choice(vocab)}.example/{rng.choice(vocab)}/{rng.randint(1000, 99999)}"
        words[i:i + 2] = [f"[{label}]({target})" + ("." if words[i + 1].endswith(".") else "")]
    return " ".join(words)


def rich_body(rng: random.Random, words: list[str], earlier: list[str]) -> list[str]:
    """Blocks of a body of about 650 words: paragraphs, headings, lists, quotes."""
    target_words = rng.randint(450, 650)
    blocks, count, since_heading = [], 0, 0
    while count < target_words:
        roll = rng.random()
        if since_heading >= 3 and roll < 0.35:
            blocks.append(rng.choice(("## ", "## ", "### ")) + sentence(rng, words, 2, 6)[:-1])
            since_heading = 0
            continue
        if blocks and roll < 0.5:
            items = [sentence(rng, words, 3, 10) for _ in range(rng.randint(3, 5))]
            marker = "- {}" if rng.random() < 0.65 else "{n}. {}"
            blocks.append("\n".join(marker.format(inline_marks(rng, item, words, earlier) if rng.random() < 0.3 else item, n=k)
                                    for k, item in enumerate(items, start=1)))
            count += sum(len(item.split()) for item in items)
        elif blocks and roll < 0.62:
            quote = " ".join(sentence(rng, words) for _ in range(rng.randint(1, 2)))
            blocks.append("> " + quote + ("\n>\n> — " + sentence(rng, words, 2, 3)[:-1] if rng.random() < 0.4 else ""))
            count += len(quote.split())
        else:
            para = " ".join(sentence(rng, words) for _ in range(rng.randint(2, 5)))
            count += len(para.split())
            blocks.append(inline_marks(rng, para, words, earlier))
        since_heading += 1
    blocks.append(" ".join(sentence(rng, words) for _ in range(2)))
    return blocks


def write_corpus(n: int, out: Path, seed: int = 1, rich: bool = False) -> None:
    rng = random.Random(seed)
    vocab = {lang: make_words(random.Random(f"{seed}-{lang}"), ARABIC if lang == "ar" else LATIN, 3000) for lang in LANGS}
    tags = [w.capitalize() for w in make_words(random.Random(f"{seed}-tags"), LATIN, 2000)]
    sections = [w.capitalize() for w in make_words(random.Random(f"{seed}-sections"), LATIN, 12)]
    sources = [f"{w.capitalize()} News" for w in make_words(random.Random(f"{seed}-sources"), LATIN, 40)]
    authors = [f"{a.capitalize()} {b.capitalize()}" for a, b in zip(make_words(random.Random(f"{seed}-a"), LATIN, 300), make_words(random.Random(f"{seed}-b"), LATIN, 300))]
    articles = out / "articles"
    articles.mkdir(parents=True, exist_ok=True)
    earlier: list[str] = []  # site-absolute URLs of the articles written so far (rich bodies link to some)
    for i in range(n):
        lang = LANGS[i % len(LANGS)]
        words = vocab[lang]
        title = sentence(rng, words, 4, 10)[:-1]
        year = 2015 + rng.randint(0, 9)
        date = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00{rng.choice(OFFSETS)}"
        if rich:
            paragraphs = rich_body(rng, words, earlier)
        else:
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
        if rich and len(earlier) < 500:
            earlier.append(f"/{date[:4]}/{date[5:7]}/a{i:07d}/")
        folder = articles / str(year)
        folder.mkdir(exist_ok=True)
        (folder / f"a{i:07d}.md").write_text("\n".join(front) + "\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--rich", action="store_true", help="rich Markdown bodies: headings, lists, quotes, links, emphasis")
    args = parser.parse_args()
    write_corpus(args.n, args.out, args.seed, args.rich)


if __name__ == "__main__":
    main()
