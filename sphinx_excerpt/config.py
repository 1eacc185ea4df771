"""The extension's options: one typed dataclass, registered as ``excerpt_*`` config values.

Each value is checked once, when the configuration is read (``config-inited``): a value
of the wrong type or form gives one warning naming the option, the value and what it
takes, and the option's default is used instead (in ``config`` too, so every reader sees
it). Every step then reads the checked options through :func:`excerpt_config`.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from docutils.parsers.rst.directives import length_or_percentage_or_unitless
from sphinx.config import Config

from sphinx_excerpt import guard
from sphinx_excerpt.diagnostics import logger

#: The default text of the "How to cite" box (author-date, as the Chicago style has it).
DEFAULT_CITE_TEMPLATE = (
    "{authors}. {year}. “{title}.” {site}. Excerpt from {book}, {publisher}. {url}"
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment


# ---------------------------------------------------------------- what each option takes


class Invalid(ValueError):
    """A value an option does not take; the message says what is wrong with it."""


class Corrected(Invalid):
    """A value an option does not take, but whose meaning is plain: ``value`` is used."""

    def __init__(self, message: str, value: Any) -> None:
        super().__init__(message)
        self.value = value


#: The value as the extension uses it, from the value in ``conf.py`` and the source folder
#: (``None`` when there is no build); raises :class:`Invalid`.
Check = Callable[[Any, "Path | None"], Any]


#: Hosts whose video players a page may embed (a host's subdomains count too).
DEFAULT_EMBED_HOSTS = ("youtube.com", "youtube-nocookie.com", "vimeo.com")


@dataclass(frozen=True)
class Rule:
    """How an option's value is checked, and what it takes, in words (for the warning
    and the options reference)."""

    check: Check
    expect: str


def _kind(value: object) -> str:
    if value is None:
        return "None"
    name = type(value).__name__
    return f"an {name}" if name[0] in "aeiou" else f"a {name}"


def _text(value: Any, srcdir: Path | None) -> str:
    if not isinstance(value, str):
        raise Invalid(f"{_kind(value)}, not a string")
    return value


def _flag(value: Any, srcdir: Path | None) -> bool:
    if type(value) is not bool:
        raise Invalid(f"{_kind(value)}, not True or False")
    return value


def _strings(value: Any, srcdir: Path | None) -> list[str]:
    if not isinstance(value, list | tuple):
        raise Invalid(f"{_kind(value)}, not a list")
    for entry in value:
        if not isinstance(entry, str):
            raise Invalid(f"its entry {entry!r} is {_kind(entry)}, not a string")
    return value if type(value) is list else list(value)


def _text_or_strings(value: Any, srcdir: Path | None) -> str | list[str]:
    if isinstance(value, str):
        return value
    if not isinstance(value, list | tuple):
        raise Invalid(f"{_kind(value)}, not a string or a list")
    return _strings(value, srcdir)


def _arguments(value: Any, srcdir: Path | None) -> list[str]:
    """A list of strings; one string is read as a list of one (as the steps that read
    these options always did), with a warning."""
    if isinstance(value, str):
        raise Corrected("a str, not a list", [value])
    return _strings(value, srcdir)


def _width(value: Any, srcdir: Path | None) -> str:
    given = _text(value, srcdir)
    try:
        measure: str = length_or_percentage_or_unitless(given)
    except ValueError:
        raise Invalid("not a width") from None
    amount = float(re.sub(r"[^\d.]", "", measure) or 0)
    if amount <= 0:
        raise Invalid("no width at all")
    if measure.endswith("%") and amount > 100:
        raise Invalid("wider than the text column")
    return measure


def _redirect_paths(value: Any, srcdir: Path | None) -> list[str]:
    paths = _arguments(value, srcdir)
    for path in paths:
        if not path.strip():
            raise Invalid("an empty path")
        try:
            keys = [key for _, key, _, _ in string.Formatter().parse(path) if key is not None]
        except ValueError as error:
            raise Invalid(f"{path!r} has a broken {{key}} ({error})") from None
        if any(not key or key.isdigit() for key in keys):
            raise Invalid(f"{path!r} has braces with no header key in them")
    return paths


def _folder(value: Any, srcdir: Path | None) -> str:
    root = _text(value, srcdir).strip("/")
    if root and srcdir is not None:
        where = (srcdir / root).resolve()
        if not where.is_relative_to(srcdir.resolve()):
            raise Invalid("a folder outside the source folder")
        if not where.is_dir():
            raise Invalid("not a folder of the source folder")
    return root


#: A Pandoc format name (which is ignored), then extensions turned on or off.
_EXTENSIONS = re.compile(r"(?:[a-z][a-z0-9_]*)?(?:[+-][a-z0-9_]+)*")


def _extensions(value: Any, srcdir: Path | None) -> str | list[str]:
    pieces = _text_or_strings(value, srcdir)
    spec = "".join("".join(pieces).split())
    if not _EXTENSIONS.fullmatch(spec):
        raise Invalid("not +extension and -extension names")
    return pieces


#: A host name: labels of letters, digits and hyphens, joined by dots.
_HOST = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*", re.I)


def _hosts(value: Any, srcdir: Path | None) -> list[str]:
    hosts = _strings(value, srcdir)
    for host in hosts:
        if not _HOST.fullmatch(host):
            raise Invalid(f"{host!r} is not a host name")
    return hosts


TEXT = Rule(_text, "a string")
FLAG = Rule(_flag, "True or False")
STRINGS = Rule(_strings, "a list of strings")


@dataclass(frozen=True, slots=True)
class ExcerptConfig:
    """Options of sphinx-excerpt; each field ``name`` is the config value ``excerpt_name``."""

    pages: str | list[str] = field(
        default="auto",
        metadata={
            "rule": Rule(_text_or_strings, '"auto", "all", a glob pattern or a list of them'),
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
            "rule": TEXT,
            "help": "How the page's ``Date`` and ``Modified`` are shown under its title "
            "(Sphinx's date format codes; month names follow ``language``).",
        },
    )
    float_width: str = field(
        default="40%",
        metadata={
            "rule": Rule(
                _width, "a width, such as '40%' of the text column (at most 100%), '6cm' or '240px'"
            ),
            "help": "Width of a floated photo (``.pull-right``/``.pull-left``) when the "
            "image has no ``width`` attribute: a percentage of the text column (20-50 % reads "
            "best) or a length.",
        },
    )
    link_mentions: bool = field(
        default=True,
        metadata={
            "rule": FLAG,
            "help": "Turn 'Figure 3.1', 'Table 2' … in the running text of an excerpt page "
            "into links to the figure or table with that number on the page.",
        },
    )
    redirects: bool = field(
        default=True,
        metadata={
            "rule": FLAG,
            "help": "Write a small redirect page at a page's old Pelican address when "
            "its header has a ``Slug`` (where: ``excerpt_redirect_paths``).",
        },
    )
    redirect_paths: list[str] = field(
        default_factory=lambda: ["{slug}.html"],
        metadata={
            "rule": Rule(
                _redirect_paths,
                "a list of paths in the output folder, with {slug}, {date} or "
                "other header keys in braces",
            ),
            "help": "Where Pelican wrote a page, as its ``ARTICLE_SAVE_AS`` says: paths "
            "relative to the output folder, with ``{slug}``, ``{date}`` (a date, so "
            "``{date:%Y}`` works) and any other header key in braces. A path ending in ``/`` "
            "means its ``index.html``. Default: Pelican's own, ``<slug>.html``.",
        },
    )
    page_pdfs: bool = field(
        default=False,
        metadata={
            "rule": FLAG,
            "help": "With ``latexpdf``, also build one PDF per excerpt page, and link each "
            "HTML page to its PDF.",
        },
    )
    cite: bool = field(
        default=False,
        metadata={
            "rule": FLAG,
            "help": 'Show a "How to cite" box on every excerpt page (a page\'s ``Cite: False`` '
            "opts it out), with BibTeX, RIS and CSL-JSON downloads and Google Scholar and "
            "Dublin Core ``<meta>`` tags. Default: only pages whose header says ``Cite: True``.",
        },
    )
    cite_template: str = field(
        default=DEFAULT_CITE_TEMPLATE,
        metadata={
            "rule": TEXT,
            "help": 'The text of the "How to cite" box: named fields in braces (``{authors}``, '
            "``{year}``, ``{date}``, ``{title}``, ``{site}``, ``{book}``, ``{publisher}``, "
            "``{url}``); a field the page has no value for is left out with the words and "
            "punctuation that go with it.",
        },
    )
    content_root: str = field(
        default="",
        metadata={
            "rule": Rule(_folder, "a folder of the source folder, relative to it"),
            "help": "The Pelican content folder, relative to the source folder: image paths "
            "starting with / resolve against it (default: the source folder itself).",
        },
    )
    pandoc_extensions: str | list[str] = field(
        default="",
        metadata={
            "rule": Rule(
                _extensions,
                "Pandoc's extensions, such as '-markdown_in_html_blocks+smart', or a list "
                "of such pieces",
            ),
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
            "rule": TEXT,
            "help": "The site's description (Pelican's ``DESCRIPTION``): the "
            '``<meta name="description">`` of an excerpt page whose header has no '
            "``Summary``, ``Excerpt`` or ``Description``. Default: none.",
        },
    )
    static_paths: list[str] = field(
        default_factory=list,
        metadata={
            "rule": STRINGS,
            "help": "Pelican's ``STATIC_PATHS``: folders or files of the content root "
            "(``excerpt_content_root``) copied into the HTML output at the same path, so "
            "that links such as ``/files/report.pdf`` keep working; never over a page.",
        },
    )
    contents_title: str = field(
        default="Contents",
        metadata={
            "rule": TEXT,
            "help": "Heading of the in-page contents list of the ``excerpt`` layout.",
        },
    )

    pandoc_args: list[str] = field(
        default_factory=list,
        metadata={
            "rule": Rule(_arguments, "a list of strings"),
            "help": "The site's Pelican ``PANDOC_ARGS``, as a list. Read: "
            "``--base-header-level=N`` and ``--shift-heading-level-by=N`` (the body's ``#`` "
            "headings become level N, sections under the page's title), "
            "``--bibliography=FILE`` (relative to the source folder) and ``--citeproc`` "
            "(a page's ``<page>.bib`` beside it is its bibliography, as pandoc_reader "
            "finds it); other arguments are ignored.",
        },
    )
    publish_drafts: bool = field(
        default=False,
        metadata={
            "rule": FLAG,
            "help": "Build pages whose header says ``Status: draft``; by default they are "
            "left out of the build, as Pelican leaves them out of the site (``-v`` names them).",
        },
    )
    embed_hosts: list[str] = field(
        default_factory=lambda: list(DEFAULT_EMBED_HOSTS),
        metadata={
            "rule": Rule(_hosts, "a list of host names, such as 'youtube.com'"),
            "help": "Hosts whose ``<iframe>`` video players are kept as players in HTML "
            "(sandboxed, loaded lazily); a host's subdomains count too. Other iframes, "
            "and every iframe in the PDF and text, become a link. Default: YouTube, "
            "youtube-nocookie and Vimeo.",
        },
    )
    bibliography: list[str] = field(
        default_factory=list,
        metadata={
            "rule": STRINGS,
            "help": "BibTeX files (paths relative to the configuration folder) whose "
            "entries excerpt pages cite with Pandoc's ``[@key]``; each citing page gets a "
            "References list. Also read: a page's ``Bibliography:`` header and "
            "``--bibliography`` in ``excerpt_pandoc_args``.",
        },
    )
    social_cards: bool = field(
        default=False,
        metadata={
            "rule": FLAG,
            "help": "Give excerpt pages OpenGraph and Twitter card tags (title, "
            "description, first image, address) through sphinxext-opengraph; other "
            "pages get none. Absolute addresses need ``html_baseurl`` (or ``ogp_site_url``).",
        },
    )


def default_value(option: Field[Any]) -> Any:
    """An option's default (a new one, for a list)."""
    return option.default_factory() if callable(option.default_factory) else option.default


