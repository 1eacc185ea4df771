project = "Harbour Towns"
author = "Mara Lind"
extensions = ["sphinx_excerpt"]
html_baseurl = "https://harbour.example.org/book/"
exclude_patterns = ["_build"]
excerpt_static_paths = ["files"]
