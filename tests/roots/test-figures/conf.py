project = "Harbour Figures"
extensions = ["sphinx_excerpt"]
root_doc = "index"
# native.md has no header: an excerpt page by name (its MyST figures float)
excerpt_pages = ["photos", "native*"]
