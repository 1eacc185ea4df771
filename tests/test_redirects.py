"""Redirects at old Pelican URLs: never over a page, never a crash, removed when stale."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import run_build
from docutils.utils import new_document
from sphinx.environment import BuildEnvironment

from sphinx_excerpt.redirects import GENERATOR, MANIFEST
from sphinx_excerpt.scope import page_scope
from sphinx_excerpt.site_links import SiteAddressLinks


def _project(tmp_path: Path, pages: dict[str, str], conf: str = "") -> Path:
    src = tmp_path / "src"
    src.mkdir(exist_ok=True)
    (src / "conf.py").write_text(f'extensions = ["sphinx_excerpt"]\n{conf}', encoding="utf-8")
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text, encoding="utf-8")
    return src


def _build(src: Path, builder: str = "html", fresh: bool = True):
    return run_build(src, builder, outdir=src.parent / f"out-{builder}", freshenv=fresh)


def _is_redirect(path: Path) -> bool:
    return path.is_file() and GENERATOR in path.read_text(encoding="utf-8")


INDEX = "# Home\n\nThe home page.\n\n```{toctree}\n:glob:\n\n*\n```\n"


def test_a_slug_longer_than_a_file_name_is_refused(tmp_path) -> None:
    slug = "s" * 251
    src = _project(tmp_path, {"index": INDEX, "page": f"Title: Long\nSlug: {slug}\n\nText.\n"})
    result = _build(src)
    assert re.search(
        r"page\.md:2: WARNING: slug 's+'… is longer than file systems allow", result.warnings
    )
    assert "Traceback" not in result.warnings
    assert "Text." in result.read("page.html")


def test_a_redirect_path_under_a_page_file_is_refused(tmp_path) -> None:
    src = _project(
        tmp_path, {"index": INDEX, "page": "Title: T\nSlug: index.html/inner\n\nText.\n"}
    )
    result = _build(src)
    assert re.search(
        r"page\.md:2: WARNING: the redirect of page 'page' at index\.html/inner\.html would "
        r"replace page 'index' \(index\.html is a file\); not written \[excerpt\.metadata\]",
        result.warnings,
    )
    assert "The home page." in result.read("index.html")


def test_two_pages_with_one_slug(tmp_path) -> None:
    pages = {
        "index": INDEX,
        "alpha": "Title: Alpha\nSlug: shared\n\nAlpha text.\n",
        "beta": "Title: Beta\nSlug: shared\n\nBeta text.\n",
    }
    result = _build(_project(tmp_path, pages))
    assert re.search(
        r"beta\.md:2: WARNING: the redirect of page 'beta' at shared\.html would replace the "
        r"redirect of page 'alpha'; not written",
        result.warnings,
    )
    assert result.soup("shared.html").find("a")["href"] == "alpha.html"
    assert "Alpha text." in result.read("alpha.html") and "Beta text." in result.read("beta.html")


def test_a_slug_naming_another_page_or_sphinxs_own(tmp_path) -> None:
    pages = {
        "index": INDEX,
        "other": "Title: Other\n\nOther text.\n",
        "p1": "Title: P1\nSlug: other\n\nText.\n",
        "p2": "Title: P2\nSlug: index\n\nText.\n",
        "p3": "Title: P3\nSlug: genindex\n\nText.\n",
        "p4": "Title: P4\nSlug: search\n\nText.\n",
        "p5": "Title: P5\nSlug: py-modindex\n\nText.\n",
        "p6": "Title: P6\nSlug: _static/basic\n\nText.\n",
    }
    result = _build(_project(tmp_path, pages))
    for page, owner in (
        ("p1", "page 'other'"),
        ("p2", "page 'index'"),
        ("p3", "Sphinx's page 'genindex'"),
        ("p4", "Sphinx's page 'search'"),
        ("p5", "Sphinx's page 'py-modindex'"),
        ("p6", "Sphinx's folder '_static'"),
    ):
        assert re.search(rf"{page}\.md:2: WARNING: .* would replace {owner}", result.warnings)
    out = result.outdir
    assert "Other text." in result.read("other.html") and "The home page." in result.read(
        "index.html"
    )
    for name in ("other.html", "index.html", "genindex.html", "search.html", "_static/basic.html"):
        assert not _is_redirect(out / name), name


def test_dirhtml_checks_its_own_files(tmp_path) -> None:
    pages = {
        "index": INDEX,
        "other": "Title: Other\n\nText.\n",
        "p": "Title: P\nSlug: other/index\n\nT.\n",
    }
    result = _build(_project(tmp_path, pages), "dirhtml")
    assert "would replace page 'other'" in result.warnings
    assert not _is_redirect(result.outdir / "other" / "index.html")


def test_an_incremental_build_removes_the_old_redirect(tmp_path) -> None:
    src = _project(tmp_path, {"index": INDEX, "page": "Title: T\nSlug: old-name\n\nText.\n"})
    first = _build(src)
    assert _is_redirect(first.outdir / "old-name.html")
    assert list(json.loads(first.read(MANIFEST))) == ["old-name.html"]
    (src / "page.md").write_text("Title: T\nSlug: new/name\n\nText.\n", encoding="utf-8")
    second = _build(src, fresh=False)
    assert not (second.outdir / "old-name.html").exists()
    assert _is_redirect(second.outdir / "new" / "name.html")
    assert list(json.loads(second.read(MANIFEST))) == ["new/name.html"]
    (src / "page.md").write_text("Title: T\n\nText.\n", encoding="utf-8")
    third = _build(src, fresh=False)
    assert not (third.outdir / "new").exists()  # its folder went with it
    assert json.loads(third.read(MANIFEST)) == {}


def test_an_old_redirect_where_a_page_now_lives_is_not_removed(tmp_path) -> None:
    src = _project(tmp_path, {"index": INDEX, "page": "Title: T\nSlug: later\n\nText.\n"})
    _build(src)
    (src / "page.md").write_text("Title: T\n\nText.\n", encoding="utf-8")
    (src / "later.md").write_text("Title: Later\n\nThe later page.\n", encoding="utf-8")
    result = _build(src, fresh=False)
    assert "The later page." in result.read("later.html")


def test_an_incremental_build_with_nothing_changed_keeps_the_redirects(tmp_path) -> None:
    src = _project(tmp_path, {"index": INDEX, "page": "Title: T\nSlug: kept\n\nText.\n"})
    _build(src)
    result = _build(src, fresh=False)
    assert _is_redirect(result.outdir / "kept.html")


def test_every_redirect_url_passes_the_url_policy(tmp_path) -> None:
    conf = 'html_baseurl = "javascript:alert(1)//"\n'
    src = _project(tmp_path, {"index": INDEX, "page": "Title: T\nSlug: old\n\nText.\n"}, conf)
    result = _build(src)
    assert "the redirect to page 'page' would lead to a javascript: URL" in result.warnings
    assert not (result.outdir / "old.html").exists()


def test_a_link_to_a_page_s_old_address_leads_to_the_page(tmp_path) -> None:
    """A site address that was a page's (its ``Slug``) leads to the page as Sphinx wrote
    it; the pages read with such a link are noted for the resolver, and only those."""
    pages = {
        "index": INDEX,
        "north": "Title: North pier\nSlug: cases/north-pier\n\nThe pier.\n",
        "south": "Title: South pier\n\nAs at [the north pier](/cases/north-pier.html#top).\n",
        "east": "Title: East pier\n\nNo link at all.\n",
    }
    result = _build(_project(tmp_path, pages))
    assert 'href="north.html#top"' in result.read("south.html")
    assert "cases/north-pier.html" not in result.read("south.html")
    assert page_scope(result.app.env).site_links == {"south"}


def resolver_runs(env: BuildEnvironment) -> bool:
    """Whether the build of ``env`` applies the site-address resolver to its pages."""
    document = new_document("page.md")
    document.settings.env = env
    return SiteAddressLinks(document).is_supported()


def test_without_site_addresses_the_resolver_is_not_applied(tmp_path) -> None:
    """No page links to a site address: the resolver walks no page; one page does: it
    walks them."""
    pages = {"index": INDEX, "north": "Title: North pier\nSlug: north\n\nThe pier.\n"}
    result = _build(_project(tmp_path, pages))
    assert page_scope(result.app.env).site_links == set()
    assert not resolver_runs(result.app.env)
    pages["south"] = "Title: South pier\n\nAs at [the north pier](/north.html).\n"
    result = _build(_project(tmp_path, pages))
    assert page_scope(result.app.env).site_links == {"south"}
    assert resolver_runs(result.app.env)
    assert 'href="north.html"' in result.read("south.html")
