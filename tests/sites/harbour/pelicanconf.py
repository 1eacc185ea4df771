# pelicanconf.py of a book's companion site (the test fixture of sphinx-excerpt migrate)
import os

AUTHOR = "Mara Lind"
SITENAME = "Harbour Towns: a Companion"
SITEURL = "https://harbour.example.org"
DESCRIPTION = "Case studies, a survey and data for the book Harbour Towns."
SITESUBTITLE = "Companion to the book"
COPYRIGHT_YEAR = str(2024)
SITE_ROOT = os.path.dirname(__file__)

PATH = "content"
OUTPUT_PATH = "output"
TIMEZONE = "Europe/Oslo"
DEFAULT_LANG = "en"
DEFAULT_DATE_FORMAT = "%d %B %Y"
THEME = "notmyidea"

PLUGINS = ["pelican.plugins.pandoc_reader"]
# --citeproc: pandoc_reader gives a page the bibliography <page>.bib beside it
PANDOC_ARGS = ["--base-header-level=2", "--citeproc"]
PANDOC_EXTENSIONS = ["+smart", "-implicit_figures"]

STATIC_PATHS = ["files"]
PAGE_PATHS = ["pages", "survey"]
ARTICLE_PATHS = ["cases"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
ARTICLE_URL = "cases/{slug}/"
ARTICLE_SAVE_AS = "cases/{slug}/index.html"

# only the home page of Pelican's listings
DIRECT_TEMPLATES = ["index"]
DEFAULT_PAGINATION = False
ARCHIVES_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""

FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DISPLAY_PAGES_ON_MENU = False
MENUITEMS = (
    ("About", "/about/"),
    ("Methods", "/methods/"),
    ("Maps", "/maps/"),
    ("The publisher", "https://press.example.com/harbour-towns"),
)
CASES = [
    ("Case 1. The North Pier", "/cases/north-pier/"),
    ("Case 2. The Net Lofts of Skarvik", "/cases/net-lofts/"),
    ("Case 3. Lighthouse Road", "/cases/lighthouse-road/"),
    ("Case 4. The Fish Market at Dawn", "/cases/fish-market/"),
    ("Case 5. A Winter Harbour", "/cases/winter-harbour/"),
    ("Case 6. The Boat Builders", "/cases/boat-builders/"),
    ("Case 7. The Ferry Quay", "/cases/ferry-quay/"),
    ("Case 8. The Salt Houses", "/cases/salt-houses/"),
]
SURVEY_MENU = [
    ("The Questionnaire", "/questionnaire/"),
    ("How Towns Were Chosen", "/sampling/"),
    ("Who Answered", "/responses/"),
    ("Weights and Corrections", "/weights/"),
    ("The Codebook", "/codebook/"),
]
LINKS = (("Coastal Archive", "https://archive.example.net/"),)
SOCIAL = ()
