"""``sphinx-excerpt migrate``: a whole Pelican site (tests/sites/harbour) becomes a Sphinx
project that builds with ``-W``, keeps every URL Pelican wrote and shows its menus."""

from __future__ import annotations

import posixpath
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import require_tool, run_build

from sphinx_excerpt.cli import main
from sphinx_excerpt.migrate import THEMES, read_settings, sphinx_date_format

SITE = Path(__file__).parent / "sites" / "harbour"
SETTINGS = read_settings((SITE / "pelicanconf.py").read_text(encoding="utf-8")).values


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def files(folder: Path) -> dict[Path, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The fixture migrated with the default theme and built to HTML with -W."""
    site = tmp_path_factory.mktemp("migrate") / "harbour"
    shutil.copytree(SITE, site)
    pages_before = files(site / "content")
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["migrate", str(site)])
    assert code == 0
    built = run_build(site, "html", outdir=site / "_build" / "html")
    return {
        "site": site,
        "report": out.getvalue(),
        "html": site / "_build" / "html",
        "warnings": built.warning_lines(),
        "untouched": pages_before == files(site / "content"),
    }


def test_builds_with_no_warning_and_leaves_the_pages_untouched(site):
    assert site["warnings"] == []
    assert site["untouched"]
    html = site["html"]
    # 21 pages of the site, each built where it is under content/
    assert len(list((html / "content").rglob("*.html"))) == 21


def test_the_settings_reach_conf_py(site):
    conf: dict[str, object] = {}
    exec((site["site"] / "conf.py").read_text(encoding="utf-8"), conf)  # our own output
    assert conf["project"] == SETTINGS["SITENAME"]
    assert conf["author"] == SETTINGS["AUTHOR"]
    assert conf["html_baseurl"] == SETTINGS["SITEURL"] + "/"
    assert conf["language"] == "en"
    assert conf["excerpt_date_format"] == "%d %B %Y"
    assert conf["excerpt_static_paths"] == ["files"]
    assert conf["excerpt_redirect_paths"] == ["{slug}/index.html", "cases/{slug}/index.html"]
    assert conf["excerpt_pandoc_args"] == ["--base-header-level=2", "--citeproc"]
    assert conf["excerpt_pandoc_extensions"] == "+smart-implicit_figures"
    assert conf["excerpt_description"] == SETTINGS["DESCRIPTION"]


def test_the_report_says_what_was_not_carried_over_and_why(site):
    report = site["report"]
    carried, _, not_carried = report.partition("Not carried over:")
    assert "SITENAME -> project" in carried
    assert "CASES -> the toctree 'Cases'" in carried
    assert "line 2: import os: code, not run" in not_carried
    assert re.search(r"COPYRIGHT_YEAR: not a literal \(str\(2024\)\)", not_carried)
    assert re.search(r"FEED_ALL_ATOM: feeds.*sphinxfeed.*ABlog", not_carried)
    assert "SITE_ROOT: not a literal (os.path.dirname(__file__))" in not_carried
    assert "TIMEZONE: not needed" in not_carried
    assert "SITESUBTITLE: no counterpart" in not_carried


def test_the_page_shows_what_its_header_and_the_site_say(site):
    html = site["html"]
    case = soup(html / "content" / "cases" / "north-pier.html")
    assert case.h1.get_text(strip=True).startswith("Case 1. The North Pier")
    # PANDOC_ARGS --base-header-level=2: the body's # headings are sections under the title
    assert [h.get_text(strip=True).rstrip("¶") for h in case.select("h2")] == [
        "The place",
        "What changed",
        "What it teaches",
    ]
    # DEFAULT_DATE_FORMAT, and the PDF header at the top of the page, served from files/
    dates = case.select_one("p.excerpt-dates")
    assert "11 January 2021" in dates.get_text()
    pdf = dates.select_one("a.excerpt-pdf")
    target = (html / "content" / "cases" / pdf["href"]).resolve()
    assert target == (html / "files" / "pdfs" / "north-pier.pdf").resolve()
    assert target.read_bytes().startswith(b"%PDF")
    description = soup(html / "content" / "pages" / "about.html").find(
        "meta", attrs={"name": "description"}
    )
    assert description["content"] == SETTINGS["DESCRIPTION"]


def test_site_addresses_in_the_pages_reach_pages_and_files(site):
    html = site["html"]
    page = html / "content" / "pages" / "methods.html"
    links = {a.get_text(): a["href"] for a in soup(page).select("article a, div.body a")}
    assert links["case studies"] == "../cases/north-pier.html"
    assert links["survey"] == "../survey/questionnaire.html"
    codebook = html / "content" / "survey" / "codebook.html"
    data = next(a for a in soup(codebook).find_all("a") if a.get_text() == "data file")
    assert (codebook.parent / data["href"]).resolve() == html / "files/pdfs/north-pier.pdf"


def heading(page: BeautifulSoup) -> str:
    """The page's ``h1`` without the theme's permalink mark."""
    for mark in page.h1.select("a.headerlink"):
        mark.decompose()
    return page.h1.get_text(" ", strip=True)


def menu_entries() -> list[tuple[str, str, str]]:
    """(menu, title, url) of every entry of the fixture's menus."""
    return [
        (menu, title, url)
        for menu in ("MENUITEMS", "CASES", "SURVEY_MENU", "LINKS")
        for title, url in SETTINGS[menu]
    ]


def pelican_title(url: str) -> str | None:
    """The title of the page at a menu's site URL, from the fixture's headers."""
    slug = url.strip("/").split("/")[-1]
    for source in (SITE / "content").rglob("*.md"):
        text = source.read_text(encoding="utf-8")
        if re.search(rf"^Slug: {re.escape(slug)}$", text, re.MULTILINE):
            return re.search(r"^Title: (.*)$", text, re.MULTILINE)[1]
    return None


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_every_menu_entry_reaches_its_page_in_the_themes_navigation(tmp_path, theme):
    pytest.importorskip(THEMES[theme])
    site = tmp_path / "harbour"
    shutil.copytree(SITE, site)
    assert main(["migrate", str(site), "--theme", theme]) == 0
    # a process for each theme, as sphinx-build: themes register Jinja globals once a
    # process (pydata's, when the book theme loaded it first, are lost in the next build)
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", str(site), str(site / "_build" / "html")],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    # a page whose body has no menu link: every menu link on it is the theme's navigation
    page = site / "_build" / "html" / "content" / "pages" / "errata.html"
    links = soup(page).find_all("a")
    for menu, title, url in menu_entries():
        found = [a for a in links if a.get_text(" ", strip=True) == title]
        assert found, f"{theme}: {menu} entry {title!r} is not in the navigation"
        href = found[0]["href"]
        if url.startswith("http"):
            assert href == url
            continue
        target = (page.parent / href.split("#")[0]).resolve()
        assert target.is_file(), f"{theme}: {title!r} -> {href}"
        assert heading(soup(target)) == pelican_title(url)


def pelican_site(tmp: Path) -> Path:
    """The fixture built by Pelican itself, with the pandoc_reader plugin."""
    pytest.importorskip("pelican.plugins.pandoc_reader")
    require_tool("pandoc")
    out = tmp / "pelican-output"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(SITE / "content"),
            "-s",
            str(SITE / "pelicanconf.py"),
            "-o",
            str(out),
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp,
    )
    assert proc.returncode == 0, proc.stderr
    return out


