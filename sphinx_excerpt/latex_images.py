"""Images the PDF cannot show: a framed placeholder with the alt text instead.

pdflatex stops with a fatal error on ``\\sphinxincludegraphics`` of a file that is
missing, unreadable or of a type it cannot include (SVG, GIF without a converter), so
one bad image would lose the whole PDF. After Sphinx's own image post-transforms
(downloading remote images, extracting data URIs, converting with
``sphinx.ext.imgconverter`` and the like), every image LaTeX still cannot include
becomes an :class:`image_placeholder`: a small frame holding the image's alt text,
so the reader of the PDF knows an image stood there and no word is lost.

A file of a type LaTeX includes is checked too (:mod:`sphinx_excerpt.image_checks`):
one that is not what its name says, truncated or too large becomes a placeholder.

Sphinx has warned already about a missing or unreadable file (``image file not
readable``) and a remote image it could not fetch; the other cases get one
``excerpt.latex`` warning at the image's line.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.builders.latex import LaTeXBuilder
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.images import guess_mimetype

from sphinx_excerpt import guard, priorities
from sphinx_excerpt.domain import warn_once
from sphinx_excerpt.image_checks import file_problem
from sphinx_excerpt.nodes import image_placeholder, placeholder_for
from sphinx_excerpt.scope import is_excerpt_page, project_shows_excerpt_nodes, source_docname
from sphinx_excerpt.visitors import rendered_as
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from collections.abc import Sequence

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.writers.latex import LaTeXTranslator


#: Why an image cannot be included; ``SPHINX_WARNED`` when Sphinx has said so itself.
SPHINX_WARNED = ""


def problem(image: nodes.image, env: BuildEnvironment, supported: Sequence[str]) -> str | None:
    """Why LaTeX cannot include ``image`` (``SPHINX_WARNED`` if Sphinx warned), or ``None``."""
    candidates: dict[str, str] = image.get("candidates", {})
    if "?" in candidates or "://" in image["uri"] or image["uri"].startswith("data:"):
        # a remote image Sphinx's downloader could not fetch (it warned) stays remote
        return SPHINX_WARNED
    if "*" in candidates:
        path = env.srcdir / image["uri"]
        if not os.access(path, os.R_OK):
            return SPHINX_WARNED  # "image file not readable", when the page was read
        mimetype = guess_mimetype(path)
        if mimetype is not None and mimetype in supported:
            broken = file_problem(path, mimetype)
            if broken is None:
                return None
            return (
                f"the PDF cannot include the image {image['uri']}: {broken}; a framed "
                "placeholder with its alt text stands in for it"
            )
        return (
            f"the PDF cannot include the image {image['uri']} ({mimetype or 'unknown type'}); "
            "a framed placeholder with its alt text stands in for it (convert it to PNG or "
            "PDF, or add an image converter such as sphinx.ext.imgconverter)"
        )
    if any(os.access(env.srcdir / candidates[m], os.R_OK) for m in supported if m in candidates):
        return None
    found = ", ".join(sorted(candidates)) or "no file"
    # Sphinx would say so when writing, but the image is gone by then
    return (
        f"the PDF has no image it can include for {image['uri']} (found: {found}); "
        "a framed placeholder with its alt text stands in for it"
    )


class LatexImagePlaceholders(SphinxPostTransform):
    """Replace the images LaTeX cannot include with placeholders (excerpt pages, LaTeX only).

    The images of other pages are the project's own business: it may convert them
    itself, later (a post-transform of its own), and Sphinx reports what it cannot.
    """

    builders = ("latex",)
    default_priority = priorities.LATEX_IMAGES

    @guard.rewrite
    def run(self, **kwargs: Any) -> None:
        if not project_shows_excerpt_nodes(self.env):
            return
        for image in list(self.document.findall(nodes.image)):
            if is_excerpt_page(self.env, source_docname(image, self.env)):
                self.stand_in(image)

    @guard.rewrite
    def stand_in(self, image: nodes.image) -> None:
        """A placeholder for ``image`` if LaTeX cannot include it."""
        why = problem(image, self.env, LaTeXBuilder.supported_image_types)
        if why is None:
            return
        if why:
            warn_once(self.env, Subtype.LATEX, why, node=image)
        image.replace_self(placeholder_for(image))


# ---------------------------------------------------------------- builders


@guard.appends_only
def visit_placeholder_latex(self: LaTeXTranslator, node: image_placeholder) -> None:
    if not node["block"]:
        self.body.append(r"\sphinxexcerptinlineplaceholder{")
    elif isinstance(node.parent, nodes.TextElement):  # alone in its paragraph or link
        self.body.append(r"\noindent\sphinxexcerptimageplaceholder{")
    else:
        self.body.append("\n" + r"\noindent\sphinxexcerptimageplaceholder{")


@guard.appends_only
def depart_placeholder_latex(self: LaTeXTranslator, node: image_placeholder) -> None:
    self.body.append("}" if isinstance(node.parent, nodes.TextElement) else "}\n")


def setup_latex_images(app: Sphinx) -> None:
    # other builders never see a placeholder (LaTeX only); if one does, it is text
    other = rendered_as("inline")
    guard.add_node(
        app,
        image_placeholder,
        latex=(visit_placeholder_latex, depart_placeholder_latex),
        **dict.fromkeys(("html", "text", "man", "texinfo"), other),
    )
    app.add_post_transform(LatexImagePlaceholders)
