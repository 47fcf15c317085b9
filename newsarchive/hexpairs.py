"""Key → a pair of hex digests, packed: the form of the cache's pages and layout tables, held
for every page and article while a rebuild plans (rebuild/store.py, rebuild/keys.py)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping


class HexPairs(Mapping):
    """Key → (digest, digest) as hex text, the form of the pages and layout tables, each pair
    held as one bytes object (its first digest's length, then both digests): 66 bytes
    where a tuple of two hex strings takes 220, and a rebuild of a million articles holds
    the last build's 2.2 million. A pair that is not lowercase hex is kept as it is."""

    __slots__ = ("_packed",)

    def __init__(self, rows: Iterable[tuple[str, str, str]] = ()):
        self._packed: dict[str, bytes | tuple[str, str]] = {}
        for key, first, second in rows:
            self.put(key, first, second)

    def put(self, key: str, first: str, second: str) -> None:
        try:
            a, b = bytes.fromhex(first), bytes.fromhex(second)
        except (TypeError, ValueError):
            a = b = None
        if a is None or len(a) > 255 or a.hex() != first or b.hex() != second:
            self._packed[key] = (first, second)
        else:
            self._packed[key] = bytes((len(a),)) + a + b

    def __getitem__(self, key: str) -> tuple[str, str]:
        packed = self._packed[key]
        if type(packed) is tuple:
            return packed
        end = packed[0] + 1
        return packed[1:end].hex(), packed[end:].hex()

    def get(self, key, default=None):
        return self[key] if key in self._packed else default

    def __contains__(self, key) -> bool:
        return key in self._packed

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)

    def __eq__(self, other) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __repr__(self) -> str:
        return f"HexPairs({dict(self.items())!r})"

    def __reduce__(self):
        return HexPairs, ([(key, *self[key]) for key in self],)
