project = "Harbour Towns"
extensions = ["sphinx_excerpt"]
root_doc = "index"
html_baseurl = "https://harbour.example.org/"
excerpt_social_cards = True
excerpt_description = "Case studies of harbour towns."
exclude_patterns = ["_build"]
