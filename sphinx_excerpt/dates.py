"""Dates of excerpt pages: read in the forms Pelican pages use, written as Sphinx would.

English dates are written from the names below, without babel's locale data (loading it
takes about 70 ms and 4 MB, once per build process, an incremental build included); they
are what Sphinx's ``format_date`` writes for ``en``, which writes every other language
and every format code not in :data:`ENGLISH`.
"""

from __future__ import annotations

from collections.abc import Callable
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

#: What writes one date code's text.
Writer = Callable[[datetime], str]
#: Sphinx's date codes whose English text needs no locale data.
ENGLISH: dict[str, Writer] = {
    "%B": lambda d: MONTHS[d.month - 1],
    "%b": lambda d: MONTHS[d.month - 1][:3],
    "%A": lambda d: WEEKDAYS[d.weekday()],
    "%a": lambda d: WEEKDAYS[d.weekday()][:3],
    "%-d": lambda d: str(d.day),
    "%d": lambda d: f"{d.day:02d}",
    "%-m": lambda d: str(d.month),
    "%m": lambda d: f"{d.month:02d}",
    "%Y": lambda d: f"{d.year:04d}",
    "%-H": lambda d: str(d.hour),
    "%H": lambda d: f"{d.hour:02d}",
    "%-M": lambda d: str(d.minute),
    "%M": lambda d: f"{d.minute:02d}",
    "%%": lambda d: "%",
}


@lru_cache(maxsize=512)
def formatted_date(fmt: str, when: datetime, language: str | None) -> str:
    """``when`` as Sphinx's ``format_date`` writes it; each answer is kept for reuse."""
    if language in (None, "en"):
        english = _english_format(fmt)
        if english is not None:
            text, writers = english
            for write, after in writers:
                text += write(when) + after
            return text
    return format_date(fmt, date=when, language=language or "en")


@lru_cache(maxsize=64)
def _english_format(fmt: str) -> tuple[str, tuple[tuple[Writer, str], ...]] | None:
    """``fmt`` as its first text and each code's writer with the text after it; ``None``
    when a code needs locale data (split once per format: each page has its own dates)."""
    parts = date_format_re.split(fmt)  # text, code, text, code, …, text
    codes = parts[1::2]
    if not all(code in ENGLISH for code in codes):
        return None
    writers = zip((ENGLISH[code] for code in codes), parts[2::2], strict=True)
    return parts[0], tuple(writers)


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
