extensions = ["sphinx_excerpt"]
