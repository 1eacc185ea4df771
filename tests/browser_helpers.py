"""Helpers of the browser tests: the themes they run under, colours and contrast (WCAG 2)."""

from __future__ import annotations

import importlib.util
import re

import pytest

THEMES = {  # html_theme: the module that provides it
    "alabaster": "alabaster",
    "furo": "furo",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "sphinx_book_theme": "sphinx_book_theme",
    "sphinx_rtd_theme": "sphinx_rtd_theme",
}
#: The colours of the first well, its border and the background it sits on (JavaScript).
WELL_STYLE = """() => {
    const well = document.querySelector('div.well');
    const opaque = (el) => {
        for (; el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor;
            if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
    };
    const s = getComputedStyle(well);
    return {border: parseFloat(s.borderTopWidth), borderColor: s.borderTopColor,
            background: s.backgroundColor, page: opaque(well.parentElement), color: s.color};
}"""


def require_theme(theme: str) -> None:
    """Skip when the theme is not installed (it is in the ``themes`` extra)."""
    if importlib.util.find_spec(THEMES[theme]) is None:
        pytest.skip(f"theme {theme} is not installed (pip install sphinx-excerpt[themes])")


def rgba(css: str) -> tuple[float, float, float, float]:
    """A CSS ``rgb()``/``rgba()`` colour as (r, g, b, alpha)."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    assert css.startswith("rgb") and len(numbers) >= 3, css
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def over(top: str, below: str, opacity: float = 1.0) -> tuple[float, float, float]:
    """The colour seen when ``top`` (with its alpha, times ``opacity``) is drawn on ``below``."""
    r, g, b, a = rgba(top)
    a *= opacity
    r2, g2, b2, _ = rgba(below)
    return (r * a + r2 * (1 - a), g * a + g2 * (1 - a), b * a + b2 * (1 - a))


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    """The WCAG contrast ratio of two colours (readable text needs 4.5)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)
