"""What a rebuild reuses of the last build, in one room (docs/ARCHITECTURE.md, "The rebuild graph").

pipeline.py talks to it through books.py alone: `open_cache`/`run_build` around a build, and a
`Books` it asks what must be done again (`without_planning`: up to date, or an edit rendered
from the rebuild graph; `cached_articles`; `signer`: which pages to sign anew, by the same
graph) and tells what was done (`record`). Only this package writes the cache (store.py) or makes the keys; three readers
outside open the cache file read-only, each for one column (cards.py: summaries; render.Bodies:
bodies; embargo.py: the last build's embargo window).
"""
