"""The Playground page in a real browser (Playwright on Debian's Chromium), with the
fixtures of test_browser.py: it loads cleanly and offline, clicking sets the start where
the click was, stepping gives the Python library's positions, the URL holds the whole
state, the keyboard drives it, reduced motion plays nothing, it survives Material's
instant navigation, invalid input is refused; screenshots in light and dark mode go to
test-artifacts/."""
from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import pytest

from build_assets.experiment import fmt, outcome
from build_assets.playground import in_playground
from optimizers import OPTIMIZERS, SURFACES, make, run
from test_browser import goto, screenshot, switch_to_dark

GENERATED = Path(__file__).resolve().parents[2] / "docs" / "assets" / "generated"
PAGE = "playground/"
PLOT = ".oa-pg-plot canvas[role=img]"  # the canvas the reader clicks and focuses (a background one lies under it)
READY = "() => window.OptimizerAtlas && window.OptimizerAtlas.widget && document.querySelector('.oa-pg canvas')"


def open_playground(probe, site, query: str = "", reduced_motion: str = "reduce") -> None:
    probe.page.emulate_media(reduced_motion=reduced_motion)
    goto(probe, site.url(PAGE) + query)
    probe.page.wait_for_function(READY)


def described(page, locator) -> str:
    """The accessible description of an element (the text of its aria-describedby)."""
    return page.evaluate("el => document.getElementById(el.getAttribute('aria-describedby')).textContent",
                         locator.element_handle())


def state(page) -> dict:
    return page.evaluate("JSON.parse(JSON.stringify(window.OptimizerAtlas.widget.state))")


def query(page) -> dict:
    """The URL's query once the page has written its state there (a moment after a change)."""
    page.wait_for_function("""() => {
      const q = new URLSearchParams(location.search), s = window.OptimizerAtlas.widget.state;
      return q.get('surface') === s.surface && q.get('step') === String(s.step) && q.get('start') === s.start.join(',');
    }""")
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def test_loads_without_errors_or_external_requests_light_and_dark(site, open_page):
    probe = open_page()
    open_playground(probe, site)
    page = probe.page
    assert page.evaluate("typeof window.OptimizerAtlas.run") == "function"
    assert page.locator(".oa-pg-readout tbody tr").count() == len(state(page)["on"]) > 0
    assert "NaN" not in page.locator(".oa-pg").inner_text()
    # every surface of the Python registry (but the data-set objectives, not ported yet), every optimizer
    assert page.locator("#oa-pg-surface option").evaluate_all("os => os.map((o) => o.value)") == [
        key for key, surface in SURFACES.items() if in_playground(surface)]
    assert page.locator(".oa-pg-opt input[type=checkbox]").count() == len(OPTIMIZERS)
    screenshot(probe, "playground-light.png")
    switch_to_dark(probe)
    page.wait_for_timeout(200)
    screenshot(probe, "playground-dark.png")
    small = open_page(viewport=(375, 800))
    open_playground(small, site)
    screenshot(small, "playground-375.png")
    probe.assert_clean("playground")
    small.assert_clean("playground at 375 px")


def test_click_sets_the_start_at_the_clicked_coordinates(site, open_page):
    probe = open_page()
    open_playground(probe, site, "?surface=rosenbrock")
    page = probe.page
    canvas = page.locator(PLOT)
    box = canvas.bounding_box()
    rect = page.evaluate("window.OptimizerAtlas.widget.plotRect()")
    (lo1, hi1), (lo2, hi2) = SURFACES["rosenbrock"].bounds
    for fx, fy in ((0.25, 0.3), (0.8, 0.75)):
        page.mouse.click(box["x"] + rect["left"] + fx * rect["width"], box["y"] + rect["top"] + fy * rect["height"])
        expected = (lo1 + fx * (hi1 - lo1), hi2 - fy * (hi2 - lo2))
        start = state(page)["start"]
        # within a pixel's worth of the plot (the page rounds to 1/2000 of its width)
        assert np.allclose(start, expected, atol=(hi1 - lo1) / rect["width"]), (start, expected)
        assert [float(v) for v in query(page)["start"].split(",")] == start
    probe.assert_clean("clicking on the plot")