def test_every_url_pelican_wrote_answers_in_the_sphinx_site(site, tmp_path):
    pelican = pelican_site(tmp_path)
    html = site["html"]
    written = sorted(p.relative_to(pelican).as_posix() for p in pelican.rglob("*.html"))
    assert len(written) == 22  # 21 pages and the home page
    for rel in written:
        ours = html / rel
        assert ours.is_file(), f"Pelican wrote {rel}; the Sphinx site has nothing there"
        page = soup(ours)
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        if refresh is not None:  # a redirect: it must lead to the same page
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(rel), refresh["content"].split("url=", 1)[1])
            )
            ours = html / target
            assert ours.is_file(), f"{rel} redirects to {target}, which is not there"
            page = soup(ours)
        theirs = soup(pelican / rel)
        if rel != "index.html":
            title = theirs.find("h1", class_="entry-title") or theirs.find("h1")
            assert title.get_text(" ", strip=True) in page.h1.get_text(" ", strip=True)
    # and every static file Pelican published is at the same address
    for static in (pelican / "files").rglob("*"):
        if static.is_file():
            assert (html / static.relative_to(pelican)).read_bytes() == static.read_bytes()


def test_the_text_build_gives_the_pdf_address(site, tmp_path):
    built = run_build(site["site"], "text", outdir=tmp_path / "text")
    assert built.warning_lines() == []
    text = (tmp_path / "text" / "content" / "cases" / "north-pier.txt").read_text()
    head = text.split("The place")[0]
    # (the text builder wraps the address at its hyphen)
    assert "PDF:https://harbour.example.org/files/pdfs/north-pier.pdf" in "".join(head.split())


