"""The cache's in-memory forms (rebuild/store.py); the cache's behaviour in builds is in test_incremental.py and test_faults.py."""
import pickle
import sys

from newsarchive.rebuild.store import BuildCache
from newsarchive.hexpairs import HexPairs

SIG, DIGEST = "0f" * 16, "a1" * 16


def test_hex_pairs_give_back_what_was_put_and_take_a_third_of_the_memory_of_tuples():
    rows = [(f"/2020/story-{n}/", f"{n:032x}", f"{n * 7:032x}") for n in range(1000)]
    pairs = HexPairs(rows)
    assert len(pairs) == 1000 and "/2020/story-5/" in pairs and "/nowhere/" not in pairs
    assert pairs["/2020/story-5/"] == (f"{5:032x}", f"{35:032x}")
    assert dict(pairs.items()) == {url: (a, b) for url, a, b in rows}
    assert pairs.get("/nowhere/", ("", "")) == ("", "") and pairs.get("/nowhere/") is None
    assert list(pairs) == [url for url, _, _ in rows]
    held = sum(sys.getsizeof(v) for v in pairs._packed.values())
    as_tuples = sum(sys.getsizeof((a, b)) + sys.getsizeof(a) + sys.getsizeof(b) for _, a, b in rows)
    assert held * 3 < as_tuples


def test_hex_pairs_keep_what_is_not_lowercase_hex_as_it_is():
    pairs = HexPairs([("upper", "AB" * 16, DIGEST), ("spaced", "ab cd", DIGEST), ("odd", "abc", DIGEST),
                      ("empty", "", ""), ("text", "not hex", "x"), ("long", "00" * 300, DIGEST)])
    assert pairs["upper"] == ("AB" * 16, DIGEST)
    assert pairs["spaced"] == ("ab cd", DIGEST)
    assert pairs["odd"] == ("abc", DIGEST)
    assert pairs["empty"] == ("", "")
    assert pairs["text"] == ("not hex", "x")
    assert pairs["long"] == ("00" * 300, DIGEST)


def test_hex_pairs_compare_and_pickle_as_the_dict_they_stand_for():
    pairs = HexPairs([("/a/", SIG, DIGEST), ("/b/", "x", "y")])
    assert pairs == {"/a/": (SIG, DIGEST), "/b/": ("x", "y")}
    assert pairs != {"/a/": (SIG, DIGEST)}
    again = pickle.loads(pickle.dumps(pairs))
    assert isinstance(again, HexPairs) and again == pairs


def test_the_manifest_and_layout_read_back_as_hex_pairs(tmp_path):
    cache = BuildCache(tmp_path / ".cache", "key")
    try:
        cache.record_build([("/a/", SIG, DIGEST), ("/b/", SIG, "not hex")], [], {"layout": "L"},
                           layout=("L", {"a.md": ("c" * 64, DIGEST)}))
        manifest = cache.pages()
        assert isinstance(manifest, HexPairs)
        assert manifest == {"/a/": (SIG, DIGEST), "/b/": (SIG, "not hex")}
        key, layout = cache.layout()
        assert key == "L" and isinstance(layout, HexPairs) and layout == {"a.md": ("c" * 64, DIGEST)}
    finally:
        cache.close()
