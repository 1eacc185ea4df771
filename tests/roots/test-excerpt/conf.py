project = "Harbour Histories"
extensions = ["sphinx_excerpt"]
root_doc = "index"