@pytest.mark.parametrize("surface,name", [("rosenbrock", "adam"), ("beale", "nadam"), ("cubic", "newton")])
def test_stepping_gives_the_python_librarys_positions(site, open_page, surface, name):
    probe = open_page()
    open_playground(probe, site, f"?surface={surface}&on={name}")
    page = probe.page
    canvas = page.locator(PLOT)
    box = canvas.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)  # a new start
    page.get_by_role("button", name="Reset").click()
    steps = 40
    for _ in range(steps):
        page.get_by_role("button", name="Step ▶").click()
    shown = state(page)
    assert shown["step"] == steps
    position = page.evaluate(f"Array.from(window.OptimizerAtlas.widget.runs['{name}'].xs.subarray({2 * steps}, {2 * steps + 2}))")
    python = run(make(name, **shown["hparams"][name]), SURFACES[surface], np.array(shown["start"]), steps)
    assert position == python.points[steps].tolist()  # bit for bit
    probe.assert_clean("stepping")


def test_the_url_round_trips_the_state(site, open_page):
    probe = open_page()
    open_playground(probe, site)
    page = probe.page
    page.select_option("#oa-pg-surface", "himmelblau")
    page.check("#oa-pg-on-lion")
    page.fill("#oa-pg-lion-lr", "0.02")
    page.locator("#oa-pg-lion-lr").dispatch_event("change")
    page.get_by_role("button", name="tuned").click()
    page.fill("#oa-pg-lion-beta1", "0.75")
    page.locator("#oa-pg-lion-beta1").dispatch_event("change")
    page.get_by_role("button", name="Reset").click()
    page.get_by_role("button", name="Step ▶").click()
    before = state(page)
    assert before["surface"] == "himmelblau" and "lion" in before["on"] and before["step"] == 1
    assert before["hparams"]["lion"]["beta1"] == 0.75
    assert query(page)["lion"].startswith("lr:")
    other = open_page()
    other.page.emulate_media(reduced_motion="no-preference")
    goto(other, page.url)
    other.page.wait_for_function(READY)
    assert state(other.page) == before
    probe.assert_clean("url round trip")
    other.assert_clean("url round trip, receiver")


def test_keyboard_operation(site, open_page):
    probe = open_page()
    open_playground(probe, site, "?surface=saddle&step=10")
    page = probe.page
    canvas = page.locator(PLOT)
    canvas.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert state(page)["step"] == 11
    page.keyboard.press("Space")
    assert page.get_by_role("button", name="❚❚ Pause").get_attribute("aria-pressed") == "true"
    page.keyboard.press("Space")
    assert page.get_by_role("button", name="▶ Play").get_attribute("aria-pressed") == "false"
    page.keyboard.press("Home")
    assert state(page)["step"] == 0
    # On the step slider the arrow keys step; on a learning-rate slider they move the rate.
    page.get_by_role("slider", name="Step").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert state(page)["step"] == 2
    before = state(page)
    page.locator(".oa-pg-opt", has=page.locator("#oa-pg-sgd-lr")).get_by_role("slider").focus()
    page.keyboard.press("ArrowRight")
    after = state(page)
    assert after["hparams"]["sgd"]["lr"] > before["hparams"]["sgd"]["lr"] and after["step"] == before["step"]
    # Tab reaches the controls in order, the plot among them.
    page.locator("#oa-pg-surface").focus()
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        reached.add(page.evaluate("document.activeElement.tagName + (document.activeElement.id ? '#' + document.activeElement.id : '')"))
    assert {"CANVAS", "INPUT#oa-pg-budget", "SELECT#oa-pg-speed"} <= reached, reached
    probe.assert_clean("keyboard")


def test_reduced_motion_does_not_autoplay(site, open_page):
    calm = open_page()
    open_playground(calm, site, "?surface=cubic", reduced_motion="reduce")
    calm.page.wait_for_timeout(600)
    shown = state(calm.page)
    assert shown["step"] == shown["budget"]  # the whole run, still
    assert calm.page.locator(".oa-pg-transport button[aria-pressed]").get_attribute("aria-pressed") == "false"
    moving = open_page()
    open_playground(moving, site, "?surface=cubic", reduced_motion="no-preference")
    moving.page.wait_for_function("window.OptimizerAtlas.widget.state.step > 3")
    calm.assert_clean("reduced motion")
    moving.assert_clean("autoplay")


