project = "Quay Records"
extensions = ["sphinx_excerpt"]
root_doc = "index"
excerpt_content_root = "content"
excerpt_page_pdfs = True
excerpt_cite = True
