"""Citations and References on excerpt pages, through sphinxcontrib-bibtex.

Pandoc's citations (``[@key, 12]``, ``@key``; read by :mod:`.dialect.citations`) become
sphinxcontrib-bibtex's ``cite`` roles, and each citing page gets a ``bibliography``
directive at its end. The entries are formatted by pybtex (``bibtex_default_style``),
the citations author-year by :class:`PandocAuthorYear`, sphinxcontrib-bibtex's
author-year style with the brackets and separators of Pandoc's default style
(Chicago author-date): "(Doe 1999, 12)", "Doe (1999)", "(Doe 1999; Smith 2004)".

The bibliography files, all known before the first page is read (sphinxcontrib-bibtex
parses them when the builder starts):

* ``excerpt_bibliography`` (paths relative to the configuration folder);
* ``--bibliography=FILE`` in ``excerpt_pandoc_args`` (relative to the source folder,
  where Pelican runs Pandoc);
* the ``Bibliography:`` header of a page (relative to the page, or to the content root
  when it starts with ``/`` or ``{static}/``): the headers of the project's Markdown
  pages are read once, at ``config-inited`` (:func:`header_bibliographies`, from
  :mod:`sphinx_excerpt.sources`, which reads each page's header once for every step);
* with ``--citeproc`` in ``excerpt_pandoc_args``, ``<page>.bib`` beside a page, as
  Pelican's pandoc_reader finds it;
* ``bibtex_bibfiles``, when the project sets it.

Only when there is one is sphinxcontrib-bibtex loaded: other projects are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.config import excerpt_config
from sphinx_excerpt.diagnostics import logger, warn
from sphinx_excerpt.dialect.citations import (
    ACTIVE,
    CLOSE,
    KEY_PREFIX,
    OPEN,
    SEPARATOR,
)
from sphinx_excerpt.dialect.links import PELICAN_PREFIX
from sphinx_excerpt.domain import warn_once
from sphinx_excerpt.metadata import parse_header
from sphinx_excerpt.sources import source_heads
from sphinx_excerpt.status import statuses
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

BIBTEX = "sphinxcontrib.bibtex"
#: The name of :class:`PandocAuthorYear` among sphinxcontrib-bibtex's reference styles.
REFERENCE_STYLE = "excerpt_author_year"
#: The bibliography formats pybtex reads, for pandoc_reader's ``<page>.<ext>``.
BIB_SUFFIXES = (".bib", ".bibtex")


@dataclass
class Bibliographies:
    """The project's bibliography files, and the CSL style Pandoc was given, if any."""

    files: list[Path] = field(default_factory=list)
    csl: str | None = None  # Pandoc's --csl, which the pybtex style stands for

    def add(self, path: Path) -> None:
        if path not in self.files:
            self.files.append(path)


def pandoc_option(args: list[str], name: str) -> list[str]:
    """The values of ``name`` in Pandoc's arguments (``--name=V`` or ``--name V``)."""
    values = []
    for index, arg in enumerate(args):
        if arg.startswith(name + "="):
            values.append(arg[len(name) + 1 :])
        elif arg == name and index + 1 < len(args):
            values.append(args[index + 1])
    return values


def find_bibliographies(app: Sphinx, config: Config) -> Bibliographies:
    """Every bibliography file the project names (the ones that are there)."""
    found = Bibliographies()
    confdir, srcdir = Path(app.confdir), Path(app.srcdir)
    options = excerpt_config(config)
    args = [options.pandoc_args] if isinstance(options.pandoc_args, str) else options.pandoc_args
    named = [(confdir / p, "excerpt_bibliography") for p in options.bibliography]
    named += [(srcdir / p, "--bibliography") for p in pandoc_option(args, "--bibliography")]
    named += [(confdir / p, "bibtex_bibfiles") for p in getattr(config, "bibtex_bibfiles", ())]
    for path, where in named:
        if path.is_file():
            found.add(path.resolve())
        else:
            # a problem of conf.py, not of a source: Sphinx's own type for those
            logger.warning("%s: no bibliography file %s", where, path, type="config")
    header_bibliographies(app, config, found, "--citeproc" in args or "-C" in args)
    csl = pandoc_option(args, "--csl")
    found.csl = csl[0] if csl else None
    return found


