"""Video embeds: an ``<iframe>`` from an allowed host, kept as an iframe in HTML.

Pelican pages embed videos as ``<iframe src="https://www.youtube.com/embed/…">``. An
iframe from a host of ``excerpt_embed_hosts`` (YouTube, its no-cookie domain and Vimeo
by default) becomes a :class:`video_embed` node. HTML builders write it as an iframe,
sandboxed, loaded lazily and sending only the site's origin as referrer, followed by
what the node holds: a link to the video, named by the iframe's title (for a reader
whose browser blocks the frame). Every other builder (the PDF, text, EPUB…) writes the
link alone. An iframe from any other host is that link only.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sphinx_excerpt import guard
from sphinx_excerpt.nodes import video_embed

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: What the player may do inside its frame: run its own script, play, go full screen and
#: open the video on its site; nothing of the page around it.
SANDBOX = "allow-scripts allow-same-origin allow-presentation allow-popups"
ALLOW = "fullscreen; picture-in-picture; encrypted-media"
#: The video site learns the page's origin only (YouTube's player asks for one).
REFERRER_POLICY = "strict-origin-when-cross-origin"


def allowed_embed(src: str, hosts: Sequence[str]) -> bool:
    """Whether ``src`` is an https (or scheme-relative) URL on one of ``hosts``."""
    parts = urlsplit(src.strip())
    if parts.scheme not in ("https", "") or not parts.netloc:
        return False
    host = (parts.hostname or "").lower().rstrip(".")
    return any(host == h or host.endswith(f".{h}") for h in (h.lower() for h in hosts))


@guard.appends_only
def visit_video_embed_html(self: Any, node: video_embed) -> None:
    """An iframe in HTML pages; EPUB readers get the link (most block frames)."""
    if self.builder.name.startswith("epub"):
        self.visit_container(node)
        return
    attributes = {
        "src": node["src"],
        "title": node["title"],
        **{key: node[key] for key in ("width", "height") if node.get(key)},
        "sandbox": SANDBOX,
        "allow": ALLOW,
        "loading": "lazy",
        "referrerpolicy": REFERRER_POLICY,
    }
    written = " ".join(f'{key}="{escape(value, quote=True)}"' for key, value in attributes.items())
    self.body.append(self.starttag(node, "div", CLASS="excerpt-embed"))
    self.body.append(f"<iframe {written} allowfullscreen></iframe>\n")


@guard.appends_only
def depart_video_embed_html(self: Any, node: video_embed) -> None:
    """Close the frame's box, after the link it holds (for readers whose browser blocks
    the frame)."""
    if self.builder.name.startswith("epub"):
        self.depart_container(node)
    else:
        self.body.append("</div>\n")


def setup_embeds(app: Sphinx) -> None:
    guard.add_node(app, video_embed, html=(visit_video_embed_html, depart_video_embed_html))
