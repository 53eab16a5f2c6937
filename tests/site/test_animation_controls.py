"""Every animation can be paused and played again, with the keyboard too, and readers who
asked for reduced motion see its still until they press play (WCAG 2.2.2)."""
from __future__ import annotations

from served_site import REPO_ROOT

PAGE = "surfaces/cubic/"
ARTIFACTS = REPO_ROOT / "test-artifacts"


def _open(site, probe):
    gifs = []
    probe.page.on("request", lambda request: request.url.endswith(".gif") and gifs.append(request.url))
    probe.page.goto(site.url(PAGE))
    probe.page.wait_for_load_state("load")
    first = probe.page.locator("picture.atlas-animation img").first
    first.scroll_into_view_if_needed()
    first.evaluate("img => img.decode()")  # loaded: currentSrc says which source was chosen
    return gifs, first


def test_an_animation_pauses_and_plays_from_the_keyboard(site, open_page):
    probe = open_page()
    page = probe.page
    gifs, img = _open(site, probe)
    pictures, buttons = page.locator("picture.atlas-animation"), page.locator("button.atlas-animation-toggle")
    assert pictures.count() >= 4 and buttons.count() == pictures.count()
    assert img.evaluate("img => img.currentSrc").endswith(".gif") and gifs
    button = buttons.first
    assert button.inner_text() == "Pause animation"
    button.focus()
    page.keyboard.press("Space")
    page.wait_for_function("img => img.currentSrc.endsWith('-still.png')", arg=img.element_handle())
    assert button.inner_text() == "Play animation"
    assert button.get_attribute("aria-label").startswith("Play animation: Animation on the 3-D cubic")
    # the lightbox opens what is shown
    link = page.locator("article a.glightbox:has(picture.atlas-animation)").first
    assert link.get_attribute("href").endswith("-still.png")
    page.keyboard.press("Enter")
    page.wait_for_function("img => img.currentSrc.endsWith('.gif')", arg=img.element_handle())
    assert button.inner_text() == "Pause animation"
    probe.assert_clean(PAGE)


def test_reduced_motion_shows_stills_until_play(site, open_page):
    probe = open_page(reduced_motion="reduce")
    page = probe.page
    gifs, img = _open(site, probe)
    assert img.evaluate("img => img.currentSrc").endswith("-still.png")
    assert gifs == []  # no animation was even fetched
    ARTIFACTS.mkdir(exist_ok=True)
    img.screenshot(path=str(ARTIFACTS / "animation-reduced-motion.png"))
    button = page.locator("button.atlas-animation-toggle").first
    assert button.inner_text() == "Play animation"
    button.click()
    page.wait_for_function("img => img.currentSrc.endsWith('.gif')", arg=img.element_handle())
    assert gifs and button.inner_text() == "Pause animation"
    probe.assert_clean(PAGE)


def test_figures_are_not_bright_blocks_in_dark_mode(site, open_page):
    """Issue 10: in dark mode no figure is a white block (the stylesheet inverts their lightness)."""
    from io import BytesIO

    from PIL import Image, ImageStat

    brightness = {}
    for scheme in ("light", "dark"):
        probe = open_page(color_scheme=scheme)
        _, img = _open(site, probe)
        if scheme == "dark":  # the palette follows the system's scheme only without a stored choice
            assert probe.page.locator("body").get_attribute("data-md-color-scheme") == "slate"
        shot = img.screenshot(path=str(ARTIFACTS / f"animation-{scheme}.png"))
        brightness[scheme] = ImageStat.Stat(Image.open(BytesIO(shot)).convert("L")).mean[0] / 255
    assert brightness["light"] > 0.8 and brightness["dark"] < 0.35, brightness