def test_invalid_values_are_refused_with_a_message(site, open_page):
    probe = open_page()
    open_playground(probe, site, "?on=adam")
    page = probe.page
    lr = state(page)["hparams"]["adam"]["lr"]
    message = page.locator(".oa-pg-opt", has=page.locator("#oa-pg-adam-lr")).locator(".oa-pg-error")
    for bad in ("-1", "0", "", "1e999"):
        page.fill("#oa-pg-adam-lr", bad)
        page.locator("#oa-pg-adam-lr").dispatch_event("change")
        assert "refused" in message.inner_text(), bad
        assert state(page)["hparams"]["adam"]["lr"] == lr
    # From the address too: what is invalid keeps its default, and the page says so.
    open_playground(probe, site, "?on=adam&adam=lr:-1,beta1:0.5&steps=abc&start=99,99&step=-3")
    shown = state(page)
    assert shown["hparams"]["adam"]["beta1"] == 0.5 and shown["hparams"]["adam"]["lr"] == lr  # the valid part is kept
    alert = page.locator(".oa-pg > .oa-pg-error").inner_text()
    for refused in ("adam lr=-1", "steps=abc", "start=99,99", "step=-3"):
        assert refused in alert, (refused, alert)
    assert "NaN" not in page.locator(".oa-pg").inner_text()
    page.fill("#oa-pg-budget", "0")
    page.locator("#oa-pg-budget").dispatch_event("change")
    assert "refused" in page.locator(".oa-pg > .oa-pg-error").inner_text()
    assert "NaN" not in page.locator(".oa-pg").inner_text()
    probe.assert_clean("invalid values")


def test_mounts_again_after_instant_navigation(site, open_page):
    probe = open_page()
    probe.page.emulate_media(reduced_motion="reduce")
    goto(probe, site.url(""))
    page = probe.page
    page.evaluate("window.__atlasMarker = 'same window'")
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Playground").first.click()
    page.wait_for_function(READY)
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Home").first.click()
    page.wait_for_url(site.url(""))
    page.locator("nav.md-nav--primary a.md-nav__link", has_text="Playground").first.click()
    page.wait_for_function("document.querySelector('#optimizer-playground .oa-pg canvas')")
    assert page.evaluate("window.__atlasMarker") == "same window", "instant navigation inactive"
    probe.assert_clean("instant navigation")


def test_explore_this_run_opens_the_animations_run(site, open_page):
    probe = open_page()
    probe.page.emulate_media(reduced_motion="reduce")
    goto(probe, site.url("surfaces/rosenbrock/"))
    page = probe.page
    links = page.locator("a.oa-explore")
    assert links.count() >= 4  # every animation of the page
    page.locator("a.oa-explore[href*='preset=tuned']").first.evaluate("a => a.click()")
    page.wait_for_function(READY)
    shown = state(page)
    tuned = json.loads((GENERATED / "rosenbrock" / "tuned.json").read_text(encoding="utf-8"))
    assert shown["surface"] == "rosenbrock" and shown["on"] == list(tuned)
    assert {name: shown["hparams"][name] for name in tuned} == {
        name: {**make(name).hparams, **row["hparams"]} for name, row in tuned.items()}
    probe.assert_clean("explore this run")


