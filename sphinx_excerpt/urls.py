"""One URL policy for every URL the extension writes, and image and file paths kept inside
the project.

Sources are untrusted. Whatever road a URL takes into the output (an ``<a href>`` or
``<img src>`` in raw HTML, a Markdown link or image, the ``PDF:`` header, the
``excerpt-source`` directive's ``:url:``, a redirect), :func:`refused_url` decides:

* allowed: relative URLs (``page.html``, ``#note-4``, ``/files/x.pdf``), ``http:``,
  ``https:`` and ``mailto:``; ``data:image/…`` for image sources only;
* refused: every other scheme (``javascript:``, ``vbscript:``, ``data:text/html``,
  ``file:``, ``ftp:`` …), in any case and however obfuscated: character references
  (``jav&#x09;ascript:``) are decoded and the spaces and control characters a browser
  skips are removed before the scheme is read.

An image or a downloadable file whose path resolves outside the source folder (through
``..``, a ``/``-rooted path, an absolute path or a symbolic link) is refused too:
it is not copied into the output, and a framed placeholder with its alt text stands in
for an image. :class:`ExcerptUrls` applies both rules to excerpt pages, after every
transform that makes links or images and before Sphinx collects image files.
"""

from __future__ import annotations

import functools
import html
import os
import re
from typing import TYPE_CHECKING, Any, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms import SphinxTransform

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.domain import excerpt_domain
from sphinx_excerpt.kinds import NodeKinds
from sphinx_excerpt.nodes import placeholder_for
from sphinx_excerpt.pages import excerpt_pages
from sphinx_excerpt.scope import is_excerpt_page, note_site_links
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

ALLOWED_SCHEMES = frozenset(("http", "https", "mailto"))
#: Header keys whose value the page writes as a link.
URL_KEYS = ("pdf",)
SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):", re.IGNORECASE)
IMAGE_DATA = re.compile(r"data:image/[a-z0-9.+-]+[;,]", re.IGNORECASE)
#: What the policy looks at: images, downloads and other links (a download is a link:
#: the first kind that fits wins); and text (:meth:`~sphinx_excerpt.kinds.NodeKinds.find`'s),
#: where markdown-it leaves the links it refuses to make as they were written; and the
#: links Sphinx has still to resolve, for those to site addresses.
CHECKED = NodeKinds(
    nodes.image, addnodes.download_reference, nodes.reference, addnodes.pending_xref
)
IMAGE, DOWNLOAD, LINK, XREF = 0, 1, 2, 3
#: A Markdown link's or autolink's target, in text: ``[x](target)``, ``<scheme:…>``.
WRITTEN_LINK = re.compile(
    r"\]\(\s*<?((?:[^\s()<>]|\([^\s()]*\))+)|<([a-z][a-z0-9+.-]*:[^\s<>]*)>", re.IGNORECASE
)
# what browsers skip in a URL (or read as nothing) before its scheme
IGNORED = re.compile(r"[\x00-\x20\x7f]+")


def _compact(url: str) -> str:
    """``url`` with character references decoded and what browsers skip removed."""
    if "&" in url:
        url = html.unescape(url)
    # (the space is the one character of IGNORED that is printable: most URLs have none)
    if " " in url or not url.isprintable():
        url = IGNORED.sub("", url)
    return url


def url_scheme(url: str) -> str | None:
    """The scheme of ``url`` as a browser reads it (lower case), ``None`` for a relative URL."""
    return _scheme(_compact(url))


def _scheme(compact: str) -> str | None:
    """The scheme of a URL already :func:`_compact`."""
    if ":" not in compact:
        return None  # (most URLs of a page are relative)
    match = SCHEME.match(compact)
    return match[1].lower() if match else None


def site_address(xref: nodes.Element) -> str | None:
    """The site address (``/files/report.pdf``, from the site's root) that a MyST link
    Sphinx has still to resolve leads to, if it leads to one."""
    attributes = xref.attributes
    target = attributes.get("reftarget", "")
    if attributes.get("reftype") != "myst" or attributes.get("refdomain"):
        return None
    return target if target[:1] == "/" and target[:2] != "//" else None


def on_site(base: str, address: str) -> str:
    """``address`` (a path in the HTML output) under the site's address ``base``
    (``html_baseurl``), with one slash between them."""
    return base.rstrip("/") + "/" + address


def refused_url(url: str, *, image: bool = False) -> str | None:
    """Why ``url`` may not be written (such as ``"a javascript: URL"``), or ``None``.

    ``image`` allows ``data:image/…`` (an image source, never a link).
    """
    if ":" not in url and "&" not in url:
        # relative, as most URLs of a page are: only a character reference could make
        # a colon (_compact removes characters, it adds none)
        return None
    compact = _compact(url)
    scheme = _scheme(compact)
    if scheme is None:
        return None  # a relative URL
    if scheme in ALLOWED_SCHEMES or (image and IMAGE_DATA.match(compact)):
        return None
    if scheme == "data":
        kind = compact[5:].split(",", 1)[0].split(";", 1)[0].lower() or "text/plain"
        only_images = kind.startswith("image/") and not image
        return f"a data: URL of type {kind}" + (" (for images only)" if only_images else "")
    return f"a {scheme}: URL"


