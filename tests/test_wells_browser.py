"""The well in Chromium: a visible, readable box in each theme, light and dark."""

from __future__ import annotations

import importlib.util
import re

import pytest
from conftest import require_tool

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]
THEMES = {  # html_theme: the module that provides it
    "alabaster": "alabaster",
    "furo": "furo",
    "pydata_sphinx_theme": "pydata_sphinx_theme",
    "sphinx_book_theme": "sphinx_book_theme",
    "sphinx_rtd_theme": "sphinx_rtd_theme",
}
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


def rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    assert css.startswith("rgb") and len(numbers) >= 3, css
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def over(top: str, below: str) -> tuple[float, float, float]:
    r, g, b, a = rgba(top)
    r2, g2, b2, _ = rgba(below)
    return (r * a + r2 * (1 - a), g * a + g2 * (1 - a), b * a + b2 * (1 - a))


def luminance(rgb: tuple[float, float, float]) -> float:
    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(channel, rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_well_is_a_visible_readable_box(build, theme: str, scheme: str) -> None:
    if importlib.util.find_spec(THEMES[theme]) is None:
        pytest.skip(f"theme {theme} is not installed (pip install sphinx-excerpt[themes])")
    require_tool("/usr/bin/chromium")
    playwright = pytest.importorskip("playwright.sync_api")
    result = build("wells", "html", html_theme=theme)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(color_scheme=scheme)
        page.goto((result.outdir / "citation.html").as_uri())
        page.wait_for_timeout(200)  # themes set their dark mode from a script
        style = page.evaluate(WELL_STYLE)
        browser.close()
    background = over(style["background"], style["page"])
    page_background = over(style["page"], "rgb(255, 255, 255)")
    assert style["border"] > 0 and rgba(style["borderColor"])[3] > 0, style
    assert background != page_background, style
    assert contrast(over(style["color"], style["background"]), background) >= 4.5, style
