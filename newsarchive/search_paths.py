"""Where the search index and its script live in the output: the names the up-to-date check
and the discovery of a site's files need, without importing the indexer (search.py)."""

FOLDER = "pagefind"
BUNDLES_FILE = f"{FOLDER}/bundles.json"
SCRIPT = "js/search.js"  # the search page's script, under static/


def index_present(output_dir) -> bool:
    """Whether the search index the last build wrote is still whole enough to be kept: bundles.json,
    each bundle's entry file and each language's word directory (manifest and shards), the files a
    build checks before keeping a bundle or a directory (search.read_previous, search_directory)."""
    import json
    import os
    root = os.path.join(str(output_dir), FOLDER)
    try:
        with open(os.path.join(root, "bundles.json"), encoding="utf-8") as handle:
            listed = json.load(handle)
        if not all(os.path.isfile(os.path.join(root, b["name"], "pagefind-entry.json")) for b in listed["bundles"]):
            return False
        for manifest in listed.get("words", {}).values():
            with open(os.path.join(root, manifest), encoding="utf-8") as handle:
                shards = json.load(handle)["shards"].values()
            if not all(os.path.isfile(os.path.join(root, "words", f"{digest}.json")) for digest in shards):
                return False
        return True
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return False
