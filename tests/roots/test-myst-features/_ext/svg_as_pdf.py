"""A project's own handling of SVG images in LaTeX: a post-transform, late (priority 900),
points them at a PDF version of the same name, as a project with its own converter would."""

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform


class SvgAsPdf(SphinxPostTransform):
    builders = ("latex",)
    default_priority = 900

    def run(self, **kwargs):
        for image in self.document.findall(nodes.image):
            if image["uri"].endswith(".svg"):
                image["uri"] = image["uri"][: -len(".svg")] + ".pdf"


def setup(app):
    app.add_post_transform(SvgAsPdf)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
