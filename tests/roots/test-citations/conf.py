project = "Harbour Notes"
extensions = ["sphinx_excerpt"]
root_doc = "index"
excerpt_bibliography = ["refs.bib"]
exclude_patterns = ["_build"]
