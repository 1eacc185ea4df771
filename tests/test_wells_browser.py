"""The well in Chromium: a visible, readable box in each theme, light and dark."""

from __future__ import annotations

import pytest
from browser_helpers import THEMES, WELL_STYLE, contrast, over, require_theme, rgba

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("theme", THEMES)
def test_well_is_a_visible_readable_box(build, chromium, theme: str, scheme: str) -> None:
    require_theme(theme)
    result = build("wells", "html", html_theme=theme)
    # one browser for the session: a second Playwright in the same process cannot start
    page = chromium.new_page(color_scheme=scheme)
    try:
        page.goto((result.outdir / "citation.html").as_uri())
        page.wait_for_timeout(200)  # themes set their dark mode from a script
        style = page.evaluate(WELL_STYLE)
    finally:
        page.close()
    background = over(style["background"], style["page"])
    page_background = over(style["page"], "rgb(255, 255, 255)")
    assert style["border"] > 0 and rgba(style["borderColor"])[3] > 0, style
    assert background != page_background, style
    assert contrast(over(style["color"], style["background"]), background) >= 4.5, style
