"""The metadata header: title, sections, dates, description, layout, redirects, bad input."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from conftest import SharedBuild, built, shared_build

from sphinx_excerpt.dates import parse_date
from sphinx_excerpt.metadata import parse_header

HEADER_PAGE = "harbour.html"


def excerpt_root(builder: str = "html", key: str = "", **conf: object) -> SharedBuild:
    """``roots/test-excerpt`` built once with ``builder`` and ``conf`` (named by ``key``)
    for the tests marked so."""
    return shared_build(f"metadata-{builder}{'-' + key if key else ''}", "excerpt", builder, **conf)


def text(el) -> str:
    return re.sub(r"\s+", " ", el.get_text(" ").replace("¶", "")).strip()


# ---------------------------------------------------------------- the header itself


def test_header_keys_are_case_insensitive_and_continue_on_indented_lines():
    header = parse_header("TITLE: A Page\ntags: one,\n    two\n\nBody: text\n")
    assert header is not None
    assert header.value("title") == "A Page"
    assert header.value("tags") == "one, two"
    assert header.lines == 3
    assert "body" not in header.fields


def test_header_with_bom_and_crlf():
    header = parse_header("\ufeffTitle: Crlf\r\nDate: 2020-01-02\r\n\r\nText\r\n")
    assert header is not None
    assert header.value("title") == "Crlf"
    assert header.value("date") == "2020-01-02"


def test_a_sentence_with_a_colon_is_not_a_header():
    assert parse_header("Note: this page has no header at all.\n\nMore text.\n") is None
    assert parse_header("Just a sentence.\nTitle: late\n") is None


def test_header_problems_are_reported_with_their_lines():
    header = parse_header("Title: T\nDate: 2020-01-01\nTags:\nDate: 2021-01-01\n\nBody\n")
    assert header is not None
    assert sorted(header.problems) == [
        (3, "metadata key 'Tags' has no value"),
        (4, "duplicated metadata key 'Date'; the first value is kept"),
    ]
    assert header.value("date") == "2020-01-01"


def test_dates_in_pelican_forms():
    assert parse_date("2017-04-19").day == 19
    assert parse_date("2017-04-19 21:26:53").hour == 21
    assert parse_date("2017/04/19").month == 4
    assert parse_date("yesterday") is None


# ---------------------------------------------------------------- the HTML page


@excerpt_root()
def test_title_is_the_one_h1_and_sections_nest_under_it(app):
    result = built(app)
    soup = result.soup(HEADER_PAGE)
    main = soup.select_one('[role="main"]')
    assert [text(h) for h in main.find_all("h1")] == ["The Harbour at Dawn"]
    assert text(soup.title).startswith("The Harbour at Dawn")
    assert [text(h) for h in main.find_all("h2")] == [
        "Boats and Weather",
        "What the Town Remembered",
    ]
    assert [text(h) for h in main.find_all("h3")] == ["Before the Storm", "After the Storm"]
    before = main.find("h3").find_parent("section")
    assert before.find_parent("section").find("h2").get_text().startswith("Boats and Weather")
    assert result.warning_lines() == []


@excerpt_root()
def test_metadata_never_reaches_the_page(app):
    result = built(app)
    body = text(result.soup(HEADER_PAGE).body)
    for leak in ("Title:", "Date:", "Summary:", "Template:", "Slug:", "Tags:", "Ada Marlow"):
        assert leak not in body
    assert "The fleet left before sunrise" in body


@excerpt_root()
def test_dates_are_shown_under_the_title(app):
    soup = built(app).soup(HEADER_PAGE)
    dates = soup.select_one(".excerpt-dates")
    assert dates is not None
    assert text(dates) == "March 7, 2019 · Updated May 2, 2019"
    # right after the heading, before the body text
    assert dates.find_previous("h1") is not None
    assert "fleet" not in text(dates.find_previous("p") or dates)


@excerpt_root(key="classic", html_last_updated_fmt="%Y-%m-%d", html_theme="classic")
def test_description_and_last_updated(app):
    result = built(app)
    soup = result.soup(HEADER_PAGE)
    description = "How a small harbour town kept its fishing fleet alive."
    assert soup.find("meta", attrs={"name": "description"})["content"] == description
    assert soup.find("meta", attrs={"property": "og:description"})["content"] == description
    assert "2019-05-02" in text(soup.select_one(".footer, footer, div.footer"))


@excerpt_root()
def test_unknown_keys_are_page_metadata(app):
    result = built(app)
    meta = result.app.env.metadata["harbour"]
    assert meta["category"] == "history"
    assert meta["tags"] == "fishing, towns, the sea"
    assert meta["author"] == "Ada Marlow"


@excerpt_root()
def test_excerpt_layout_has_a_contents_list_of_the_sections(app):
    soup = built(app).soup(HEADER_PAGE)
    nav = soup.select_one("nav.excerpt-contents")
    assert nav is not None
    targets = [a["href"] for a in nav.find_all("a")]
    ids = [
        h.find_parent("section")["id"] for h in soup.select('[role="main"] h2, [role="main"] h3')
    ]
    assert sorted(t.lstrip("#") for t in targets) == sorted(ids)
    # docutils' markup for a compact bullet list of links, as themes expect it
    top = nav.find("ul", recursive=False)
    assert top["class"] == ["simple"]
    for item in nav.find_all("li"):
        link = item.find("p", recursive=False).find("a", recursive=False)
        assert link["class"] == ["reference", "internal"]
    # the built-in layout keeps the theme's own page layout around the body
    assert soup.select_one("div.sphinxsidebar") is not None


def test_a_user_template_of_the_layout_name_wins(build, tmp_path):
    result = build("excerpt")  # copy the root first
    templates = result.srcdir / "_templates"
    templates.mkdir()
    (templates / "excerpt.html").write_text(
        '{% extends "page.html" %}{% block body %}<div id="mine">{{ body }}</div>{% endblock %}'
    )
    from conftest import run_build

    again = run_build(result.srcdir, templates_path=["_templates"])
    soup = again.soup(HEADER_PAGE)
    assert soup.select_one("#mine h1") is not None
    assert soup.select_one("nav.excerpt-contents") is not None


def test_unknown_template_warns_and_falls_back(page):
    result = page("Title: T\nTemplate: nosuchlayout\n\nBody text.\n")
    assert "no template 'nosuchlayout.html'" in result.warnings
    assert "[excerpt.metadata]" in result.warnings
    assert "Body text." in result.read("index.html")


@excerpt_root()
def test_footnotes_keep_their_written_numbers(app):
    soup = built(app).soup(HEADER_PAGE)
    refs = [text(a).strip(" []") for a in soup.select("a.footnote-reference")]
    labels = [text(f.select_one(".label")).strip(" []") for f in soup.select("aside.footnote")]
    assert refs == ["3", "4", "5"]
    assert labels == ["3", "4", "5"]


@excerpt_root()
def test_absolute_image_paths_resolve_against_the_source_folder(app):
    result = built(app)
    img = result.soup(HEADER_PAGE).find("img")
    assert (result.outdir / img["src"]).is_file()


@excerpt_root("text")
def test_text_builder(app):
    out = built(app).read("harbour.txt")
    assert out.lstrip().startswith("The Harbour at Dawn")
    assert "Title:" not in out and "Slug:" not in out
    assert "[3]" in out and "Harbour ledger, 1911." in out


# ---------------------------------------------------------------- redirects


@excerpt_root()
def test_slug_redirects_to_the_page(app):
    """By default the redirect stands where Pelican writes an article: ``<slug>.html``."""
    result = built(app)
    redirect = result.soup("harbour-at-dawn.html")
    href = "harbour.html"
    assert redirect.find("link", rel="canonical")["href"] == href
    assert redirect.find("meta", attrs={"http-equiv": "refresh"})["content"] == f"0; url={href}"
    assert redirect.find("a")["href"] == href
    assert not (result.outdir / "harbour-at-dawn").exists()


REDIRECT_PATHS = ["{slug}/", "posts/{date:%Y}/{slug}.html", "{category}/{slug}.html"]


@excerpt_root(key="save-as", excerpt_redirect_paths=REDIRECT_PATHS)
def test_redirect_paths_follow_the_sites_save_as(app):
    result = built(app)
    for rel, href in (
        ("harbour-at-dawn/index.html", "../harbour.html"),
        ("posts/2019/harbour-at-dawn.html", "../../harbour.html"),
        ("history/harbour-at-dawn.html", "../harbour.html"),
    ):
        redirect = result.soup(rel)
        assert redirect.find("link", rel="canonical")["href"] == href
        assert redirect.find("a")["href"] == href
    assert not (result.outdir / "harbour-at-dawn.html").exists()


def test_redirect_path_needing_a_missing_key_warns_at_the_page(page):
    result = page(
        "Title: T\nSlug: old\n\nText.\n", excerpt_redirect_paths=["{slug}.html", "{tags}/{slug}"]
    )
    assert "index.md:2: WARNING: redirect path '{tags}/{slug}' needs {tags}" in result.warnings
    assert "[excerpt.metadata]" in result.warnings
    assert "http-equiv" in result.read("old.html")


def test_one_redirect_path_given_as_a_string(tmp_path):
    from conftest import run_build

    conf = 'extensions = ["sphinx_excerpt"]\nexcerpt_redirect_paths = "old/{slug}/"\n'
    (tmp_path / "conf.py").write_text(conf, encoding="utf-8")
    (tmp_path / "index.md").write_text("Title: T\nSlug: old\n\nText.\n", encoding="utf-8")
    result = run_build(tmp_path)
    assert "http-equiv" in result.read("old/old/index.html")
    assert "excerpt_redirect_paths" in result.warnings  # Sphinx's own note on the type


def test_unsafe_redirect_path_is_refused(page):
    result = page("Title: T\nSlug: old\n\nText.\n", excerpt_redirect_paths=["../{slug}.html"])
    assert "index.md:2: WARNING: redirect path '../old.html' is not a safe" in result.warnings
    assert not (result.outdir.parent / "old.html").exists()


def test_slug_redirect_is_not_written_over_the_page_itself(page):
    result = page("Title: Same\nSlug: index\n\nText of the page.\n")
    assert "Text of the page." in result.read("index.html")
    assert "http-equiv" not in result.read("index.html")
    result = page(
        "Title: Same\nSlug: index\n\nText of the page.\n", excerpt_redirect_paths=["{slug}/"]
    )
    assert "http-equiv" in result.read("index/index.html")


@excerpt_root("dirhtml")
def test_dirhtml_redirects(app):
    result = built(app)
    assert (result.outdir / "harbour" / "index.html").is_file()
    redirect = result.soup("harbour-at-dawn.html")
    assert redirect.find("a")["href"] == "harbour/"


def test_unsafe_slug_is_refused(page):
    result = page("Title: T\nSlug: ../../etc/x\n\nText.\n")
    assert "index.md:2: WARNING: slug '../../etc/x' is not a safe URL path" in result.warnings
    assert not (result.outdir.parent / "etc").exists()


# ---------------------------------------------------------------- plain pages and set-up


def test_plain_pages_render_as_without_the_extension(build, tmp_path):
    with_ext = build("excerpt")
    from conftest import copy_root, run_build

    (tmp_path / "without").mkdir()
    src = copy_root("excerpt", tmp_path / "without")
    without = run_build(src, extensions=["myst_parser"], myst_enable_extensions=["attrs_inline"])
    a = with_ext.soup("plain.html").select_one('[role="main"]')
    b = without.soup("plain.html").select_one('[role="main"]')
    assert str(a) == str(b)


def test_user_myst_extensions_are_kept(page):
    result = page("Title: T\n\nText.\n", myst_enable_extensions=["deflist"])
    # excerpt pages get the syntax they need from their own parser, not from the project's
    assert list(result.app.config.myst_enable_extensions) == ["deflist"]
    assert "myst_parser" in result.app.extensions


@excerpt_root()
def test_parallel_safe(app):
    result = built(app)
    ext = result.app.extensions["sphinx_excerpt"]
    assert ext.parallel_read_safe and ext.parallel_write_safe


# ---------------------------------------------------------------- YAML front matter


def test_yaml_front_matter_does_the_same(page):
    result = page(
        "---\ntitle: From YAML\ndate: 2020-02-03\nsummary: A YAML page.\n---\n\n"
        "## First\n\nBody.\n\n## Second\n\nMore.\n"
    )
    soup = result.soup("index.html")
    main = soup.select_one('[role="main"]')
    assert [text(h) for h in main.find_all("h1")] == ["From YAML"]
    assert [text(h) for h in main.find_all("h2")] == ["First", "Second"]
    assert text(soup.select_one(".excerpt-dates")) == "February 3, 2020"
    assert soup.find("meta", attrs={"name": "description"})["content"] == "A YAML page."
    assert result.warning_lines() == []


def test_yaml_front_matter_with_its_own_h1_is_left_alone(page):
    result = page("---\ntitle: Meta title\n---\n\n# Written heading\n\nBody.\n")
    main = result.soup("index.html").select_one('[role="main"]')
    assert [text(h) for h in main.find_all("h1")] == ["Written heading"]


# ---------------------------------------------------------------- bad input


def warnings_at(result, line: int) -> list[str]:
    return [w for w in result.warning_lines() if f"index.md:{line}:" in w]


def test_empty_title_warns_and_the_page_still_builds(page):
    result = page("Title:\nDate: 2020-01-01\n\nThe body survives.\n")
    assert len(warnings_at(result, 1)) == 1 and "'Title' is empty" in result.warnings
    soup = result.soup("index.html")
    assert [text(h) for h in soup.select('[role="main"] h1')] == ["Index"]
    assert "The body survives." in text(soup.body)
    assert len(result.warning_lines()) == 1


def test_missing_title_warns(page):
    result = page("Date: 2020-01-01\nSlug: x\n\nThe body survives.\n")
    assert "has no 'Title'" in result.warnings
    assert "The body survives." in result.read("index.html")
    assert "Date:" not in result.read("index.html")


def test_bad_date_warns_at_its_line_and_is_shown_as_written(page):
    result = page("Title: T\nSummary: s\nDate: the spring of 1912\n\nBody.\n")
    lines = warnings_at(result, 3)
    assert len(lines) == 1 and "[excerpt.metadata]" in lines[0]
    assert "the spring of 1912" in text(result.soup("index.html").select_one(".excerpt-dates"))


def test_duplicated_key_and_key_without_value(page):
    result = page("Title: T\nTags:\nTitle: Other\n\nBody.\n")
    assert len(warnings_at(result, 2)) == 1
    assert len(warnings_at(result, 3)) == 1
    assert len(result.warning_lines()) == 2
    assert [text(h) for h in result.soup("index.html").select('[role="main"] h1')] == ["T"]


def test_body_warnings_keep_their_line_numbers(page):
    source = "Title: T\nDate: 2020-01-01\nSummary: s\n\nFirst.\n\nSee {doc}`nowhere`.\n"
    result = page(source)
    assert len(warnings_at(result, 7)) == 1, result.warnings


def test_title_markdown_is_text_and_its_html_is_markup(page):
    """Pelican prints a Title as written: Markdown stays text, HTML tags are markup."""
    result = page("Title: *Not* `code` <b>x</b> \\input{/etc/passwd} [a](b)\n\nBody.\n")
    h1 = result.soup("index.html").select_one('[role="main"] h1')
    assert text(h1) == "*Not* `code` x \\input{/etc/passwd} [a](b)"
    assert h1.find(["em", "code", "b"]) is None
    assert text(h1.find("strong")) == "x"
    assert [a.get("class") for a in h1.find_all("a")] == [["headerlink"]]


@excerpt_root()
def test_title_in_the_toctree(app):
    soup = built(app).soup("index.html")
    links = [text(a) for a in soup.select('[role="main"] .toctree-wrapper a')]
    assert links[0] == "The Harbour at Dawn"


def test_bytes_that_are_not_utf8_warn_and_the_page_builds(tmp_path):
    from conftest import run_build

    src = tmp_path / "latin"
    src.mkdir()
    (src / "conf.py").write_text('extensions = ["sphinx_excerpt"]\n')
    (src / "index.md").write_bytes(b"Title: T\n\nFirst line.\nA caf\xe9 sentinel.\n")
    result = run_build(src)
    lines = result.warning_lines()
    assert len(lines) == 1 and "index.md:4:" in lines[0] and "[excerpt.encoding]" in lines[0]
    assert "sentinel" in result.read("index.html")


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "fmt",
    [
        "%B %-d, %Y",
        "%d %b %Y",
        "%A, %-d %B %Y",
        "%a %d.%m.%Y %H:%M",
        "%-m/%-d %-H:%-M",
        "100%% %Y",
        "{%Y} {}",
    ],
)
def test_english_dates_are_what_sphinx_writes(fmt):
    """Written without babel's locale data, the same text as Sphinx's ``format_date``."""
    from sphinx.util.i18n import format_date

    from sphinx_excerpt.dates import formatted_date

    start = datetime(1999, 12, 25, 7, 5)
    for day in range(0, 800, 7):
        when = start + timedelta(days=day, hours=day % 24, minutes=day % 60)
        expected = format_date(fmt, date=when, language="en")
        assert formatted_date(fmt, when, "en") == expected
        assert formatted_date(fmt, when, None) == expected


def test_other_languages_and_codes_are_sphinx_own():
    from sphinx_excerpt.dates import formatted_date

    when = datetime(2021, 3, 4, 15, 30)
    assert formatted_date("%-d. %B %Y", when, "de") == "4. März 2021"
    assert formatted_date("%x", when, "en") == "Mar 4, 2021"
    assert formatted_date("%I:%M %p", when, "en") == "03:30 PM"
