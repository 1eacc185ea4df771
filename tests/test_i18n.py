"""Other languages: the extension's own words translated, its text in gettext catalogs."""

from __future__ import annotations

import re

import pytest

PAGE = """\
Title: Die Fischer
Date: 2019-03-07
Modified: 2019-05-02
Template: excerpt

<div class="well">Wordwell excerpt of <em>Wordbook</em>. <small>Wordcredit line.</small></div>

![Wordphotoalt](/files/photo.png "Wordphototitle"){.pull-right}

As Figure 3.1 shows, Wordbody text. See {numref}`chart`.

## Wordsection

(chart)=
![Wordfigalt](/files/chart.png)

*Figure 3.1*. Wordcaption text.<BR>
Source: Wordlegend one.<BR>
Note: Wordlegend two.

| Wordhead | b |
|---|---|
| Wordcell | x |

*Table 2*. Wordtabletitle.
""".replace("<BR>", "  ")  # Markdown's hard line break: two spaces at the end of the line


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def messages(pot: str) -> list[str]:
    """The msgids of a .pot file (one line each in these small catalogs)."""
    return re.findall(r'^msgid "(.+)"$', pot, flags=re.MULTILINE)


def test_gettext_extracts_wells_captions_legends_and_photo_captions(page):
    result = page(PAGE, "gettext")
    found = messages(result.read("index.pot"))
    for message in (
        "Wordwell excerpt of Wordbook. Wordcredit line.",
        "Wordphototitle",
        "Wordcaption text.",
        "Source: Wordlegend one.",
        "Note: Wordlegend two.",
        "Wordtabletitle.",
        "Wordcell",
    ):
        assert message in found, found
    # the label is the extension's word, translated by its own catalog, not the page's
    assert not any(m.startswith(("Figure 3.1", "Table 2")) for m in found), found


def test_make_html_then_gettext_keeps_every_message(page):
    """HTML builds skip the messages; Sphinx reads the pages again for gettext."""
    from sphinx.cmd.build import main

    src = page(PAGE, "html").srcdir
    out = src.parent / "make"
    for builder in ("html", "gettext"):
        assert main(["-M", builder, str(src), str(out), "-q"]) == 0
    found = messages((out / "gettext" / "index.pot").read_text(encoding="utf-8"))
    assert "Wordcaption text." in found and "Wordtabletitle." in found, found


def test_a_well_directive_keeps_its_markdown_messages(page):
    result = page("# T\n\n```{well}\nWorddirective *well* text.\n```\n", "gettext")
    assert "Worddirective *well* text." in messages(result.read("index.pot"))


@pytest.fixture
def german(page):
    return {b: page(PAGE, b, language="de") for b in ("html", "text", "latex")}


def test_german_html_labels_the_written_number_in_german(german):
    soup = german["html"].soup("index.html")
    captions = [norm(c.get_text()) for c in soup.select("figcaption, caption")]
    assert "Abbildung 3.1. Wordcaption text." in captions[-2:] or any(
        c.startswith("Abbildung 3.1. Wordcaption text.") for c in captions
    ), captions
    assert any(c.startswith("Tabelle 2. Wordtabletitle.") for c in captions), captions
    links = [norm(a.get_text()) for a in soup.select('[role="main"] p a.reference.internal')]
    # the mention stays as the sentence wrote it; numref writes the label of the language
    assert "Figure 3.1" in links and "Abbildung 3.1" in links, links
    dates = norm(soup.select_one("p.excerpt-dates").get_text())
    assert "Aktualisiert" in dates and "Updated" not in dates
    assert norm(soup.select_one(".excerpt-contents-title").get_text()) == "Inhalt"


def test_german_text_build(german):
    text = norm(german["text"].read("index.txt"))
    assert "Abbildung 3.1. Wordcaption text." in text
    assert "Tabelle 2. Wordtabletitle." in text
    assert "Figure 3.1 shows" in text  # the sentence as written


def test_german_latex_captions(german):
    tex = next(german["latex"].outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert r"\sphinxexcerptnumber{figure}{Abbildung}{3.1}" in tex
    assert r"\sphinxexcerptnumber{table}{Tabelle}{2}" in tex
    assert "{Figure}{3.1}" not in tex


def test_french_labels(page):
    text = norm(page(PAGE, "text", language="fr").read("index.txt"))
    assert "Tableau 2. Wordtabletitle." in text and "Figure 3.1. Wordcaption text." in text
    assert "Mis à jour" in text


def test_english_is_as_written(page):
    text = norm(page(PAGE, "text").read("index.txt"))
    assert "Table 2. Wordtabletitle." in text and "Figure 3.1. Wordcaption text." in text
    assert "Updated" in text


def test_a_label_the_author_wrote_in_another_word_is_kept(page):
    source = "# T\n\n```{excerpt-figure} /files/c.png\n:number: 7\n:label: Karte\n\nWordmap.\n```\n"
    text = norm(page(source, "text", language="de").read("index.txt"))
    assert "Karte 7. Wordmap." in text
