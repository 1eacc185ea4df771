"""One URL policy for every URL the extension writes; image and file paths kept inside
the source folder."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from conftest import latexpdf, run_build

from sphinx_excerpt.urls import refused_url

# ---------------------------------------------------------------- the policy


#: A real one-pixel PNG (LaTeX checks files before including them: a fake one is refused).
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg=="
)


@pytest.mark.parametrize(
    "url",
    [
        "page.html",
        "#note-4",
        "/files/book.pdf",
        "../up.html",
        "?q=1&amp;x=2",
        "//cdn.example.org/x.js",
        "https://example.org/javascript:alert(1)",
        "HTTP://EXAMPLE.ORG",
        "mailto:press@example.org",
    ],
)
def test_allowed_urls(url: str) -> None:
    assert refused_url(url) is None


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "  javascript:alert(1)",
        "\x01\x02javascript:alert(1)",
        "jav\tascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "java\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "data:image/png;base64,iVBORw0KGgo=",  # an image, but in a link
        "file:///etc/passwd",
        "ftp://example.org/x",
    ],
)
def test_refused_urls(url: str) -> None:
    assert refused_url(url) is not None


def test_data_images_only_as_image_sources() -> None:
    assert refused_url("data:image/png;base64,iVBORw0KGgo=", image=True) is None
    assert refused_url("DATA:image/svg+xml,<svg/>", image=True) is None
    assert refused_url("data:text/html,<p>", image=True) == "a data: URL of type text/html"
    assert refused_url("javascript:alert(1)", image=True) == "a javascript: URL"


# ---------------------------------------------------------------- every URL road, every builder

HOSTILE = """\
Title: Hostile
PDF: javascript:alert(document.domain)

