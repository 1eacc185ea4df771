project = "Wells"
extensions = ["sphinx_excerpt"]
exclude_patterns = ["_build"]
# pages of excerpt HTML without a header are excerpt pages by name; plain.md is not one
excerpt_pages = ["blocks", "citation", "inline", "malformed", "unsafe"]
