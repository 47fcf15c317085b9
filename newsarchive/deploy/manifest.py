"""What this site put in a target, so `--delete` removes that and nothing else.

Each deploy leaves `.newsarchive-deploy.json` at the root of the target (a file in a
folder or a git branch, an object under the S3 prefix) listing every file it published and
the site's base_url. `--delete` removes only files listed there that the site no longer
has; a file no manifest of this site lists (an `.htaccess`, `.well-known/…`, another
application's files, anything put there by hand) is never deleted, and `--delete` refuses
to run while such files are there unless `--force` says to go on and leave them.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

MANIFEST = ".newsarchive-deploy.json"
TEMPORARY_PREFIX = ".newsarchive-deploy-tmp"  # a deploy's temporary files and folders in a target; the next deploy removes leftovers
RESERVED_NAMES = (MANIFEST,)


@dataclass(frozen=True)
class Manifest:
    site: str  # the base_url of the site that wrote it
    files: frozenset[str]

    def to_bytes(self) -> bytes:
        """Sorted, one name a line, ASCII (any name, even one that is not UTF-8, survives the round trip)."""
        body = {"generator": "newsarchive", "format": 1, "site": self.site, "files": sorted(self.files)}
        return (json.dumps(body, indent=1, ensure_ascii=True) + "\n").encode("ascii")


def read_manifest(data: bytes | None) -> tuple[Manifest | None, str | None]:
    """The manifest, or None and why it cannot be used (None, None when there is none)."""
    if data is None:
        return None, None
    try:
        body = json.loads(data.decode("utf-8"))
        files = body["files"]
        if not isinstance(body.get("site"), str) or not isinstance(files, list) or not all(isinstance(f, str) for f in files):
            raise ValueError
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None, f"its {MANIFEST} is damaged, so no file there can be told to be this site's"
    return Manifest(body["site"], frozenset(files)), None


@dataclass(frozen=True)
class Ownership:
    """Files the target holds and the site no longer has, split into this site's and the others."""
    ours: tuple[str, ...]  # listed by this site's manifest: `--delete` removes them
    foreign: tuple[str, ...]  # listed by no manifest of this site: never deleted
    why_foreign: str | None = None  # when the manifest could not vouch for anything (missing, damaged, another site's)

    def refusal(self) -> tuple[str, str]:
        """(message, hint) for `--delete` without `--force` on a target with foreign files."""
        shown = ", ".join(repr(rel) if not rel.isprintable() else rel for rel in self.foreign[:8])
        more = f" (and {len(self.foreign) - 8} more)" if len(self.foreign) > 8 else ""
        why = f"; {self.why_foreign}" if self.why_foreign else ""
        return (f"--delete refused: the target holds {len(self.foreign)} file(s) that no earlier deploy of this site "
                f"put there: {shown}{more}{why}",
                f"--delete removes only files listed in the target's {MANIFEST}. Deploy without --delete to keep "
                f"everything, or add --force to deploy and delete only this site's old files, leaving these in place "
                f"(remove them by hand if they should go)")


def split_ownership(gone: list[str], data: bytes | None, site: str) -> Ownership:
    manifest, damaged = read_manifest(data)
    if manifest is None:
        why = damaged or f"it has no {MANIFEST} yet (deployed by hand or by an older version?)"
        return Ownership((), tuple(gone), why if gone else None)
    if manifest.site != site:
        return Ownership((), tuple(gone), f"its {MANIFEST} was written by a deploy of {manifest.site}, not of {site}" if gone else None)
    return Ownership(tuple(rel for rel in gone if rel in manifest.files), tuple(rel for rel in gone if rel not in manifest.files))


def published_after(local: set[str], ownership: Ownership, deleted: set[str], site: str) -> Manifest:
    """This site's files in the target once the deploy is done: the site's, and its old ones still there."""
    return Manifest(site, frozenset(local | (set(ownership.ours) - deleted)))


def reserved_problems(rels) -> list[tuple[str, str]]:
    return [(rel, "a name deploy keeps for itself") for rel in rels
            if rel in RESERVED_NAMES or rel.rsplit("/", 1)[-1].startswith(TEMPORARY_PREFIX)]