A [good link](https://example.org/ok) and <a href="jav&#x09;ascript:alert(1)">raw link</a>.

A <a href="data:text/html,&lt;b&gt;x">data link</a> and <a href="mailto:a@example.org">mail</a>.

![inline data](data:image/png;base64,iVBORw0KGgo=)

```{excerpt-source}
:title: The Book
:url: data:text/html,<script>alert(1)</script>
```

```{excerpt-source}
:title: The Other Book
:url: javascript:alert(1)
```

```{eval-rst}
An `rst link <JavaScript:alert(7)>`_ kept as words.
```

Markdown [js link](javascript:alert(8)), <vbscript:msgbox(9)> and `[code](javascript:x)`.
"""

URL_BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text")
BAD = re.compile(r"(?i)(java|vb)script:|data:text/html|\bfile:")


def _project(tmp_path: Path, text: str, name: str = "src") -> Path:
    src = tmp_path / name
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n', encoding="utf-8")
    (src / "index.md").write_text(text, encoding="utf-8")
    return src


def _urls_written(outdir: Path) -> list[str]:
    """Every URL in the output: HTML/XHTML attributes, LaTeX link commands, OPF items."""
    from bs4 import BeautifulSoup

    urls: list[str] = []
    for path in outdir.rglob("*"):
        if not path.is_file() or "_sources" in path.parts:
            continue
        if path.suffix in (".html", ".xhtml", ".opf", ".ncx"):
            kind = "html.parser" if path.suffix == ".html" else "xml"
            soup = BeautifulSoup(path.read_text(encoding="utf-8"), kind)
            urls += [
                v for tag in soup.find_all(True) for v in tag.attrs.values() if isinstance(v, str)
            ]
        elif path.suffix == ".tex":
            tex = path.read_text(encoding="utf-8")
            urls += re.findall(r"\\(?:sphinx)?(?:href|url)\{([^}]*)\}", tex)
    return urls


@pytest.mark.parametrize("builder", URL_BUILDERS)
def test_no_refused_url_in_any_output(tmp_path, builder) -> None:
    result = run_build(_project(tmp_path, HOSTILE), builder)
    assert "Traceback" not in result.warnings
    urls = _urls_written(result.outdir)
    if builder != "text":
        assert any("example.org/ok" in url for url in urls)  # the check sees links
    assert [url for url in urls if BAD.search(url)] == []
    if builder == "text":
        out = result.read("index.txt")
        kept = ("raw link", "data link", "The Book", "The Other Book", "rst link", "js link")
        for words in kept:
            assert words in out


def test_refused_urls_warn_at_their_line(tmp_path) -> None:
    result = run_build(_project(tmp_path, HOSTILE), "html")
    warnings = result.warnings
    assert re.search(
        r"index\.md:2: WARNING: 'pdf' is a javascript: URL.*\[excerpt\.metadata\]", warnings
    )
    assert re.search(r"index\.md:4: WARNING: removed javascript: link in 'href' of <a>", warnings)
    assert re.search(r"index\.md:6: WARNING: removed data: link in 'href' of <a>", warnings)
    assert re.search(r"index\.md:12: WARNING: excerpt-source's url is a data: URL", warnings)
    assert re.search(r"index\.md:17: WARNING: excerpt-source's url is a javascript: URL", warnings)
    assert re.search(
        r"index\.md:21: WARNING: removed a javascript: URL from a link: .*\[excerpt\.html\]",
        warnings,
    )
    for url in ("javascript:alert(8)", "vbscript:msgbox(9)"):
        assert re.search(
            rf"index\.md:24: WARNING: a Markdown link to a \w+: URL is not made: "
            rf"'{re.escape(url)}' stays as text \[excerpt\.html\]",
            warnings,
        ), url
    assert "javascript:x" not in warnings  # code is code
    soup = result.soup("index.html")
    assert soup.select(".excerpt-pdf") == []
    assert "pdf" not in result.app.env.metadata["index"]  # templates' ``meta``
    assert soup.find("a", string="mail")["href"].startswith("mailto:a")
    assert soup.find("img", alt="inline data")["src"].startswith("data:image/png")
    assert soup.find(string=re.compile("The Book")).find_parent("a") is None
    assert "rst link" in soup.select_one(".excerpt-refused-link").get_text()


def test_a_safe_pdf_address_is_still_linked(tmp_path) -> None:
    result = run_build(_project(tmp_path, "Title: T\nPDF: /pdfs/t.pdf\n\nText.\n"), "html")
    assert result.soup("index.html").select_one("a.excerpt-pdf")["href"] == "/pdfs/t.pdf"
    assert "WARNING" not in result.warnings


def test_yaml_front_matter_pdf_is_checked_too(tmp_path) -> None:
    src = _project(tmp_path, "---\ntitle: T\npdf: vbscript:msgbox(1)\n---\n\nText.\n")
    result = run_build(src, "html")
    assert re.search(r"index\.md:\d+: WARNING: 'pdf' is a vbscript: URL", result.warnings)
    assert "pdf" not in result.app.env.metadata["index"]
    assert result.soup("index.html").select(".excerpt-pdf") == []


def test_plain_pages_are_left_as_myst_makes_them(tmp_path) -> None:
    """The reference transform is for excerpt pages only (raw HTML is sanitised everywhere)."""
    src = _project(tmp_path, "# Plain\n\n[ok](https://example.org)\n")
    result = run_build(src, "html")
    assert result.soup("index.html").find("a", string="ok")["href"] == "https://example.org"


# ---------------------------------------------------------------- paths kept inside

SECRET = "OUTSIDE-THE-PROJECT-4711"
CONFINED = """\
Title: Paths

![rooted](/../../../../../../../../etc/passwd)

![parent](../outside.png)

![absolute](//{outside})

![linked](link.png)

![inside](inside.png)

<img src="../outside.png" alt="raw parent">

Get [the outside file](../outside.png) or [the inside one](inside.txt).
"""


def _confined_project(tmp_path: Path) -> Path:
    outside = tmp_path / "outside.png"
    outside.write_text(SECRET, encoding="utf-8")
    src = _project(tmp_path, CONFINED.format(outside=str(outside).lstrip("/")))
    (src / "inside.png").write_bytes(TINY_PNG)
    (src / "inside.txt").write_text("inside", encoding="utf-8")
    (src / "link.png").symlink_to(outside)
    return src


def _published(outdir: Path) -> list[Path]:
    """Output files that hold the outside file or /etc/passwd."""
    found = []
    for path in outdir.rglob("*"):
        if path.is_file() and "_sources" not in path.parts:
            data = path.read_bytes()
            if SECRET.encode() in data or b"root:x:0:0" in data or path.name == "passwd":
                found.append(path)
    return found


@pytest.mark.parametrize("builder", ["html", "latex", "epub"])
def test_paths_outside_the_source_folder_are_not_published(tmp_path, builder) -> None:
    result = run_build(_confined_project(tmp_path), builder)
    assert _published(result.outdir) == []
    if builder == "html":
        assert (result.outdir / "_images" / "inside.png").is_file()
        assert list(result.outdir.glob("_downloads/*/inside.txt"))


def test_refused_paths_warn_at_their_line_and_keep_their_words(tmp_path) -> None:
    result = run_build(_confined_project(tmp_path), "html")
    warnings = result.warnings
    for line, path in ((3, "/../../"), (5, "../outside.png"), (7, "//"), (9, "link.png")):
        assert re.search(
            rf"index\.md:{line}: WARNING: the image '{re.escape(path)}.*outside the source "
            r"folder.*\[excerpt\.path\]",
            warnings,
        ), line
    assert re.search(r"index\.md:13: WARNING: the image '\.\./outside\.png'", warnings)
    assert re.search(r"index\.md:15: WARNING: the file '\.\./outside\.png'", warnings)
    soup = result.soup("index.html")
    shown = [span.get_text() for span in soup.select(".excerpt-missing-image")]
    assert shown == ["rooted", "parent", "absolute", "linked", "raw parent"]
    assert "the outside file" in soup.select_one('[role="main"]').get_text()
    assert soup.find("a", string="the outside file") is None


def test_refused_images_are_placeholders_in_latex(tmp_path) -> None:
    result = run_build(_confined_project(tmp_path), "latex")
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    for alt in ("rooted", "parent", "absolute", "linked"):
        assert rf"\sphinxexcerptimageplaceholder{{{alt}}}" in tex
    assert r"\sphinxincludegraphics{{inside}.png}" in tex


@pytest.mark.pdf
def test_refused_images_are_framed_in_the_pdf(tmp_path) -> None:
    pdfplumber = pytest.importorskip("pdfplumber")
    src = _confined_project(tmp_path)
    (src / "inside.png").unlink()
    (src / "index.md").write_text(
        "Title: Paths\n\n![Wordrooted](/../../../../etc/passwd)\n\n![Wordlinked](link.png)\n\n"
        "Closing words.\n",
        encoding="utf-8",
    )
    proc, latex = latexpdf(src)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    with pdfplumber.open(next(latex.glob("*.pdf"))) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "Wordrooted" in text and "Wordlinked" in text and "Closing" in text
    assert SECRET not in text


def test_content_root_paths_are_confined_after_rooting(tmp_path) -> None:
    """``/…`` resolves against ``excerpt_content_root``; ``..`` may not climb out from there."""
    (tmp_path / "outside.png").write_text(SECRET, encoding="utf-8")
    src = _project(
        tmp_path,
        "Title: T\n\n![in](/files/in.png)\n\n![out](/../../outside.png)\n",
    )
    (src / "content" / "files").mkdir(parents=True)
    (src / "content" / "files" / "in.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    result = run_build(src, "html", excerpt_content_root="content")
    assert re.search(
        r"index\.md:5: WARNING: the image '/content/\.\./\.\./outside\.png'", result.warnings
    )
    assert (result.outdir / "_images" / "in.png").is_file()
    assert _published(result.outdir) == []
