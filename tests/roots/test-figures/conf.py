project = "Harbour Figures"
extensions = ["sphinx_excerpt"]
root_doc = "index"
