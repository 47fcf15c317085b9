"""Where the search index and its script live in the output: the names the up-to-date check
and the discovery of a site's files need, without importing the indexer (search.py)."""

FOLDER = "pagefind"
BUNDLES_FILE = f"{FOLDER}/bundles.json"
SCRIPT = "js/search.js"  # the search page's script, under static/
