"""Social cards: OpenGraph and Twitter tags of excerpt pages through sphinxext-opengraph,
and none on other pages (they stay as a build without the option writes them)."""

from __future__ import annotations

import pytest
from conftest import copy_root, run_build

ROOT = "social"
SITE = "https://harbour.example.org/"


def tags(soup) -> dict[str, list[str]]:
    """The page's OpenGraph and Twitter tags: property or name -> contents."""
    found: dict[str, list[str]] = {}
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name") or ""
        if key.startswith(("og:", "twitter:")):
            found.setdefault(key, []).append(meta["content"])
    return found


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return run_build(copy_root(ROOT, tmp_path_factory.mktemp("social")), "html")


def test_an_excerpt_page_has_its_card(site):
    page = tags(site.soup("cases/north-pier.html"))
    assert page["og:title"] == ["The North Pier “at dawn”"]  # as its <title> (smart quotes)
    assert page["og:description"] == ["How Aldhaven kept its harbour <working> & busy."]
    assert page["og:url"] == [SITE + "cases/north-pier.html"]
    assert page["og:type"] == ["article"]
    assert page["og:site_name"] == ["Harbour Towns"]
    assert page["og:image"] == [SITE + "_images/pier.png"]
    assert page["og:image:alt"] == ["A view of the pier"]
    assert page["twitter:card"] == ["summary_large_image"]
    # the image is where the address says
    assert (site.outdir / "_images" / "pier.png").read_bytes().startswith(b"\x89PNG")


def test_without_summary_the_site_description_and_no_image(site):
    page = tags(site.soup("cases/net-lofts.html"))
    assert page["og:title"] == ["The Net Lofts"]
    assert page["og:description"] == ["Case studies of harbour towns."]
    assert "og:image" not in page
    assert page["og:url"] == [SITE + "cases/net-lofts.html"]


def test_other_pages_have_no_tags_and_are_as_without_the_option(site, tmp_path):
    for name in ("index.html", "plain.html", "other.html"):
        assert tags(site.soup(name)) == {}, name
    without = run_build(copy_root(ROOT, tmp_path), "html", excerpt_social_cards=False)
    assert "sphinxext.opengraph" in site.app.extensions
    assert "sphinxext.opengraph" not in without.app.extensions
    for name in ("index.html", "plain.html", "other.html"):
        assert site.read(name) == without.read(name), name
    # the excerpt page keeps its description (written by the extension itself then)
    lofts = without.soup("cases/net-lofts.html")
    assert tags(lofts) == {"og:description": ["Case studies of harbour towns."]}


def test_a_project_that_loads_sphinxext_opengraph_itself_keeps_its_tags(tmp_path):
    built = run_build(
        copy_root(ROOT, tmp_path),
        "html",
        extensions=["sphinx_excerpt", "sphinxext.opengraph"],
    )
    assert tags(built.soup("plain.html"))["og:title"] == ["A plain page"]
    assert tags(built.soup("cases/north-pier.html"))["og:type"] == ["article"]


@pytest.mark.browser
def test_the_tags_in_chromium_s_dom(site, chromium):
    page = chromium.new_page()
    try:
        page.goto((site.outdir / "cases" / "north-pier.html").as_uri())
        found = page.evaluate(
            """() => Object.fromEntries([...document.querySelectorAll(
                'meta[property^="og:"], meta[name^="twitter:"]')].map(
                m => [m.getAttribute('property') || m.getAttribute('name'), m.content]))"""
        )
    finally:
        page.close()
    assert found["og:title"] == "The North Pier “at dawn”"
    assert found["og:description"] == "How Aldhaven kept its harbour <working> & busy."
    assert found["og:image"] == SITE + "_images/pier.png"
    assert found["og:url"] == SITE + "cases/north-pier.html"
    assert found["twitter:card"] == "summary_large_image"