def header_bibliographies(
    app: Sphinx, config: Config, found: Bibliographies, citeproc: bool
) -> None:
    """The files named by the ``Bibliography:`` headers of the Markdown pages (and with
    ``--citeproc``, pandoc_reader's ``<page>.bib``)."""
    srcdir = Path(app.srcdir)
    inside = srcdir.resolve()
    root = srcdir / excerpt_config(config).content_root.strip("/")
    left_out = statuses(config).excluded  # drafts, read before (status: same event)
    for head in source_heads(app, config):
        if head.source in left_out:
            continue
        page = srcdir / head.source
        if citeproc:
            for bib in BIB_SUFFIXES:
                beside = page.with_suffix(bib).resolve()
                if beside.is_file() and beside.is_relative_to(inside):
                    found.add(beside)
        start = head.text
        if "ibliography:" not in start and "IBLIOGRAPHY:" not in start:
            continue
        header = parse_header(start)
        entry = header.fields.get("bibliography") if header is not None else None
        if entry is None or not entry.value:
            continue
        for value in (v.strip() for v in entry.value.split(",")):
            value = PELICAN_PREFIX.sub("", value, count=1)  # Pelican's {static} …
            path = root / value.lstrip("/") if value.startswith("/") else page.parent / value
            where = f"{page}:{entry.line}"
            if not path.resolve().is_relative_to(inside):  # sources are untrusted
                warn(
                    Subtype.PATH,
                    f"bibliography {value!r} is outside the source folder: not read",
                    location=where,
                )
            elif path.is_file():
                found.add(path.resolve())
            else:
                warn(Subtype.CITATION, f"no bibliography file {value!r}", location=where)


def configure_bibliography(app: Sphinx, config: Config) -> None:
    """Load sphinxcontrib-bibtex with the project's bibliography files, when it has some."""
    found = find_bibliographies(app, config)
    if not found.files:
        return
    try:
        import sphinxcontrib.bibtex  # noqa: F401
    except ImportError:
        logger.warning(
            "sphinxcontrib-bibtex is not installed: citations are shown as written "
            "(pip install sphinxcontrib-bibtex)",
            type="config",
        )
        return
    app.setup_extension(BIBTEX)
    register_reference_style()
    remember_pybtex_plugins([config.bibtex_default_style, config.bibtex_tooltips_style])
    if found.csl:
        logger.info(
            "excerpt_pandoc_args --csl=%s: CSL styles are not read; the References use the "
            "pybtex style %r (bibtex_default_style)",
            found.csl,
            config.bibtex_default_style,
        )
    config.bibtex_bibfiles = [str(p) for p in found.files]
    if config.bibtex_reference_style == "label":  # sphinxcontrib-bibtex's default
        config.bibtex_reference_style = REFERENCE_STYLE
    ACTIVE.add(config)
    # registered in builds with a bibliography only: any other build would call them at
    # every page, for nothing
    app.add_post_transform(MissingKeys)
    app.add_post_transform(ReferencesList)


def register_reference_style() -> None:
    """:class:`PandocAuthorYear` as a sphinxcontrib-bibtex reference style."""
    from sphinxcontrib.bibtex.plugin import register_plugin

    register_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, pandoc_author_year())


#: The plugins pybtex gives a style that names none (pybtex's defaults).
PYBTEX_DEFAULTS = {
    "pybtex.style.names": "plain",
    "pybtex.style.labels": "number",
    "pybtex.style.sorting": "none",
}


def remember_pybtex_plugins(styles: list[str]) -> None:
    """Register, through pybtex's own ``register_plugin``, the plugins sphinxcontrib-bibtex
    asks pybtex for at every citation and References list, as the classes pybtex finds.

    pybtex looks its plugins up among the installed packages' entry points at every
    call, a scan of every distribution's metadata (25 ms in a large environment): with
    a few citations a page, that was three quarters of a build. Plugins registered at
    run time are looked up first, in a dictionary.
    """
    from pybtex.plugin import find_plugin, register_plugin

    wanted = [("pybtex.backends", "plaintext"), ("pybtex.backends", "docutils")]
    for style in filter(None, styles):
        wanted.append(("pybtex.style.formatting", style))
        formatting = find_plugin("pybtex.style.formatting", style)
        for group, default in PYBTEX_DEFAULTS.items():
            attribute = "default_" + group.rsplit(".", 1)[1].rstrip("s") + "_style"
            wanted.append((group, getattr(formatting, attribute, None) or default))
    for group, name in wanted:
        register_plugin(group, name, find_plugin(group, name), force=True)


def pandoc_author_year() -> type:
    """sphinxcontrib-bibtex's author-year style with the punctuation of Pandoc's default
    style (Chicago author-date): round brackets, no comma between author and year, a
    semicolon between works."""
    from dataclasses import dataclass as style_dataclass
    from dataclasses import field as style_field

    from sphinxcontrib.bibtex.style.referencing import BracketStyle
    from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

    def brackets() -> BracketStyle:
        return BracketStyle(left=OPEN, right=CLOSE, sep=SEPARATOR)

    @style_dataclass
    class PandocAuthorYear(AuthorYearReferenceStyle):
        bracket_textual: BracketStyle = style_field(default_factory=brackets)
        bracket_parenthetical: BracketStyle = style_field(default_factory=brackets)
        bracket_author: BracketStyle = style_field(default_factory=brackets)
        bracket_label: BracketStyle = style_field(default_factory=brackets)
        bracket_year: BracketStyle = style_field(default_factory=brackets)
        author_year_sep: Any = " "

    return PandocAuthorYear


