"""The order of the extension's transforms and post-transforms, in one place.

docutils and Sphinx run transforms by priority, lowest first, mixed with their own;
each number here says which of theirs a step must follow or precede, and which of ours.
"""

from __future__ import annotations

# ---- transforms, while a page is read

#: Root-relative image paths get the content root, before Sphinx's image collector
#: (``doctree-read``) reads them.
CONTENT_ROOT_IMAGES = 300
#: The header's record and the date line, after docutils' DocInfo (340), which turns
#: MyST's front matter into docinfo.
PAGE_METADATA = 345
#: The contents list, after the page's record.
PAGE_CONTENTS = 346
#: The ``excerpt-source`` box's fields into the page's record, after it is made.
SOURCE_METADATA = 350
#: A page's ``Cite:`` value read and checked, after the page's record is made.
CITE_HEADER = 352
#: Raw HTML to nodes, before the figures, which look for captions in wells.
HTML_TO_NODES = 380
#: Floats and written captions to figures and tables.
FIGURES = 420
#: "Figure 3.1" in the text to links, after the figures are numbered.
MENTIONS = 430
#: Messages for translation, after the figures and the mentions.
MESSAGES = 440
#: Hidden pages out of the toctrees.
HIDDEN_PAGES = 700
#: The URL policy and the source folder, after every step that makes links and images,
#: before Sphinx's DoctreeReadEvent (880), whose collectors copy images and downloads.
URLS = 870

# ---- post-transforms, while a page is written

#: Site addresses (``/files/…``, ``{filename}``) to pages, before MyST's resolver (9),
#: which would warn.
SITE_LINKS = 5
#: A citation whose key no bibliography has is shown as written, before the References.
MISSING_KEYS = 6
#: The References entries as paragraphs with their ids.
REFERENCES = 7
#: Tables inside tables flattened for text and manual pages.
NESTED_TABLES = 200
#: The HTML markup of a title put into its heading.
TITLE_MARKUP = 200
#: LaTeX image placeholders, after Sphinx's downloader (100), data-URI extractor (150)
#: and converters (200).
LATEX_IMAGES = 250
#: The "How to cite" box, before the LaTeX characters, whose policy its text follows.
CITE_BOXES = 250
#: LaTeX image sizes, after the placeholders: a placeholder has no size.
LATEX_IMAGE_SIZES = 255
#: Characters the LaTeX engine cannot set, after the placeholders: their alt text is
#: text too.
LATEX_CHARACTERS = 260
#: Where each excerpt figure goes in the PDF (wrapped, block or float), after Sphinx's
#: LaTeX post-transforms (footnotes 600, bibliography 750): the text after a photo, which
#: decides, is then the text the LaTeX writer gets.
LATEX_FLOATS = 800
