project = "North Light"
extensions = ["sphinx_excerpt"]
