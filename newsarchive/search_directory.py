"""Which search bundles hold which words: a small per-language directory, so that a reader's
search loads only the bundles that can hold its results instead of every bundle.

Pagefind finds, in a bundle, the indexed words that begin with a query word's stem. After a
bundle is indexed, `indexed-words.json` in its folder lists the words Pagefind indexed
("stems", read from its word-index chunks) and the words of its pages as a reader would type
them ("forms": lower case, without punctuation or diacritics, as Pagefind's search normalises a
query). Each form's stem is asked of Pagefind itself (a one-record index of the forms in that
language, `stem_forms`), once: the last build's directory is the cache. Each language then gets,
in pagefind/words/:

- shards `<hash>.json`, one per first two characters: {"s": {stem: [bundle positions]},
  "f": {form: its stem, "" when the same}} for the stems and forms beginning with them;
- a manifest `<hash>.json`: {"bundles": [names in bundles.json order], "shards": {key: hash}}.

Every file is named by a hash of its bytes (a browser may cache it for ever), and
pagefind/bundles.json names each language's manifest. The files are a pure function of the
bundles, so an incremental build writes the same bytes as a clean one; the files nothing names
any more are deleted when the build is committed. A language none of whose bundles was indexed
again keeps its files; an in-place rebuild (an edit) patches only the shards of the words that
came and went in the bundles indexed again (_patched); any other build makes the whole directory. How the search page uses them: see
static/js/search.js (bundlesHolding).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import unicodedata
from array import array
from pathlib import Path

from .search_canonical import ENTRY, SIGNATURE, decode_index

WORDS_FILE = "indexed-words.json"  # in each bundle folder: {"stems": [...], "forms": [...]}
FOLDER = "words"  # under pagefind/
KEY_LENGTH = 2  # a shard holds the words beginning with the same two characters
PUNCTUATION = {"Pd", "Pe", "Pf", "Pi", "Po", "Ps"}  # what Pagefind's search drops from a query
SEGMENTED = ("zh", "ja", "th")  # languages Pagefind cuts into words itself: no forms


def bundle_words(files: dict[str, bytes]) -> bytes:
    """WORDS_FILE of one bundle, from its files (path in the folder → bytes): the words Pagefind
    indexed (every language of it), from its word-index chunks (gzip'd CBOR: [[word, pages, ...],
    ...]), and the forms of its pages' words."""
    entry = json.loads(files[ENTRY].decode("utf-8"))
    stems: set[str] = set()
    for language in entry.get("languages", {}).values():
        for row in _index_rows(files, language):
            stems.add(row[0])
    tokens: set[str] = set()  # each written word once: query_form costs a few µs a character
    if not any(code.split("-")[0] in SEGMENTED for code in entry.get("languages", {})):
        for path, data in files.items():
            if path.startswith("fragment/") and path.endswith(".pf_fragment"):
                data = gzip.decompress(data)
                if data.startswith(SIGNATURE):
                    data = data[len(SIGNATURE):]
                tokens.update(json.loads(data).get("content", "").split())
    forms = {f for f in map(query_form, tokens) if f}
    return _json({"stems": sorted(stems), "forms": sorted(forms)})


def _index_rows(files: dict[str, bytes], language: dict):
    """Every [word, pages, ...] row of one language's word index in a bundle's files."""
    meta_name = f"pagefind.{language['hash']}.pf_meta"
    for chunk in decode_index(files[meta_name], meta_name)[2]:  # [from, to, hash]
        name = f"index/{chunk[2]}.pf_index"
        yield from decode_index(files[name], name)[0]


def query_form(token: str) -> str:
    """`token` as Pagefind's search normalises a query word (lower case, punctuation dropped,
    diacritics taken off); "" if that is not one plain word of letters and digits."""
    kept = token.lower().translate(_DROP_PUNCTUATION)
    if not kept.isascii():  # NFD leaves ASCII as it is, and it has no marks
        kept = unicodedata.normalize("NFD", kept).translate(_DROP_MARKS)
    return kept if kept.isalnum() else ""


class _CharacterTable(dict):
    """A str.translate table deleting the characters whose Unicode category `drops` accepts,
    filled in as characters are met (a character's category is looked up once, not once per
    word: the forms of 100,000 articles are millions of words)."""

    def __init__(self, drops):
        super().__init__()
        self._drops = drops

    def __missing__(self, code: int):
        self[code] = None if self._drops(unicodedata.category(chr(code))) else code
        return self[code]


