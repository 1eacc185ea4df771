"""The warning subtypes: one member each, with when it is given and what to do about it.

Every problem in a source is one Sphinx warning of type ``excerpt`` and one of these
subtypes (:func:`sphinx_excerpt.diagnostics.warn` takes the member), so that
``suppress_warnings = ["excerpt.html"]`` and ``-W`` work. The values are the strings
users write; the warnings reference in the docs is generated from this class (text in
double backquotes is shown as code).

(The module's name is the standard library's too; the package imports absolutely, so
``import warnings`` anywhere still means the standard library's.)
"""

from __future__ import annotations

from enum import StrEnum

#: The Sphinx warning type of every subtype.
TYPE = "excerpt"


class Subtype(StrEnum):
    """A warning subtype: its value is what ``suppress_warnings`` names after ``excerpt.``."""

    #: When the warning is given.
    about: str
    #: What the author (or the project) can do about it.
    remedy: str

    def __new__(cls, value: str, about: str, remedy: str) -> Subtype:
        member = str.__new__(cls, value)
        member._value_ = value
        member.about = about
        member.remedy = remedy
        return member

    @property
    def code(self) -> str:
        """``excerpt.<subtype>``, as ``suppress_warnings`` and the warning line show it."""
        return f"{TYPE}.{self.value}"

    METADATA = (
        "metadata",
        "the page's metadata header or front matter: no or empty title, a date that does not "
        "parse, a repeated key, a key with no value, a PDF address the URL policy refuses, a "
        "Cite that is neither true nor false; a Template that no template folder has; an "
        "unsafe or colliding Slug, or a redirect that cannot be written; the excerpt-source "
        "directive's fields",
        "Correct the header line the warning points at (dates as YYYY-MM-DD, one ``Title``, "
        "one value per key, ``Cite: True`` or ``False``, a Slug of letters, digits, - and /)."
        " The page is built with what could be read: a bad date is shown as written, a "
        "refused address is left out, a redirect is not written.",
    )
    HTML = (
        "html",
        "HTML in a Markdown page: removed (scripts, styles, event attributes, links and "
        "images the URL policy refuses, such as ``javascript:`` URLs, form controls, unknown "
        "elements holding code), repaired (unclosed or stray tags, formatting tags closed out"
        " of order, which go on after the early close as in a browser, an unclosed comment, "
        "an id used twice, nesting deeper than 100 elements, flattened: one warning a page) "
        "or kept as text only (elements other builders cannot show, unknown elements)",
        "Close or reorder the tags named, give each id once, and write what was removed or "
        "kept as text the Markdown or MyST way (a link, an image, a directive). The words of "
        "the page are kept either way.",
    )
    CAPTION = (
        "caption",
        "figure and table captions and their written numbers (a number used twice on one page)",
        "Give each figure and each table of a page its own number; until then, mentions of "
        "the number link to the first.",
    )
    PATH = (
        "path",
        "an image or downloadable file whose path leads outside the source folder (.., a "
        "/-rooted or absolute path, a symbolic link): not published; a ``Bibliography:`` file"
        " outside the source folder: not read; an ``excerpt_static_paths`` entry that is not "
        "in the content root, or a static file that would replace a page or a redirect: not "
        "copied",
        "Move the file into the source folder (or the content root, ``excerpt_content_root``)"
        " and link it by a path from there; give a static file a path no page or redirect "
        "has.",
    )
    ENCODING = (
        "encoding",
        "bytes of a source that are not valid UTF-8 (shown as U+FFFD)",
        "Save the page as UTF-8 (for example ``iconv -f latin1 -t utf-8``); the characters "
        "shown as U+FFFD are the ones to check.",
    )
    LATEX = (
        "latex",
        "PDF output: an image LaTeX cannot include (SVG with no converter; a file that is no "
        "image, is truncated or is too large to measure), shown as a framed placeholder with "
        "its alt text; a width or height larger than any page, fitted to the text block; "
        "characters the engine cannot set (pdflatex: Greek, CJK, emoji …; lualatex: none of "
        "its fonts has them), shown as their code points, one warning per page naming them; "
        "control characters, removed",
        "Give the PDF an image it can include (a PNG or PDF beside the SVG, or an image "
        "converter such as ``sphinx.ext.imgconverter``), replace a broken file, give a size "
        "that fits a page; for other scripts use ``latex_engine = 'lualatex'`` with a font "
        "that has them (such as Noto).",
    )
    CITATION = (
        "citation",
        "Pandoc citations and their bibliography: a key no bibliography file has (the "
        "citation is shown as written), a bibliography file that is not there, "
        "sphinxcontrib-bibtex not installed",
        "Add the entry to a bibliography file (``excerpt_bibliography``, the page's "
        "``Bibliography:`` header or ``--bibliography`` in ``excerpt_pandoc_args``), correct "
        "the key or the file's path, or ``pip install sphinxcontrib-bibtex``.",
    )
    INTERNAL = (
        "internal",
        "a bug in the extension met on this element: the step that failed is named, the "
        "element is left as MyST made it (or written as plain text) and the build goes on",
        "Report it, with the part of the page around the line; meanwhile the page is whole, "
        'and ``suppress_warnings = ["excerpt.internal"]`` silences it.',
    )
