"""Turn collections as people keep them (scraped text, saved pages, WARC crawls) into articles."""