def test_readout_outcomes_are_the_tables(site, open_page):
    """With the hand-picked settings every readout row says how the run ended in the words of
    the surface page's table (the same definitions and horizon), from the Python library's
    runs; on Rastrigin, whose cos/sin differ in the last bits, only runs not flagged chaotic."""
    probe = open_page()
    page = probe.page
    compared = 0
    for surface in json.loads((GENERATED / "playground" / "atlas.json").read_text(encoding="utf-8"))["settings"]:
        table = json.loads((GENERATED / surface / "seed_metrics.json").read_text(encoding="utf-8"))["optimizers"]
        open_playground(probe, site, f"?surface={surface}&on={','.join(table)}")
        rows = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.oa-pg-readout tbody tr')]
          .map((tr) => [tr.dataset.optimizer, tr.cells[4].textContent]))""")
        assert set(rows) == set(table), surface
        for name, row in table.items():
            if row["chaos"]["chaotic"] and surface == "rastrigin":
                continue
            expected = outcome(row).split("; chaotic:")[0]  # the tables add the shifted starts' ends
            assert rows[name] == expected, (surface, name)
            compared += 1
    assert compared > 60
    probe.assert_clean("readout outcomes")


def test_canvases_have_text_alternatives_that_follow_the_run(site, open_page):
    """The plot and the chart are named images whose descriptions say what they show and where
    each run is at the current step (the Python library's positions); after a step or a change
    of settings a polite status announces it, but nothing is rewritten while a run plays."""
    probe = open_page()
    open_playground(probe, site, "?surface=rosenbrock&on=sgd,adam&step=10")
    page = probe.page
    plot = page.get_by_role("img", name="Contour plot")
    chart = page.get_by_role("img", name="Loss per step")
    status = page.locator(".oa-pg [role=status]")
    assert status.get_attribute("aria-live") in (None, "polite")  # role=status: polite

    def positions(step: int) -> list[str]:
        shown = state(page)
        return [f"{title} at ({fmt(x[0])}, {fmt(x[1])})" for name, title in (("sgd", "SGD"), ("adam", "Adam"))
                for x in [run(make(name, **shown["hparams"][name]), SURFACES["rosenbrock"],
                              np.array(shown["start"]), step).points[step]]]

    page.wait_for_function("document.getElementById('oa-pg-plot-description').textContent.includes('After 10 of')")
    text = described(page, plot)
    assert "Rosenbrock" in text and "minimum at (1, 1)" in text and "After 10 of 1000 steps" in text
    for position in positions(10):
        assert position in text
    assert "log₁₀(f − f*)" in described(page, chart) and "step 10" in described(page, chart)
    plot.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("document.querySelector('.oa-pg [role=status]').textContent === 'Step 11 of 1000.'")
    for position in positions(11):
        assert position in described(page, plot)
    page.check("#oa-pg-on-momentum")  # a change of settings: the outcomes are announced
    page.wait_for_function("document.querySelector('.oa-pg [role=status]').textContent.includes('Momentum: ')")
    momentum = page.locator(".oa-pg-readout tr[data-optimizer=momentum] td").nth(3).inner_text()
    assert f"Momentum: {momentum}" in status.inner_text()
    # Playing: no description or announcement is rewritten on the way.
    page.evaluate("""() => {
      window.__rewrites = 0;
      const observer = new MutationObserver((records) => { window.__rewrites += records.length; });
      for (const el of document.querySelectorAll('#oa-pg-plot-description, #oa-pg-chart-description, .oa-pg [role=status]'))
        observer.observe(el, { childList: true, characterData: true, subtree: true });
    }""")
    page.get_by_role("button", name="Reset").click()
    page.wait_for_timeout(600)  # the reset's own update lands
    page.evaluate("window.__rewrites = 0")
    page.get_by_role("button", name="▶ Play").click()
    page.wait_for_function("window.OptimizerAtlas.widget.state.step > 30")
    assert page.evaluate("window.__rewrites") == 0
    probe.assert_clean("text alternatives")


def test_without_javascript_the_page_says_what_it_needs(site, browser):
    """JavaScript off: no promise of loading, a sentence saying what the playground needs, and
    links to the static figures that show the same runs (pages of this site)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url(PAGE), wait_until="load")
    box = page.locator("#optimizer-playground")
    assert "needs JavaScript" in box.inner_text()
    assert not page.locator(".oa-pg-loading").is_visible()
    links = box.locator("a")
    assert links.count() >= 3
    for href in links.evaluate_all("links => links.map((a) => a.href)"):
        assert site.file_for(href) is not None and site.file_for(href).is_file(), href
    context.close()


def test_presets_load_the_builds_settings(site, open_page):
    """hand-picked: experiments.yml's settings (as the surface page's table ran them); tuned:
    the build's tuning results; defaults: the papers' defaults (optimizers.make)."""
    probe = open_page()
    open_playground(probe, site, "?surface=himmelblau")
    page = probe.page
    table = json.loads((GENERATED / "himmelblau" / "seed_metrics.json").read_text(encoding="utf-8"))
    tuned = json.loads((GENERATED / "himmelblau" / "tuned.json").read_text(encoding="utf-8"))
    expected = {
        "hand-picked": {name: {**make(name).hparams, **row["hparams"]} for name, row in table["optimizers"].items()},
        "tuned": {name: {**make(name).hparams, **row["hparams"]} for name, row in tuned.items()},
        "defaults": {name: make(name).hparams for name in table["optimizers"]},
    }
    for label in ("defaults", "tuned", "hand-picked"):  # each away from the one before
        page.get_by_role("button", name=label, exact=True).click()
        shown = state(page)
        assert {name: shown["hparams"][name] for name in expected[label]} == expected[label], label
        assert shown["start"] == table["start"] and shown["budget"] == table["steps"], label
    probe.assert_clean("presets")


def test_the_pages_exactness_claim_is_the_golden_tests():
    """docs/playground.md states the tolerance on Rastrigin that tests/playground checks."""
    root = Path(__file__).resolve().parents[2]
    golden = (root / "tests" / "playground" / "golden.test.mjs").read_text(encoding="utf-8")
    tolerance = float(re.search(r"const RASTRIGIN_TOL = ([0-9.e-]+);", golden).group(1))
    exponent = {"⁻": "-", "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
    stated = re.search(r"within 10([⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+) of the plot's width", (root / "docs" / "playground.md").read_text(encoding="utf-8"))
    assert stated, "the page no longer states the tolerance on Rastrigin"
    assert 10 ** int("".join(exponent[c] for c in stated.group(1))) == tolerance