def _shown(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 80 else f"{shown[:77]}..."


def checked_options(config: Config, srcdir: Path | None = None) -> ExcerptConfig:
    """The options of ``config``, each checked: a value an option does not take gives one
    warning and is replaced, in ``config`` too, by the default (or, for a plain slip such
    as one string for a list of them, by what it means). ``srcdir``: the source folder,
    which folder options are checked against (not when there is no build)."""
    values: dict[str, Any] = {}
    for option in fields(ExcerptConfig):
        name = f"excerpt_{option.name}"
        given = getattr(config, name)
        rule: Rule = option.metadata["rule"]
        try:
            value = rule.check(given, srcdir)
        except Invalid as why:
            if isinstance(why, Corrected):
                value, outcome = why.value, "It is read as"
            else:
                value, outcome = default_value(option), "The default is used instead:"
            # a problem of conf.py, not of a source: Sphinx's own type for those (and,
            # as Sphinx's own warnings of conf.py, no location: the option names it)
            logger.warning(
                "%s = %s: %s; it takes %s. %s %r",
                name,
                _shown(given),
                why,
                rule.expect,
                outcome,
                value,
                type="config",
            )
        if value is not given:
            setattr(config, name, value)
        values[option.name] = value
    return ExcerptConfig(**values)


#: The checked options of each build's ``Config`` (dropped with it).
_CHECKED: WeakKeyDictionary[Config, ExcerptConfig] = WeakKeyDictionary()


class _Latest:
    """The ``Config`` last asked about and its options: every step of a build asks about
    the same one, so most calls cost one comparison. (Held until the next build's: a
    ``Config`` holds only the configuration's values.)"""

    __slots__ = ("config", "options")

    def __init__(self) -> None:
        self.config: Config | None = None
        self.options = ExcerptConfig()


_LATEST = _Latest()


def excerpt_config(source: Config | Sphinx | BuildEnvironment) -> ExcerptConfig:
    """The options of a build, checked (once, when its configuration was read)."""
    latest = _LATEST
    if source is latest.config:
        return latest.options
    config = source if isinstance(source, Config) else source.config
    if config is not latest.config:
        options = _CHECKED.get(config)
        if options is None:  # a Config made outside a build (the CLI's, a test's)
            options = _CHECKED[config] = checked_options(config)
        latest.config, latest.options = config, options
    return latest.options


def check_options(app: Sphinx, config: Config) -> None:
    """Check every ``excerpt_*`` value, once, before any other step reads it."""
    _CHECKED[config] = checked_options(config, Path(app.srcdir))


#: ``config-inited`` priority of the check: before every other reader of the options
#: (the extension's handlers, 500 and later; Sphinx's check of the types, 800).
CHECK_PRIORITY = 100


def setup_config(app: Sphinx) -> None:
    """Register every field of :class:`ExcerptConfig` as ``excerpt_<field>``, checked."""
    for option in fields(ExcerptConfig):
        default = default_value(option)
        kinds = option.metadata.get("types") or (
            (list, tuple) if isinstance(default, list) else (type(default),)
        )
        app.add_config_value(
            f"excerpt_{option.name}",
            default,
            "env",
            types=kinds,
            description=option.metadata["help"],
        )
    guard.connect(app, "config-inited", check_options, priority=CHECK_PRIORITY)
