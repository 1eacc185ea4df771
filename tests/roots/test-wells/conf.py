project = "Wells"
extensions = ["sphinx_excerpt"]
exclude_patterns = ["_build"]
