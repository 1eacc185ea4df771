project = "Shore Notes"
extensions = ["sphinx_excerpt"]
root_doc = "tides"
excerpt_page_pdfs = True
