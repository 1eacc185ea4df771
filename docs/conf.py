"""Sphinx configuration of the sphinx-excerpt documentation (it uses the extension itself)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

project = "sphinx-excerpt"
author = "sphinx-excerpt developers"
copyright = "2026, sphinx-excerpt developers"
version = release = "0.1"

extensions = ["sphinx_excerpt", "excerpt_docs"]
myst_enable_extensions = ["colon_fence", "deflist"]
exclude_patterns = ["_build", "_tools", "_ext"]
html_theme = "alabaster"
html_title = "sphinx-excerpt"
# the showcase is an excerpt page among ordinary pages: the PDF is the whole manual
latex_documents = [("index", "sphinx-excerpt.tex", "sphinx-excerpt", author, "manual")]
excerpt_content_root = "showcase"
# the showcase also gets a PDF of its own, linked from its page (sphinx-build -M latexpdf
# first, then -M html copies it beside the HTML)
excerpt_page_pdfs = True
