"""The ``excerpt_*`` options are checked once, when ``conf.py`` is read.

A value an option does not take gives one ``config`` warning naming the option, the
value and what the option takes; the build goes on with the option's default, which the
pages then show. Values the options take give no warning.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import FrozenInstanceError, fields
from pathlib import Path

import pytest
from conftest import ROOTS, Build, run_build

from sphinx_excerpt.config import ExcerptConfig, default_value, excerpt_config

PAGE = """\
Title: The Harbour
Date: 2020-01-02
Slug: the-harbour

[TOC]

## Boats

![A fishing boat](/files/images/harbour.png){.pull-right}

The boats are in Figure 1.

![Chart](/files/images/chart.png)

*Figure 1*. Catch by year.
"""

#: One bad value of each kind: (the option, its value in conf.py, what the warning says
#: is wrong). Two builds, as an option can have one value a build.
BAD = [
    [
        ("excerpt_pages", "5", "an int, not a string or a list"),
        ("excerpt_date_format", "5", "an int, not a string"),
        ("excerpt_float_width", "'wide'", "not a width"),
        ("excerpt_link_mentions", "'no'", "a str, not True or False"),
        ("excerpt_redirects", "1", "an int, not True or False"),
        ("excerpt_redirect_paths", "['{}.html']", "has braces with no header key in them"),
        ("excerpt_page_pdfs", "None", "None, not True or False"),
        ("excerpt_cite", "'yes'", "a str, not True or False"),
        ("excerpt_cite_template", "['{title}']", "a list, not a string"),
        ("excerpt_content_root", "'missing'", "not a folder of the source folder"),
        ("excerpt_pandoc_extensions", "'+smart,-raw_html'", "not +extension and -extension"),
        ("excerpt_description", "3.5", "a float, not a string"),
        ("excerpt_static_paths", "'files'", "a str, not a list"),
        ("excerpt_contents_title", "None", "None, not a string"),
        ("excerpt_pandoc_args", "{'--citeproc': True}", "a dict, not a list"),
        ("excerpt_publish_drafts", "'false'", "a str, not True or False"),
        ("excerpt_embed_hosts", "['https://youtube.com/']", "is not a host name"),
        ("excerpt_bibliography", "'refs.bib'", "a str, not a list"),
        ("excerpt_social_cards", "[]", "a list, not True or False"),
    ],
    [
        ("excerpt_pages", "['*', 3]", "its entry 3 is an int, not a string"),
        ("excerpt_float_width", "'150%'", "wider than the text column"),
        ("excerpt_redirect_paths", "['{slug.html']", "has a broken {key}"),
        ("excerpt_content_root", "'../..'", "a folder outside the source folder"),
        ("excerpt_pandoc_extensions", "['+smart', None]", "its entry None is None"),
        ("excerpt_embed_hosts", "'vimeo.com'", "a str, not a list"),
        ("excerpt_date_format", "b'%Y'", "a bytes, not a string"),
    ],
]
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
OPTIONS = {f"excerpt_{option.name}": option for option in fields(ExcerptConfig)}


def project(tmp_path: Path, conf: str, page: str = PAGE) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-excerpt" / "files", srcdir / "files")
    (srcdir / "conf.py").write_text(f'extensions = ["sphinx_excerpt"]\n{conf}', encoding="utf-8")
    (srcdir / "index.md").write_text(page, encoding="utf-8")
    return srcdir


@pytest.fixture(scope="module", params=[0, 1], ids=["bad", "bad-again"])
def bad(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[tuple[str, str, str]], Build]:
    """A build of one of the sets of bad values, with the set."""
    values = BAD[request.param]
    conf = "".join(f"{option} = {value}\n" for option, value, _ in values)
    return values, run_build(project(tmp_path_factory.mktemp("conf"), conf), "html")


def test_every_option_has_a_bad_value() -> None:
    assert {option for option, _, _ in BAD[0]} == OPTIONS.keys()


def test_a_bad_value_is_one_warning_and_the_default_is_used(
    bad: tuple[list[tuple[str, str, str]], Build],
) -> None:
    values, build = bad
    lines = [COLOUR.sub("", line) for line in build.warning_lines()]
    for option, value, why in values:
        default = default_value(OPTIONS[option])
        mine = [line for line in lines if re.search(rf"\b{option}\b", line)]
        assert len(mine) == 1, (option, mine)
        assert f"{option} = {value}: " in mine[0]
        assert why in mine[0]
        assert f"it takes {OPTIONS[option].metadata['rule'].expect}." in mine[0]
        assert mine[0].endswith(f"The default is used instead: {default!r} [config]"), mine[0]
        # every reader sees the default, through the accessor or the config value
        assert getattr(build.app.config, option) == default
        assert getattr(excerpt_config(build.app), option.removeprefix("excerpt_")) == default
    # nothing else: no second warning of Sphinx's about the type, no traceback
    assert len(lines) == len(values), lines


def test_the_pages_are_built_with_the_defaults(
    bad: tuple[list[tuple[str, str, str]], Build],
) -> None:
    values, build = bad
    soup = build.soup("index.html")
    assert soup.h1.get_text(strip=True).rstrip("¶") == "The Harbour"
    floated = soup.find("img", alt="A fishing boat").find_parent("figure")
    assert floated["style"] == "width: 40%"  # excerpt_float_width
    if values is not BAD[0]:
        return
    dates = soup.select_one("p.excerpt-dates").get_text(" ", strip=True)
    assert "January 2, 2020" in dates  # excerpt_date_format
    mention = soup.select_one("a.excerpt-mention")  # excerpt_link_mentions
    assert mention is not None and mention.get_text() == "Figure 1"
    assert soup.select_one("nav.excerpt-contents p.excerpt-contents-title").get_text() == (
        "Contents"  # excerpt_contents_title
    )
    assert soup.select_one(".excerpt-cite") is None  # excerpt_cite
    assert (build.outdir / "the-harbour.html").is_file()  # excerpt_redirect_paths


GOOD = """\
excerpt_pages = ("index", "other/*")
excerpt_float_width = "30 %"
excerpt_redirect_paths = ("old/{slug}/",)
excerpt_content_root = "/files/"
excerpt_pandoc_extensions = ["markdown", "-smart", "+raw_html "]
excerpt_pandoc_args = ["--citeproc"]
excerpt_embed_hosts = ("youtube.com", "Player.Example.org")
excerpt_static_paths = ("images",)
"""


def test_values_the_options_take_give_no_warning(tmp_path: Path) -> None:
    # (image paths starting with / are in the content root, files/)
    page = PAGE.replace("/files/images/", "/images/")
    build = run_build(project(tmp_path, GOOD, page), "html")
    assert build.warning_lines() == []
    options = excerpt_config(build.app)
    assert options.float_width == "30%"
    assert options.redirect_paths == ["old/{slug}/"]
    assert options.pandoc_args == ["--citeproc"]
    assert options.content_root == "files"
    assert (build.outdir / "old" / "the-harbour" / "index.html").is_file()
    floated = build.soup("index.html").find("img", alt="A fishing boat").find_parent("figure")
    assert floated["style"] == "width: 30%"


def test_one_string_for_a_list_of_arguments_is_a_list_of_one(tmp_path: Path) -> None:
    conf = 'excerpt_redirect_paths = "old/{slug}/"\nexcerpt_pandoc_args = "--citeproc"\n'
    build = run_build(project(tmp_path, conf), "html")
    lines = [COLOUR.sub("", line) for line in build.warning_lines()]
    for option, value in (
        ("excerpt_redirect_paths", "old/{slug}/"),
        ("excerpt_pandoc_args", "--citeproc"),
    ):
        (mine,) = [line for line in lines if option in line]
        assert f"{option} = {value!r}: a str, not a list; it takes " in mine
        assert mine.endswith(f"It is read as {[value]!r} [config]"), mine
        assert getattr(build.app.config, option) == [value]
    assert len(lines) == 2, lines
    assert (build.outdir / "old" / "the-harbour" / "index.html").is_file()


def test_one_accessor_one_checked_object(tmp_path: Path) -> None:
    build = run_build(project(tmp_path, ""), "html")
    app = build.app
    options = excerpt_config(app)
    assert excerpt_config(app.config) is options and excerpt_config(app.env) is options
    with pytest.raises(FrozenInstanceError):
        options.cite = True  # type: ignore[misc]
