"""Dates of excerpt pages: read in the forms Pelican pages use, written as Sphinx would.

English dates are written from the names below, without babel's locale data (loading it
takes about 70 ms and 4 MB, once per build process, an incremental build included); they
are what Sphinx's ``format_date`` writes for ``en``, which writes every other language
and every format code not in :data:`ENGLISH`.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from sphinx.util.i18n import date_format_re, format_date

#: The date forms of Pelican pages, after ISO 8601.
DATE_FORMATS = ("%Y/%m/%d", "%Y/%m/%d %H:%M", "%d.%m.%Y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

#: Sphinx's date codes whose English text needs no locale data, as fields of a
#: ``str.format`` template of the date (``d``) and the names of its month (``B``) and
#: weekday (``A``): a date is written by one call, whatever its codes.
ENGLISH = {
    "%B": "{B}",
    "%b": "{B:.3}",
    "%A": "{A}",
    "%a": "{A:.3}",
    "%-d": "{d.day}",
    "%d": "{d.day:02d}",
    "%-m": "{d.month}",
    "%m": "{d.month:02d}",
    "%Y": "{d.year:04d}",
    "%-H": "{d.hour}",
    "%H": "{d.hour:02d}",
    "%-M": "{d.minute}",
    "%M": "{d.minute:02d}",
    "%%": "%",
}


@lru_cache(maxsize=512)
def formatted_date(fmt: str, when: datetime, language: str | None) -> str:
    """``when`` as Sphinx's ``format_date`` writes it; each answer is kept for reuse."""
    if language in (None, "en"):
        template = _english_template(fmt)
        if template is not None:
            return template.format(d=when, B=MONTHS[when.month - 1], A=WEEKDAYS[when.weekday()])
    return format_date(fmt, date=when, language=language or "en")


@lru_cache(maxsize=64)
def _english_template(fmt: str) -> str | None:
    """``fmt`` as a template of :data:`ENGLISH`'s fields; ``None`` when a code needs locale
    data (made once per format: each page has its own dates)."""
    parts = date_format_re.split(fmt)  # text, code, text, code, …, text
    codes = parts[1::2]
    if not all(code in ENGLISH for code in codes):
        return None
    parts[1::2] = [ENGLISH[code] for code in codes]
    parts[0::2] = [text.replace("{", "{{").replace("}", "}}") for text in parts[0::2]]
    return "".join(parts)


def parse_date(value: str) -> datetime | None:
    """A date in one of the forms Pelican pages use, or ``None``."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None