def test_a_case_page_with_cite_is_cited_with_its_pdf(site):
    html = site["html"]
    case = soup(html / "content" / "cases" / "north-pier.html")
    box = case.select_one("div.excerpt-cite")
    url = SETTINGS["SITEURL"] + "/content/cases/north-pier.html"
    assert box.select_one(".excerpt-cite-text").get_text() == (
        f"{SETTINGS['AUTHOR']}. 2021. “Case 1. The North Pier.” {SETTINGS['SITENAME']}. {url}"
    )
    tags = {m["name"]: m["content"] for m in case.find_all("meta") if m.get("name")}
    assert tags["citation_pdf_url"] == SETTINGS["SITEURL"] + "/files/pdfs/north-pier.pdf"
    assert tags["citation_public_url"] == url
    for a in box.select(".excerpt-cite-downloads a"):
        assert (html / "content" / "cases" / a["href"]).is_file()
    # the other cases say nothing of citing
    assert soup(html / "content" / "cases" / "net-lofts.html").select("div.excerpt-cite") == []


def test_settings_are_read_never_run(tmp_path):
    marker = tmp_path / "ran"
    source = (
        f"import os\nopen({str(marker)!r}, 'w')\nSITENAME = 'A' + 'B'\nAUTHOR = 'Me'\n"
        "MENUITEMS = (('Home', '/'),)\nPATH: str = 'pages'\nA = B = 3\n"
    )
    settings = read_settings(source)
    assert not marker.exists()
    assert settings.values == {
        "AUTHOR": "Me",
        "MENUITEMS": (("Home", "/"),),
        "PATH": "pages",
        "A": 3,
        "B": 3,
    }
    whys = dict(settings.skipped)
    assert "SITENAME" in whys and "not a literal" in whys["SITENAME"]
    assert "import os" in whys["line 1"] and "not run" in whys["line 2"]


@pytest.mark.parametrize(
    ("pelican", "sphinx", "lost"),
    [
        ("%a %d %B %Y", "%a %d %B %Y", []),
        ("%e %b %Y", "%-d %b %Y", []),
        ("%F", "%Y-%m-%d", []),
        ("%G week %V", "%G week %V", ["%G", "%V"]),
    ],
)
def test_date_formats_become_sphinx_codes(pelican, sphinx, lost):
    assert sphinx_date_format(pelican) == (sphinx, lost)


def test_usage_errors(tmp_path, capsys):
    assert main(["migrate", str(tmp_path)]) == 2
    assert "no pelicanconf.py" in capsys.readouterr().err
    site = tmp_path / "harbour"
    shutil.copytree(SITE, site)
    assert main(["migrate", str(site), "-o", str(tmp_path / "elsewhere")]) == 2
    assert main(["migrate", str(site)]) == 0
    assert main(["migrate", str(site)]) == 2  # conf.py is there now
    assert "--force" in capsys.readouterr().err
    assert main(["migrate", str(site), "--force"]) == 0


def test_a_project_folder_inside_the_site(tmp_path):
    site = tmp_path / "harbour"
    shutil.copytree(SITE, site)
    assert main(["migrate", str(site), "-o", str(site / "sphinx")]) == 0
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-c",
            str(site / "sphinx"),
            str(site),
            str(site / "sphinx" / "_build" / "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (site / "sphinx" / "_build" / "html" / "sphinx" / "index.html").is_file()


@pytest.mark.pdf
def test_the_migrated_site_builds_to_pdf(site, tmp_path):
    require_tool("latexmk", "pdflatex")
    import pdfplumber

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-M",
            "latexpdf",
            str(site["site"]),
            str(tmp_path / "build"),
            "-W",
            "-q",
        ],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    pdfs = list((tmp_path / "build" / "latex").glob("*.pdf"))
    assert len(pdfs) == 1
    with pdfplumber.open(pdfs[0]) as pdf:
        text = " ".join(page.extract_text() or "" for page in pdf.pages)
    # (pdfplumber reads the PDF's words without their spaces)
    for title, _ in SETTINGS["CASES"]:
        assert "".join(title.split()) in "".join(text.split())


