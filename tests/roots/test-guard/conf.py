project = "Quay Records"
extensions = ["sphinx_excerpt"]
root_doc = "index"
excerpt_content_root = "content"
excerpt_cite = True  # a How to cite box, its files and tags
excerpt_page_pdfs = True
excerpt_bibliography = ["refs.bib"]  # citations and their References
excerpt_social_cards = True  # the OpenGraph fields of excerpt pages
