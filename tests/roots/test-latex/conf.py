project = "Shore Notes"
extensions = ["sphinx_excerpt"]
root_doc = "tides"
excerpt_page_pdfs = True
release = "2.0"  # a page PDF does not print it