# ---------------------------------------------------------------- at write time


def _domain(env: Any) -> Any:
    return env.get_domain("cite")


class CitationsStep(SphinxPostTransform):
    """A post-transform of citations, registered in builds with a bibliography only
    (:func:`configure_bibliography`)."""


class MissingKeys(CitationsStep):
    """A citation of a key no bibliography has: one warning, and its text as written."""

    default_priority = priorities.MISSING_KEYS

    def show_citations_as_written(self, **kwargs: Any) -> None:
        """After a failure, every citation of the page as written: sphinxcontrib-bibtex
        would show one of a missing key as empty brackets."""
        for holder in list(self.document.findall(nodes.inline)):
            if "excerpt_citation" in holder and holder.parent is not None:
                holder.parent.replace(holder, nodes.Text(holder["excerpt_citation"]))

    @guard.rewrite(fallback=show_citations_as_written)
    def run(self, **kwargs: Any) -> None:
        holders: dict[int, tuple[nodes.Element, list[str]]] = {}
        for xref in self.document.findall(addnodes.pending_xref):
            holder = xref.parent
            if xref.get("refdomain") == "cite" and "excerpt_citation" in holder:
                holders.setdefault(id(holder), (holder, []))[1].extend(_keys(xref["reftarget"]))
        if not holders:
            return
        known = {citation.key for citation in _domain(self.env).citations}
        for holder, keys in holders.values():
            missing = [key for key in keys if key not in known]
            if missing:
                show_as_written(holder, missing, self.env)


def _keys(target: str) -> list[str]:
    """The keys of a sphinxcontrib-bibtex target (``{pre}key{post},…``)."""
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets

    return [t.key for t in parse_citation_targets(target)]


def as_written(holder: nodes.Element, *args: Any) -> None:
    """The citation's source text in place of the citation (after a failure too)."""
    holder.parent.replace(holder, nodes.Text(holder["excerpt_citation"]))


@guard.rewrite(fallback=as_written)
def show_as_written(holder: nodes.Element, missing: list[str], env: Any) -> None:
    """The citation's source text in place of the citation, and a warning."""
    prefix = holder.get("excerpt_key_prefix", "")
    names = ", ".join(key.removeprefix(prefix) for key in missing)
    source = holder["excerpt_citation"]
    warn_once(
        env,
        Subtype.CITATION,
        f"no entry {names} in the bibliography: {source} is shown as written",
        node=holder,
    )
    as_written(holder)


class ReferencesList(CitationsStep):
    """The page's References as paragraphs with the entries' ids, where the directive is.

    sphinxcontrib-bibtex writes ``citation`` nodes, which show a label (``[Doe99]``)
    that author-year citations never name, and which Sphinx's LaTeX builder moves to
    one bibliography at the end of the whole PDF: an excerpt page's References are its
    own, at its end, in HTML and PDF alike.
    """

    default_priority = priorities.REFERENCES

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        citations = list(self.document.findall(nodes.citation))
        if not citations:
            return
        # the entries of the References lists of excerpt pages (their keys have the prefix)
        ids = {
            citation.citation_id: citation.bibliography_key.docname
            for citation in _domain(self.env).citations
            if citation.key.startswith(KEY_PREFIX)
        }
        for citation in citations:
            if citation["ids"] and citation["ids"][0] in ids:
                as_paragraph(citation, ids[citation["ids"][0]], _output_format(self))


def _output_format(transform: SphinxPostTransform) -> str:
    """The format the builder writes (Sphinx 9 keeps the builder's class in the env)."""
    builder = getattr(transform.env, "_builder_cls", None)
    return str(builder.format if builder is not None else transform.app.builder.format)


@guard.rewrite
def as_paragraph(citation: nodes.citation, docname: str, output: str) -> None:
    """A citation of the References as a paragraph holding its entry and its ids."""
    entry = next(iter(citation.findall(nodes.paragraph)), None)
    paragraph = nodes.paragraph("", "", ids=citation["ids"], classes=["excerpt-reference"])
    if output == "latex":
        # where sphinxcontrib-bibtex's LaTeX citations link to (\hyperlink{cite.…})
        anchor = f"\\hypertarget{{cite.{docname}:{citation['ids'][0]}}}{{}}"
        paragraph += nodes.raw("", anchor, format="latex")
    if entry is not None:
        paragraph += entry.children
    if output != "latex" and isinstance(citation.parent, nodes.container):  # for the CSS
        citation.parent["classes"] = [*citation.parent["classes"], "excerpt-references"]
    citation.replace_self(paragraph)


def setup_citations(app: Sphinx) -> None:
    # after Sphinx has merged the extensions' source suffixes (800): .md is known then
    guard.connect(app, "config-inited", configure_bibliography, priority=900)
