# Minimal Pelican settings for the benchmark (bench/run.py copies this file next to the
# converted content/). Relative paths are taken from this file's folder.
# It writes only the page kinds the other tools' minimal sites write: one page per
# article, the home page paginated by 20, one page (paginated by 20) per tag, and one
# Atom feed of the newest 50 articles.
SITENAME = "Bench archive"
SITEURL = "http://localhost:8000"
FEED_DOMAIN = SITEURL
PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%Y-%m-%d"

# Pelican's cache: parsed content is kept in CACHE_PATH and reused for files whose
# mtime did not change.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CHECK_MODIFIED_METHOD = "mtime"
CACHE_PATH = "cache"

# Same URLs as newsarchive and Hugo.
ARTICLE_URL = "{date:%Y}/{date:%m}/{slug}/"
ARTICLE_SAVE_AS = "{date:%Y}/{date:%m}/{slug}/index.html"
ARTICLE_LANG_URL = ARTICLE_URL
ARTICLE_LANG_SAVE_AS = ARTICLE_SAVE_AS
TAG_URL = "tags/{slug}/"
TAG_SAVE_AS = "tags/{slug}/index.html"
DEFAULT_PAGINATION = 20
PAGINATED_TEMPLATES = {"index": None, "tag": None}
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)
SUMMARY_MAX_LENGTH = 50

# Everything else off: categories, authors, archives, the tag index, static pages,
# theme static files, and every feed except the site's.
DIRECT_TEMPLATES = ["index"]
CATEGORY_SAVE_AS = ""
CATEGORY_URL = ""
CATEGORIES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHOR_URL = ""
AUTHORS_SAVE_AS = ""
TAGS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_SAVE_AS = ""
DAY_ARCHIVE_SAVE_AS = ""
PAGE_PATHS = []
STATIC_PATHS = []
THEME_STATIC_PATHS = []
USE_FOLDER_AS_CATEGORY = False

FEED_ATOM = "feed.xml"
FEED_MAX_ITEMS = 50
RSS_FEED_SUMMARY_ONLY = False
FEED_RSS = None
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
