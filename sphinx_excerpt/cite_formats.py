"""A page's citation as files reference managers read: BibTeX, RIS and CSL-JSON.

Each function takes a :class:`~sphinx_excerpt.cite.Citation` and returns the text of one
file. Values from a source are escaped for the format: TeX's special characters in
BibTeX (braces as ``\\textbraceleft{}``, so that BibTeX's brace count stays balanced),
one line per value in RIS, JSON's own escaping in CSL-JSON.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from sphinx_excerpt.dates import MONTHS

if TYPE_CHECKING:
    from sphinx_excerpt.cite import Citation

#: TeX's special characters and what prints each of them.
TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "&": r"\&",
    "%": r"\%",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
TEX_SPECIAL = re.compile("|".join(re.escape(c) for c in TEX_SPECIALS))
#: What a BibTeX ``url`` field may not hold as written (braces would unbalance the entry;
#: the url package reads ``%`` and ``#`` as they are, but a stray backslash would not be).
URL_UNSAFE = {"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20"}
#: BibTeX's month macros: the first three letters of the English names.
MONTH_MACROS = tuple(month[:3].lower() for month in MONTHS)
LINE_BREAKS = re.compile(r"\s+")


def tex_text(text: str) -> str:
    """``text`` as BibTeX field content that prints it: TeX's specials escaped."""
    return TEX_SPECIAL.sub(lambda m: TEX_SPECIALS[m[0]], text)


def _url(url: str) -> str:
    return "".join(URL_UNSAFE.get(c, c) for c in url)


def _name(author: str) -> str:
    # a name holding the word "and" would be two names to BibTeX: braced, it is one
    text = tex_text(author)
    return f"{{{text}}}" if re.search(r"\band\b", author, re.IGNORECASE) else text


def bibtex(citation: Citation) -> str:
    """The citation as one BibTeX ``@misc`` entry (with BibLaTeX's ``date`` and ``url``)."""
    fields: list[tuple[str, str]] = []
    if citation.authors:
        fields.append(("author", " and ".join(_name(a) for a in citation.authors)))
    # double braces: BibTeX styles keep the title's capitals as written
    fields.append(("title", f"{{{tex_text(citation.title)}}}"))
    if citation.date is not None:
        fields.append(("year", str(citation.date.year)))
        fields.append(("month", MONTH_MACROS[citation.date.month - 1]))
        fields.append(("date", citation.date.date().isoformat()))
    if citation.site:
        fields.append(("howpublished", tex_text(citation.site)))
        fields.append(("organization", tex_text(citation.site)))
    if citation.book:
        fields.append(("note", tex_text(citation.excerpt_note())))
    if citation.url:
        fields.append(("url", _url(citation.url)))
    lines = [f"@misc{{{citation.key},"]
    for name, value in fields:
        # a month is BibTeX's macro (jan …), the rest braced text
        shown = value if name == "month" else f"{{{value}}}"
        lines.append(f"  {name} = {shown},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _line(value: str) -> str:
    """A value on one line (RIS reads a tag's value up to the line's end)."""
    return LINE_BREAKS.sub(" ", value).strip()


def ris(citation: Citation) -> str:
    """The citation as one RIS record: ``TY  - ELEC`` … ``ER  - ``."""
    tags: list[tuple[str, str]] = [("TY", "ELEC"), ("TI", citation.title)]
    tags += [("AU", author) for author in citation.authors]
    if citation.date is not None:
        tags.append(("PY", str(citation.date.year)))
        tags.append(("DA", citation.date.strftime("%Y/%m/%d")))
    if citation.site:
        tags.append(("T2", citation.site))
    if citation.book:
        tags.append(("OP", citation.book))
        tags.append(("N1", citation.excerpt_note()))
    if citation.publisher:
        tags.append(("PB", citation.publisher))
    if citation.url:
        tags.append(("UR", citation.url))
    if citation.pdf_url:
        tags.append(("L1", citation.pdf_url))
    lines = [f"{tag}  - {_line(value)}" for tag, value in tags]
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


def csl_name(author: str) -> dict[str, str]:
    """An author's name as CSL-JSON's ``family`` and ``given`` ("Lind, Mara" or "Mara Lind"),
    or as a ``literal`` when it is one word."""
    if "," in author:
        family, _, given = author.partition(",")
        return {"family": family.strip(), "given": given.strip()}
    words = author.split()
    if len(words) < 2:
        return {"literal": author}
    return {"family": words[-1], "given": " ".join(words[:-1])}


def csl_json(citation: Citation) -> str:
    """The citation as a CSL-JSON list of one ``webpage`` item."""
    item: dict[str, Any] = {"id": citation.key, "type": "webpage", "title": citation.title}
    if citation.authors:
        item["author"] = [csl_name(a) for a in citation.authors]
    if citation.date is not None:
        d = citation.date
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if citation.site:
        item["container-title"] = citation.site
    if citation.book:
        item["original-title"] = citation.book
    if citation.publisher:
        item["original-publisher"] = citation.publisher
    if citation.url:
        item["URL"] = citation.url
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


#: Each download: its file suffix, its name in the box, and what writes it.
FORMATS = (("bib", "BibTeX", bibtex), ("ris", "RIS", ris), ("json", "CSL-JSON", csl_json))