@functools.lru_cache(maxsize=8)
def real_folder(path: str) -> str:
    """A folder (the source or the output folder) with its symbolic links resolved, once
    a build, not once a page."""
    return os.path.realpath(path)


class SourceFolder:
    """The source folder, answering whether a path of a page leads out of it.

    A path resolves as Sphinx resolves it (``/…`` from the source folder, the rest from
    the page's folder), following ``..`` and symbolic links. One per build
    (:func:`source_folder`): each folder is resolved once, each file with one ``lstat``
    (the pages of a project share a few folders and images).
    """

    def __init__(self, env: BuildEnvironment) -> None:
        self.srcdir = os.fspath(env.srcdir)
        self.root = real_folder(self.srcdir)
        self._real: dict[str, str] = {}  # folder -> folder resolved
        self._outside: dict[str, bool] = {}  # path joined to its folder -> the answer
        #: (path, folder) -> the answer (read by :class:`ExcerptUrls` too)
        self.answers: dict[tuple[str, str], bool] = {}

    def outside(self, path: str, here: str) -> bool:
        """Whether the local image or file ``path`` of a page in the folder ``here``
        leaves the source folder."""
        # (the pages of a folder share their images: most answers are found here, with
        # no path joined)
        answer = self.answers.get((path, here))
        if answer is not None:
            return answer
        if path.startswith("/") and not path.startswith("//"):
            joined = os.path.join(self.srcdir, path.lstrip("/"))
        else:  # relative to the page, or absolute (``//etc/x`` is ``/etc/x`` to Sphinx)
            joined = os.path.join(here, path)
        answer = self._outside.get(joined)
        if answer is None:
            answer = self._outside[joined] = self._leaves(joined)
        self.answers[path, here] = answer
        return answer

    def _leaves(self, joined: str) -> bool:
        folder, name = os.path.split(joined)
        try:
            if folder not in self._real:
                self._real[folder] = os.path.realpath(folder)
            target = os.path.normpath(os.path.join(self._real[folder], name))
            if os.path.islink(target):
                target = os.path.realpath(target)
        except (OSError, ValueError):  # a path no file system has (a NUL byte)
            return True
        return not (target == self.root or target.startswith(self.root + os.sep))


#: The key of the build's :class:`SourceFolder`, in the domain's ``build_values``.
SOURCE_FOLDER = "source folder"


def source_folder(env: BuildEnvironment) -> SourceFolder:
    """The build's :class:`SourceFolder`."""
    values = excerpt_domain(env).build_values
    folder = values.get(SOURCE_FOLDER)
    if folder is None:
        folder = values[SOURCE_FOLDER] = SourceFolder(env)
    return cast("SourceFolder", folder)


def _shown(url: str) -> str:
    return repr(url if len(url) <= 60 else url[:57] + "...")