def test_static_paths_never_replace_a_page_or_a_redirect(page, tmp_path):
    srcdir = tmp_path / "page-html"
    (srcdir / "files").mkdir(parents=True)
    (srcdir / "files" / "table.csv").write_text("a,b\n", encoding="utf-8")
    (srcdir / "old.html").write_text("<p>a file of the static folder</p>", encoding="utf-8")
    (srcdir / "index.html").write_text("<p>another</p>", encoding="utf-8")
    built = page(
        "Title: The Harbour\nSlug: old\n\nThe fleet left before sunrise.\n",
        excerpt_static_paths=["files", "old.html", "index.html", "nowhere", "../etc"],
    )
    warnings = "\n".join(built.warning_lines())
    assert (built.outdir / "files" / "table.csv").read_text() == "a,b\n"
    assert "sphinx-excerpt redirect" in built.read("old.html")  # the redirect stays
    assert "the static file old.html would replace a redirect page" in warnings
    assert "the static file index.html would replace page 'index'" in warnings
    assert "The Harbour" in built.read("index.html")
    assert "'nowhere' is not in the content root" in warnings
    assert "'../etc' is not a folder or file of the content root" in warnings
    assert warnings.count("[excerpt.path]") == 4


def test_a_home_entry_and_lists_of_pairs_that_are_no_menus(tmp_path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "content" / "boats.md").write_text(
        "Title: Boats\nSlug: boats\n\nThe fleet left before sunrise.\n", encoding="utf-8"
    )
    (site / "pelicanconf.py").write_text(
        "SITENAME = 'Boats'\nMENUITEMS = (('Home', '/'), ('Boats', '/boats.html'))\n"
        "SLUG_REGEX_SUBSTITUTIONS = [(r'[^\\w\\s-]', ''), (r'\\s+', '-')]\n",
        encoding="utf-8",
    )
    assert main(["migrate", str(site)]) == 0
    root = (site / "index.md").read_text(encoding="utf-8")
    assert "Boats </content/boats>" in root and "Home" not in root
    assert "caption: Slug" not in root
    built = run_build(site, "html", outdir=site / "_build" / "html")
    assert built.warning_lines() == []
    assert "sphinx-excerpt redirect" in (site / "_build" / "html" / "boats.html").read_text()


def test_the_citing_page_has_its_references(site):
    page = soup(site["html"] / "content" / "pages" / "methods.html")
    shown = [" ".join(c.get_text().split()) for c in page.select("span.excerpt-citation")]
    assert shown == ["(Thompson 2000, 45; Portelli 1991)", "Davies (2004)"]
    entries = [p.get_text(" ", strip=True) for p in page.select("p.excerpt-reference")]
    assert [e.split(".")[0] for e in entries] == [
        "Mary Davies",
        "Alessandro Portelli",
        "Paul Thompson",
    ]
    assert "carried" in site["report"] and "--citeproc -> each page's <page>.bib" in site["report"]


def test_a_site_bibliography_in_pandoc_args_is_carried_over(tmp_path):
    site = tmp_path / "harbour"
    shutil.copytree(SITE, site)
    (site / "content" / "pages" / "methods.bib").rename(site / "content" / "files" / "refs.bib")
    conf = site / "pelicanconf.py"
    conf.write_text(
        conf.read_text(encoding="utf-8").replace(
            '"--citeproc"]',
            '"--filter", "pandoc-citeproc", "--bibliography=content/files/refs.bib", '
            '"--csl=content/files/chicago-author-date.csl"]',
        ),
        encoding="utf-8",
    )
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["migrate", str(site)]) == 0
    report = out.getvalue()
    carried, _, not_carried = report.partition("Not carried over:")
    assert "--bibliography=content/files/refs.bib -> the References" in carried
    assert "--csl=content/files/chicago-author-date.csl: CSL styles are not read" in not_carried
    built = run_build(site, "html", outdir=site / "_build" / "html")
    assert built.warning_lines() == []
    page = soup(site / "_build" / "html" / "content" / "pages" / "methods.html")
    assert len(page.select("p.excerpt-reference")) == 3
    assert len(page.select("span.excerpt-citation a")) == 3
