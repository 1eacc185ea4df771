"""The extension's options: one typed dataclass, registered as ``excerpt_*`` config values."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from sphinx_excerpt.embeds import DEFAULT_EMBED_HOSTS

#: The default text of the "How to cite" box (author-date, as the Chicago style has it).
DEFAULT_CITE_TEMPLATE = (
    "{authors}. {year}. “{title}.” {site}. Excerpt from {book}, {publisher}. {url}"
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config


@dataclass
class ExcerptConfig:
    """Options of sphinx-excerpt; each field ``name`` is the config value ``excerpt_name``."""

    pages: str | list[str] = field(
        default="auto",
        metadata={
            "help": "Which Markdown pages are excerpt pages, the only pages the extension "
            "changes: ``auto``, those with a metadata header or excerpt front matter; "
            "``all``, every Markdown page; or a list of glob patterns of docnames or "
            "source paths (as ``exclude_patterns``), header or not.",
            "types": (str, list, tuple),
        },
    )

    date_format: str = field(
        default="%B %-d, %Y",
        metadata={
            "help": "How the page's ``Date`` and ``Modified`` are shown under its title "
            "(Sphinx's date format codes; month names follow ``language``)."
        },
    )
    float_width: str = field(
        default="40%",
        metadata={
            "help": "Width of a floated photo (``.pull-right``/``.pull-left``) when the "
            "image has no ``width`` attribute; a percentage of the text column, 20-50 %."
        },
    )
    link_mentions: bool = field(
        default=True,
        metadata={
            "help": "Turn 'Figure 3.1', 'Table 2' … in the running text of an excerpt page "
            "into links to the figure or table with that number on the page."
        },
    )
    redirects: bool = field(
        default=True,
        metadata={
            "help": "Write a small redirect page at a page's old Pelican address when "
            "its header has a ``Slug`` (where: ``excerpt_redirect_paths``)."
        },
    )
    redirect_paths: list[str] = field(
        default_factory=lambda: ["{slug}.html"],
        metadata={
            "help": "Where Pelican wrote a page, as its ``ARTICLE_SAVE_AS`` says: paths "
            "relative to the output folder, with ``{slug}``, ``{date}`` (a date, so "
            "``{date:%Y}`` works) and any other header key in braces. A path ending in ``/`` "
            "means its ``index.html``. Default: Pelican's own, ``<slug>.html``."
        },
    )
    page_pdfs: bool = field(
        default=False,
        metadata={
            "help": "With ``latexpdf``, also build one PDF per excerpt page, and link each "
            "HTML page to its PDF."
        },
    )
    cite: bool = field(
        default=False,
        metadata={
            "help": 'Show a "How to cite" box on every excerpt page (a page\'s ``Cite: False`` '
            "opts it out), with BibTeX, RIS and CSL-JSON downloads and Google Scholar and "
            "Dublin Core ``<meta>`` tags. Default: only pages whose header says ``Cite: True``."
        },
    )
    cite_template: str = field(
        default=DEFAULT_CITE_TEMPLATE,
        metadata={
            "help": 'The text of the "How to cite" box: named fields in braces (``{authors}``, '
            "``{year}``, ``{date}``, ``{title}``, ``{site}``, ``{book}``, ``{publisher}``, "
            "``{url}``); a field the page has no value for is left out with the words and "
            "punctuation that go with it."
        },
    )
    content_root: str = field(
        default="",
        metadata={
            "help": "The Pelican content folder, relative to the source folder: image paths "
            "starting with / resolve against it (default: the source folder itself)."
        },
    )
    pandoc_extensions: str | list[str] = field(
        default="",
        metadata={
            "help": "Pelican's ``PANDOC_EXTENSIONS`` as it is, such as "
            "``-markdown_in_html_blocks+raw_html+smart`` (or a list of such pieces): "
            "Pandoc's Markdown extensions turned on (``+``) or off (``-``) for excerpt "
            "pages, from Pandoc's defaults.",
            "types": (str, list, tuple),
        },
    )
    description: str = field(
        default="",
        metadata={
            "help": "The site's description (Pelican's ``DESCRIPTION``): the "
            '``<meta name="description">`` of an excerpt page whose header has no '
            "``Summary``, ``Excerpt`` or ``Description``. Default: none."
        },
    )
    static_paths: list[str] = field(
        default_factory=list,
        metadata={
            "help": "Pelican's ``STATIC_PATHS``: folders or files of the content root "
            "(``excerpt_content_root``) copied into the HTML output at the same path, so "
            "that links such as ``/files/report.pdf`` keep working; never over a page."
        },
    )
    contents_title: str = field(
        default="Contents",
        metadata={"help": "Heading of the in-page contents list of the ``excerpt`` layout."},
    )

    pandoc_args: list[str] = field(
        default_factory=list,
        metadata={
            "help": "The site's Pelican ``PANDOC_ARGS``, as a list. Read: "
            "``--base-header-level=N`` and ``--shift-heading-level-by=N`` (the body's ``#`` "
            "headings become level N, sections under the page's title), "
            "``--bibliography=FILE`` (relative to the source folder) and ``--citeproc`` "
            "(a page's ``<page>.bib`` beside it is its bibliography, as pandoc_reader "
            "finds it); other arguments are ignored."
        },
    )
    publish_drafts: bool = field(
        default=False,
        metadata={
            "help": "Build pages whose header says ``Status: draft``; by default they are "
            "left out of the build, as Pelican leaves them out of the site (``-v`` names them)."
        },
    )
    embed_hosts: list[str] = field(
        default_factory=lambda: list(DEFAULT_EMBED_HOSTS),
        metadata={
            "help": "Hosts whose ``<iframe>`` video players are kept as players in HTML "
            "(sandboxed, loaded lazily); a host's subdomains count too. Other iframes, "
            "and every iframe in the PDF and text, become a link. Default: YouTube, "
            "youtube-nocookie and Vimeo."
        },
    )
    bibliography: list[str] = field(
        default_factory=list,
        metadata={
            "help": "BibTeX files (paths relative to the configuration folder) whose "
            "entries excerpt pages cite with Pandoc's ``[@key]``; each citing page gets a "
            "References list. Also read: a page's ``Bibliography:`` header and "
            "``--bibliography`` in ``excerpt_pandoc_args``."
        },
    )
    social_cards: bool = field(
        default=False,
        metadata={
            "help": "Give excerpt pages OpenGraph and Twitter card tags (title, "
            "description, first image, address) through sphinxext-opengraph; other "
            "pages get none. Absolute addresses need ``html_baseurl`` (or ``ogp_site_url``)."
        },
    )

    @classmethod
    def read(cls, config: Config) -> ExcerptConfig:
        """The options as set in ``conf.py`` (defaults for the rest).

        Read once per build (several steps of each page ask for them): the values of a
        ``Config`` are settled before the first page is read.
        """
        options = _READ.get(config)
        if options is None:
            options = cls(**{f.name: getattr(config, f"excerpt_{f.name}") for f in fields(cls)})
            _READ[config] = options
        return options


#: The options read from each build's ``Config`` (dropped with it).
_READ: WeakKeyDictionary[Config, ExcerptConfig] = WeakKeyDictionary()


def setup_config(app: Sphinx) -> None:
    """Register every field of :class:`ExcerptConfig` as ``excerpt_<field>``."""
    for f in fields(ExcerptConfig):
        default: Any = f.default_factory() if callable(f.default_factory) else f.default
        kinds = f.metadata.get("types") or (
            (list, tuple) if isinstance(default, list) else (type(default),)
        )
        app.add_config_value(f"excerpt_{f.name}", default, "env", types=kinds)
