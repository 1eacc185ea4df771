"""A plain MyST project that uses every syntax feature of MyST's documentation.

The non-interference tests build it with and without ``sphinx_excerpt``; they add the
syntax extensions the installed myst-parser knows and the optional Sphinx extensions
that are installed (``myst_enable_extensions``, ``extensions``, ``exclude_patterns``).
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "MyST features"
extensions = ["myst_parser", "svg_as_pdf"]
myst_substitutions = {"vessel": "the *Morning Star*", "year": "1902"}
myst_heading_anchors = 2
myst_footnote_transition = True
suppress_warnings = ["toc.not_included"]
