"""Sources that are not valid UTF-8 build with a warning instead of stopping Sphinx.

Sphinx reads sources strictly and stops the whole build ("Encoding error!") at the first
byte that is not UTF-8 — a common sight in pages copied from old sites. When the project
keeps Sphinx's default ``source_encoding`` (UTF-8), the extension names a codec of its own
instead: UTF-8 with an optional byte-order mark, which decodes a bad byte as U+FFFD. Each
page where that happened gets one warning at the line of its first such byte.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig
import functools
from typing import TYPE_CHECKING

from sphinx_excerpt import guard
from sphinx_excerpt.diagnostics import warn
from sphinx_excerpt.warnings import Subtype

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from typing_extensions import Buffer

CODEC = "sphinx-excerpt-utf-8"
REPLACEMENT = "\ufffd"


class _Decoder(encodings.utf_8_sig.IncrementalDecoder):
    def __init__(self, errors: str = "strict") -> None:
        super().__init__("replace")


def _decode(data: Buffer, errors: str = "strict") -> tuple[str, int]:
    # a codec may be given any bytes-like object; bytes(data) is data itself for bytes
    return codecs.utf_8_decode(bytes(data).removeprefix(codecs.BOM_UTF8), "replace", True)


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != CODEC:
        return None
    return codecs.CodecInfo(
        name=CODEC,
        encode=codecs.utf_8_encode,
        decode=_decode,
        incrementalencoder=encodings.utf_8_sig.IncrementalEncoder,
        incrementaldecoder=_Decoder,
        streamreader=encodings.utf_8_sig.StreamReader,
        streamwriter=encodings.utf_8_sig.StreamWriter,
    )


def use_tolerant_codec(app: Sphinx, config: Config) -> None:
    """Read UTF-8 sources tolerantly, unless the project chose another encoding."""
    if config.source_encoding.lower().replace("_", "-") in ("utf-8-sig", "utf-8", "utf8"):
        config.source_encoding = CODEC


def report_bad_bytes(app: Sphinx, docname: str, source: list[str]) -> None:
    """One warning at the first byte that was not UTF-8."""
    text = source[0]
    if REPLACEMENT in text and app.config.source_encoding == CODEC:
        line = text.count("\n", 0, text.index(REPLACEMENT)) + 1
        warn(
            Subtype.ENCODING,
            "the page is not valid UTF-8: undecodable bytes are shown as '\ufffd'",
            location=(docname, line),
        )


@functools.cache
def register_codec() -> None:
    """Add the tolerant codec to the process's codec registry, once however many
    projects the process builds (the registry keeps every search function it is given)."""
    codecs.register(_search)


def setup_encoding(app: Sphinx) -> None:
    register_codec()
    # after Sphinx's own check of source_encoding (priority 790): our codec is UTF-8
    guard.connect(app, "config-inited", use_tolerant_codec, priority=800)
    # before the metadata header is read (priority 500), so its line numbers are the file's
    guard.connect(app, "source-read", report_bad_bytes, priority=400)