class ExcerptUrls(SphinxTransform):
    """On excerpt pages: refuse the links, images, downloads and header URLs the policy
    refuses, and the paths outside the source folder; keep their text."""

    default_priority = priorities.URLS
    here: str | None  # the page's folder
    folder: SourceFolder  # the build's source folder (set with ``here``)

    @guard.rewrite
    def apply(self, **kwargs: Any) -> None:
        env = self.env  # (a property: asked once)
        if not is_excerpt_page(env):
            return
        record = excerpt_pages(env).get(env.docname)
        if record is not None:
            metadata = record.metadata
            for key in URL_KEYS:
                value = metadata[key] if key in metadata else None  # noqa: SIM401 (no call)
                why = refused_url(value) if value else None
                if value and why:
                    line = record.lines.get(key)
                    warn(
                        Subtype.METADATA,
                        f"{key!r} is {why}, which a page never links to: {_shown(value)} dropped",
                        location=(env.docname, line),
                    )
                    guard.keep_entry(record.metadata, key)
                    del record.metadata[key]
                    self._drop_docinfo_field(key)
        self.here = None  # found for the first local image or file
        # one walk for links, images and the text that may hold a written link; each
        # node's kind by its class (no isinstance call per node; Any, as typing.cast
        # would be a call per node)
        found: list[Any] = CHECKED.find(self.document, texts=("](", "<"))
        linked = False  # a link to a site address seen
        for node in found:
            kind = CHECKED[type(node)]
            attributes: Any = node.attributes if kind >= 0 else None
            if kind == IMAGE:
                # a relative path (no colon, no character reference: the policy allows
                # it) whose answer the page's folder has already: most images of a page
                # are seen to pass here, with no call
                uri = attributes["uri"]
                if ":" not in uri and "&" not in uri and self.here is not None:
                    answers, key = self.folder.answers, (uri, self.here)
                    if key in answers and not answers[key]:
                        continue
                self._check_image(node)
            elif kind == LINK:
                url = attributes["refuri"] if "refuri" in attributes else None  # noqa: SIM401
                # the policy allows a URL with no colon and no character reference (the
                # page's own links, a mention's: no URL) without looking further
                if url and (":" in url or "&" in url):
                    self._check_link(node, url)
            elif kind == DOWNLOAD:
                self._check_download(node)
            elif kind == XREF:
                if not linked and site_address(node) is not None:
                    linked = True  # (noted once: the write phase resolves them all)
                    note_site_links(env)
            else:
                self._check_text(node)

    def _outside(self, path: str) -> bool:
        """Whether ``path``, when Sphinx reads it as a file of the project, leads out of
        the source folder (``False`` for a remote or data URL, which is no file)."""
        if "://" in path or path.startswith("data:"):
            return False
        if self.here is None:  # (once a page: the page's folder, the build's source folder)
            env = self.env
            # (the folder of the page's file is its docname's: a docname is the file's
            # path without its suffix, with "/" between folders)
            self.here = os.path.join(env.srcdir, env.docname.rpartition("/")[0])
            self.folder = source_folder(env)
        return self.folder.outside(path, self.here)

    def _drop_docinfo_field(self, key: str) -> None:
        """Take the header's ``key`` out of the docinfo and the page's metadata too, so that
        templates never see it (Sphinx makes the page's ``meta`` of the docinfo; MyST
        writes its front matter there as it parses)."""
        metadata = self.env.metadata.get(self.env.docname, {})
        for name in [name for name in metadata if name.lower() == key]:
            guard.keep_entry(metadata, name)
            del metadata[name]
        for info in self.document.findall(nodes.docinfo):
            for entry in list(info.findall(nodes.field)):
                if entry[0].astext().lower() == key:
                    guard.keep(entry.parent)
                    entry.parent.remove(entry)

    def _check_download(self, download: addnodes.download_reference) -> None:
        target = download.get("reftarget", "")
        if not self._outside(target):
            self._check_link(download, target)
            return
        warn(
            Subtype.PATH,
            f"the file {_shown(target)} is outside the source folder: not published, "
            "only its link text is kept",
            **self._where(download),
        )
        _unwrap(download)

    def _where(self, node: nodes.Node) -> dict[str, Any]:
        """The warning location of ``node``: nodes made from raw HTML have no source, and
        inline nodes of reStructuredText often no line (then its nearest parent's line)."""
        if node.source and node.line:
            return {"node": node}
        line, parent = node.line, node.parent
        while line is None and parent is not None:
            line, parent = parent.line, parent.parent
        return {"location": (self.env.docname, line)}

    def _check_text(self, text: nodes.Text) -> None:
        """Warn of a Markdown link markdown-it did not make because of its URL (it leaves
        ``[x](javascript:…)`` as text, as written)."""
        # what WRITTEN_LINK needs: "](", or "<" and ":" (most text has neither)
        if not ("](" in text or ("<" in text and ":" in text)):
            return
        if isinstance(text.parent, nodes.FixedTextElement | nodes.literal):
            return
        for match in WRITTEN_LINK.finditer(text):
            url = match[1] or match[2]
            why = refused_url(url)
            if why:
                warn(
                    Subtype.HTML,
                    f"a Markdown link to {why} is not made: {_shown(url)} stays as text",
                    **self._where(text),
                )

    def _check_link(self, link: nodes.Element, url: str | None) -> None:
        why = refused_url(url) if url else None
        if why:
            warn(
                Subtype.HTML, f"removed {why} from a link: {_shown(url or '')}", **self._where(link)
            )
            _unwrap(link)

    def _check_image(self, image: nodes.image) -> None:
        uri = image.attributes["uri"]  # (not image["uri"]: a call of docutils' per image)
        why = refused_url(uri, image=True)
        if why:
            message = f"removed {why} from an image: {_shown(uri)}"
            subtype = Subtype.HTML
        elif self._outside(uri):
            message = f"the image {_shown(uri)} is outside the source folder: not published"
            subtype = Subtype.PATH
        else:
            return
        warn(subtype, f"{message}; its alt text stands in for it", **self._where(image))
        guard.keep(image.parent)
        image.replace_self(placeholder_for(image))


def _unwrap(link: nodes.Element) -> None:
    """Replace a link by its content (its text stays, as plain text)."""
    inline = nodes.inline("", "", *link.children, classes=["excerpt-refused-link"])
    inline.source, inline.line = link.source, link.line
    guard.keep(link.parent)
    link.replace_self(inline)


def setup_urls(app: Sphinx) -> None:
    app.add_transform(ExcerptUrls)