_DROP_PUNCTUATION = _CharacterTable(PUNCTUATION.__contains__)
_DROP_MARKS = _CharacterTable(lambda category: category.startswith("M"))


def read_bundle_words(folder: Path) -> dict[str, list[str]]:
    try:
        return json.loads((folder / WORDS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:  # a bundle written before the directory existed
        return words_in_folder(folder)


def words_in_folder(folder: Path) -> dict[str, list[str]]:
    """bundle_words of a bundle folder's files as they are on disk."""
    files = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*")
             if p.is_file() and (p.name == ENTRY or p.suffix in (".pf_meta", ".pf_index", ".pf_fragment"))}
    return json.loads(bundle_words(files))


def read_forms(pagefind: Path, manifest: str) -> dict[str, str]:
    """form → stem as the last build's directory of one language recorded them (its manifest
    `manifest`, relative to pagefind/); {} when there is none."""
    try:
        listed = json.loads((pagefind / manifest).read_text(encoding="utf-8"))
        known = {}
        for digest in listed["shards"].values():
            for form, stem in json.loads((pagefind / FOLDER / f"{digest}.json").read_text(encoding="utf-8")).get("f", {}).items():
                known[form] = stem or form
        return known
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def stems_from_index(files: dict[str, bytes], forms: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """{language: {form: stem}} from the files of a Pagefind index of one record per language whose
    content is that language's `forms` joined by spaces (a form's position in the record is its
    place in the list; Pagefind writes a word's positions as the first, then the differences)."""
    entry = json.loads(files[ENTRY].decode("utf-8"))
    found: dict[str, dict[str, str]] = {}
    for code, language in entry.get("languages", {}).items():
        words = forms.get(code, [])
        mine = found.setdefault(code, {})
        for row in _index_rows(files, language):
            for page in row[1]:
                position = 0  # the first location, then the distance from one to the next
                for number in page[1]:
                    if number >= 0:  # a negative number sets the weight of the next ones
                        position += number
                        if position < len(words):
                            mine[words[position]] = row[0]
    return found


def shard_key(word: str) -> str:
    return word[:KEY_LENGTH]


def language_files(names: list[str], stems_of, forms: set[str], stem_of: dict[str, str], put) -> str:
    """Write one language's directory with `put(hash, bytes)`, a shard at a time; give its
    manifest's hash. `names`: the language's bundles in the order of bundles.json;
    `stems_of(name)`: that bundle's stems (read one bundle at a time, not all held at once);
    `forms`: the forms of its bundles; `stem_of`: form → stem. What is held is the language's
    words and, per stem, the positions of its bundles (an array of small integers)."""
    typecode = "H" if len(names) < 1 << 16 else "I"
    holders: dict[str, array] = {}
    for position, name in enumerate(names):
        for stem in stems_of(name):
            found = holders.get(stem)
            if found is None:
                holders[stem] = found = array(typecode)
            found.append(position)
    keyed: dict[str, tuple[list[str], list[str]]] = {}
    for stem in holders:
        keyed.setdefault(shard_key(stem), ([], []))[0].append(stem)
    for form in forms:
        if form in stem_of:
            keyed.setdefault(shard_key(form), ([], []))[1].append(form)
    keys: dict[str, str] = {}
    for key in sorted(keyed):
        stems, shard_forms = keyed.pop(key)
        shard = {"s": {stem: holders.pop(stem).tolist() for stem in sorted(stems)},
                 "f": {form: "" if stem_of[form] == form else stem_of[form] for form in sorted(shard_forms)}}
        data = _json({part: value for part, value in shard.items() if value})
        keys[key] = _hash(data)
        put(keys[key], data)
    manifest = _json({"bundles": names, "shards": keys})
    digest = _hash(manifest)
    put(digest, manifest)
    return digest


class DirectoryWrites:
    """The directory files a build adds. Into a new output (a clean build's staging folder) they
    are written at once; in place, each is written beside its final name and moved there at the
    build's commit with every other file (`pending`), so a stopped build leaves the last site
    whole and a half-written file never takes a name that later builds would trust."""

    def __init__(self, root: Path, suffix: str | None):
        self.root, self.suffix = root, suffix
        self.pending: list[tuple[str, str]] = []
        self._staged: set[Path] = set()

    def has(self, path: Path) -> bool:
        return path in self._staged or path.is_file()

    def put(self, path: Path, data: bytes) -> None:
        if self.has(path):
            return
        if self.suffix is None:
            path.write_bytes(data)
            return
        temporary = path.parent / f".{path.name}{self.suffix}"
        temporary.write_bytes(data)
        self._staged.add(path)
        self.pending.append((path.relative_to(self.root).as_posix(), str(temporary)))

    def discard(self) -> None:
        for _, temporary in self.pending:
            Path(temporary).unlink(missing_ok=True)
        self.pending.clear()


def write_directory(pagefind: Path, bundle_languages: list[tuple[str, list[str]]], folder_of, last: Path,
                    stem_forms, indexed: set[str], writes: DirectoryWrites) -> tuple[dict[str, str], set[str]]:
    """Write every language's directory into `pagefind`/words/ (files already there with the
    same name have the same bytes and are kept; new ones go through `writes`). `bundle_languages`: (name, languages) of each
    bundle in bundles.json order; `folder_of(name)`: the folder holding that bundle's files
    now; `last`: the last build's pagefind/ folder, whose directory says the stems of the forms
    it knew; `stem_forms({language: forms})`: {language: {form: stem}}, asked of Pagefind for
    the others; `indexed`: the bundles indexed by this build (a language none of whose bundles
    was, with the same bundles as last time, keeps its directory as it is).
    Returns ({language: manifest hash}, names of every file the directory needs)."""
    by_language: dict[str, list[str]] = {}
    for name, languages in bundle_languages:
        for language in languages:
            by_language.setdefault(language, []).append(name)
    previous = _last_manifests(last)
    target = pagefind / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    manifests, needed = {}, set()
    if last.resolve() == pagefind.resolve():  # in place: the last directory's files are there
        for language, names in by_language.items():
            kept = _unchanged(pagefind, previous.get(language), names, indexed)
            if kept:
                manifests[language] = Path(previous[language]).stem
            elif language in previous:  # an edit: only the shards of the words that changed are made again
                patched = _patched(pagefind, previous[language], names, indexed, folder_of, stem_forms, language, writes)
                if patched:
                    manifests[language], kept = patched
            needed |= kept
    todo = sorted(language for language in by_language if language not in manifests)
    forms_of: dict[str, set[str]] = {}  # the words of a language: not each bundle's list of them
    stem_of: dict[str, dict[str, str]] = {}
    new: dict[str, list[str]] = {}
    for language in todo:
        forms = forms_of[language] = set()
        for name in by_language[language]:
            forms.update(read_bundle_words(folder_of(name))["forms"])
        stem_of[language] = read_forms(last, previous[language]) if language in previous else {}
        stem_of[language].update((f, f) for f in forms if f.isdigit())  # no stemming changes a number
        new[language] = sorted(f for f in forms if f not in stem_of[language])
    for language, stems in (stem_forms({k: v for k, v in new.items() if v}) if any(new.values()) else {}).items():
        stem_of[language].update(stems)
    new.clear()

    def put(digest: str, data: bytes) -> None:
        needed.add(f"{digest}.json")
        writes.put(target / f"{digest}.json", data)
    for language in todo:  # one language at a time, each bundle's words read again and let go
        manifests[language] = language_files(by_language[language], lambda name: read_bundle_words(folder_of(name))["stems"],
                                             forms_of.pop(language), stem_of.pop(language), put)
    return manifests, needed


def _patched(pagefind: Path, manifest: str, names: list[str], indexed: set[str], folder_of, stem_forms,
             language: str, writes: DirectoryWrites) -> tuple[str, set[str]] | None:
    """The last directory of `language` with the shards of the words that changed made again, when
    it lists the same bundles and the old word lists of those indexed again are still in place
    (an in-place rebuild: pagefind/<bundle>/ is the old bundle until the commit); the bytes are
    those language_files gives for the new word lists. None otherwise (then it is made whole)."""
    try:
        listed = json.loads((pagefind / manifest).read_text(encoding="utf-8"))
        if listed["bundles"] != names:
            return None
        changed = {}  # position → (old words, new words)
        for position, name in enumerate(names):
            if name in indexed:
                old = json.loads((pagefind / name / WORDS_FILE).read_text(encoding="utf-8"))
                changed[position] = (old, read_bundle_words(folder_of(name)))
        shards: dict[str, dict] = {}

        def shard(key: str) -> dict:
            if key not in shards:
                digest = listed["shards"].get(key)
                data = json.loads((pagefind / FOLDER / f"{digest}.json").read_text(encoding="utf-8")) if digest else {}
                shards[key] = {"s": data.get("s", {}), "f": data.get("f", {})}
            return shards[key]
        forms_gone, forms_new = set(), set()
        for position, (old, new) in changed.items():
            before, after = set(old["stems"]), set(new["stems"])
            for stem in after - before:
                holders = shard(shard_key(stem))["s"].setdefault(stem, [])
                holders.append(position)
                holders.sort()
            for stem in before - after:
                holders = shard(shard_key(stem))["s"].get(stem, [])
                if position in holders:
                    holders.remove(position)
                if not holders:
                    shard(shard_key(stem))["s"].pop(stem, None)
            forms_gone |= set(old["forms"]) - set(new["forms"])
            forms_new |= set(new["forms"]) - set(old["forms"])
        if forms_gone:  # a form stays while another bundle of the language holds it
            held: set[str] = set()  # one bundle's list at a time
            for p, n in enumerate(names):
                held.update(changed[p][1]["forms"] if p in changed else read_bundle_words(folder_of(n))["forms"])
            for form in forms_gone - held:
                shard(shard_key(form))["f"].pop(form, None)
        unknown = []
        for form in sorted(forms_new):
            if form not in shard(shard_key(form))["f"]:
                if form.isdigit():  # no stemming changes a number
                    shard(shard_key(form))["f"][form] = ""
                else:
                    unknown.append(form)
        for form, stem in (stem_forms({language: unknown}).get(language, {}) if unknown else {}).items():
            shard(shard_key(form))["f"][form] = "" if stem == form else stem
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    keys = dict(listed["shards"])
    target = pagefind / FOLDER
    for key, value in shards.items():
        keys.pop(key, None)
        if value["s"] or value["f"]:
            data = _json({part: dict(sorted(words.items())) for part, words in value.items() if words})
            keys[key] = _hash(data)
            writes.put(target / f"{keys[key]}.json", data)
    manifest_bytes = _json({"bundles": names, "shards": dict(sorted(keys.items()))})
    digest = _hash(manifest_bytes)
    writes.put(target / f"{digest}.json", manifest_bytes)
    files = {f"{digest}.json"} | {f"{value}.json" for value in keys.values()}
    return (digest, files) if all(writes.has(target / name) for name in files) else None


def _unchanged(pagefind: Path, manifest: str | None, names: list[str], indexed: set[str]) -> set[str]:
    """The files of a language's last directory if it still holds: the same bundles, none indexed again."""
    if manifest is None or indexed.intersection(names):
        return set()
    try:
        listed = json.loads((pagefind / manifest).read_text(encoding="utf-8"))
        files = {Path(manifest).name} | {f"{digest}.json" for digest in listed["shards"].values()}
        if listed["bundles"] != names or not all((pagefind / FOLDER / name).is_file() for name in files):
            return set()
        return files
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def _last_manifests(last: Path) -> dict[str, str]:
    """language → the last build's manifest (relative to pagefind/), when that build's Pagefind
    was this one (a form's stem depends on it)."""
    from .search import BUNDLES_FILE, FOLDER as PAGEFIND, pagefind_version
    try:
        listed = json.loads((last / BUNDLES_FILE[len(PAGEFIND) + 1:]).read_text(encoding="utf-8"))
        if listed.get("pagefind") != pagefind_version():
            return {}
        return {language: path for language, path in listed.get("words", {}).items() if isinstance(path, str)}
    except (OSError, ValueError, AttributeError):
        return {}


def stem_forms(forms: dict[str, list[str]]) -> dict[str, dict[str, str]]:
    """{language: {form: stem}}, as Pagefind stems a query word in that language: from an index
    (made in memory by search_indexer) of one record of the forms per language."""
    from .search import _run_async
    from .search_indexer import IndexerProcess
    found = {}

    async def index() -> None:
        indexer = await IndexerProcess.start()
        try:
            found["files"] = await indexer.index_records([(f"/{language}/", " ".join(words), language)
                                                          for language, words in sorted(forms.items())])
        finally:
            await indexer.close()
    _run_async(index())
    return stems_from_index(found["files"], forms)


def stale_files(pagefind: Path, needed: set[str]) -> list[Path]:
    """Directory files no manifest names any more (deleted once the build is committed)."""
    target = pagefind / FOLDER
    return sorted(p for p in target.iterdir() if p.name not in needed and not p.name.startswith(".")) if target.is_dir() else []


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=10).hexdigest()
