"""The header and page frame in Chromium: screenshots of every kind of page in every
locale at 390 and 1280 px (written for people to look at: CI keeps them as an
artifact), the search box in the header and behind its button, the light/dark
switch, back to the top, and axe-core in the dark scheme, chosen by the system and
by the switch.

Screenshots go to $PLANSITE_SCREENSHOTS, or screenshots/ at the repository root
(ignored by git): <locale>-<kind>-<width>.png, light scheme, top of the page.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import PREFIXES, ROOT
from test_site_quality import AXE, sample_urls

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
SHOTS = Path(os.environ.get("PLANSITE_SCREENSHOTS") or ROOT / "screenshots")


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_screenshots_of_every_kind_of_page_in_every_locale(browser, built_site: Path, site_server: str):
    """One context per width; each sample page opened once per width. Each picture is
    checked: the page is in its locale, the header is laid out, and at 390 px
    nothing makes the page scroll sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob("*.png"):
        old.unlink()
    problems = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        for locale, kind, path in sample_urls(built_site):
            page.goto(f"{site_server}/{path}", wait_until="load")
            target = SHOTS / f"{locale}-{kind}-{width}.png"
            page.screenshot(path=str(target))
            if target.stat().st_size < 5000:
                problems.append(f"/{path} at {width}: a near-empty picture ({target.stat().st_size} bytes)")
            lang = page.locator("html").get_attribute("lang")
            if kind != "404" and lang != locale:
                problems.append(f"/{path} at {width}: lang={lang}, not {locale}")
            if page.locator(".md-header").evaluate("e => getComputedStyle(e).position") != "sticky":
                problems.append(f"/{path} at {width}: the header is not laid out")
            if (scroll := _overflow(page)) > width:
                problems.append(f"/{path} at {width}: the page is {scroll} px wide")
        context.close()
    count = len(list(SHOTS.glob("*.png")))
    print(f"\n{count} screenshots in {SHOTS}")
    assert count >= len(WIDTHS) * len(PREFIXES) * 12
    assert not problems, "\n".join(problems)


def test_search_is_in_the_header_on_wide_screens(browser, site_server: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(f"{site_server}/pt/", wait_until="load")
    box = page.locator("[data-plan-search]")
    # In the header bar, not in a band of its own.
    assert box.evaluate("e => !!e.closest('.md-header')")
    assert page.locator("#plan-search-input").is_visible()
    assert not page.locator(".plan-search-toggle").is_visible()
    # The all-languages option and the results are in a panel that opens with the box.
    assert not page.locator("input[name=all]").is_visible()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "plan-search-input"
    assert page.locator("input[name=all]").is_visible()
    page.keyboard.type("Hengqin")
    page.wait_for_selector(".plan-search__results:not([hidden]) a")
    header = page.locator(".md-header").bounding_box()
    results = page.locator(".plan-search__results").bounding_box()
    assert results["y"] >= header["y"] + header["height"] - 1, "the results drop under the header"
    # Tab reaches the option; a click elsewhere closes the panel.
    page.keyboard.press("Tab")  # the submit button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "all"
    page.mouse.click(640, 600)
    assert not page.locator(".plan-search__results").is_visible()
    page.close()


def test_search_opens_from_a_button_on_narrow_screens(browser, site_server: str):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{site_server}/zh-Hant/framework-agreement-2020/1/", wait_until="load")
    toggle = page.locator(".plan-search-toggle")
    assert toggle.is_visible() and not page.locator("#plan-search-input").is_visible()
    # The first screen is the page, not the search box.
    assert page.locator("h1").bounding_box()["y"] < 200
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.id") == "plan-search-input"
    assert page.locator("input[name=all]").is_visible()
    page.keyboard.press("Escape")
    assert toggle.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.className").find("plan-search-toggle") >= 0
    # "/" opens it too.
    page.locator("h1").click()
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "plan-search-input"
    assert page.locator("#plan-search-input").is_visible()
    page.close()


def test_the_search_pages_panel_opens_with_results_and_stays_open(browser, site_server: str):
    """On the search page the results panel is not an empty box hanging over the
    page: closed until there is something in it, then kept open while the reader
    looks elsewhere on the page."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    panel = page.locator(".plan-search__panel")
    page.goto(f"{site_server}/zh-Hant/search/", wait_until="load")
    assert not panel.is_visible()
    page.goto(f"{site_server}/zh-Hant/search/?q=%E6%A9%AB%E7%90%B4", wait_until="load")
    page.wait_for_function("document.querySelector('[data-plan-search]').getAttribute('data-rendered-query') === '橫琴'")
    assert panel.is_visible() and page.locator(".plan-search__results li").count() > 0
    page.mouse.click(100, 700)  # beside the panel, on the page
    assert page.evaluate("document.activeElement === document.body") and panel.is_visible()
    page.locator("#plan-search-input").press("Escape")
    page.mouse.click(100, 700)
    assert not panel.is_visible()
    page.close()


def test_without_javascript_the_header_links_to_the_search_page(browser, site_server: str):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{site_server}/pt/", wait_until="load")
    link = page.locator(".plan-search-link")
    assert link.is_visible()
    assert not page.locator(".plan-search-toggle").is_visible()
    assert not page.locator(".plan-scheme").is_visible()
    link.click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/pt/search/")
    assert page.locator("#plan-search-input").is_visible()
    context.close()


def test_the_nav_does_not_repeat_the_site_name(browser, site_server: str):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    for prefix in PREFIXES.values():
        page.goto(f"{site_server}/{prefix}", wait_until="load")
        name = page.locator(".md-nav--primary > .md-nav__title").inner_text().strip()
        items = [t.strip() for t in page.locator(".md-nav--primary > .md-nav__list > li > a").all_inner_texts()]
        assert name not in items, (prefix, name, items)
    page.close()


def _background(page) -> int:
    return sum(int(c) for c in re.findall(r"\d+", page.evaluate("getComputedStyle(document.body).backgroundColor"))[:3])


def test_the_scheme_switch_is_remembered_and_follows_the_system_until_used(browser, site_server: str):
    context = browser.new_context(color_scheme="light")
    page = context.new_page()
    page.goto(f"{site_server}/pt/", wait_until="load")
    switch = page.locator(".plan-scheme")
    assert _background(page) > 600 and switch.get_attribute("aria-pressed") == "false"
    switch.click()
    assert _background(page) < 200 and switch.get_attribute("aria-pressed") == "true"
    # Remembered on the next page, from the first paint (the head script).
    page.goto(f"{site_server}/pt/glossary/", wait_until="commit")
    page.wait_for_selector("body")
    assert page.evaluate("localStorage.getItem('plan-scheme')") == "dark"
    page.wait_for_load_state("load")
    assert _background(page) < 200
    # Back to light, which is the system's: the choice is forgotten.
    page.locator(".plan-scheme").click()
    assert _background(page) > 600
    assert page.evaluate("localStorage.getItem('plan-scheme')") is None
    context.close()
    # A dark system, switched to light.
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{site_server}/", wait_until="load")
    assert _background(page) < 200 and page.locator(".plan-scheme").get_attribute("aria-pressed") == "true"
    page.locator(".plan-scheme").click()
    assert _background(page) > 600
    page.reload(wait_until="load")
    assert _background(page) > 600
    context.close()


def test_back_to_the_top(browser, site_server: str):
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{site_server}/framework-agreement-2020/", wait_until="load")
    top = page.locator("a.plan-top")
    assert top.get_attribute("href") == "#"
    page.mouse.wheel(0, 3000)
    page.wait_for_function("document.documentElement.hasAttribute('data-scrolled')")
    assert top.is_visible() and top.evaluate("e => getComputedStyle(e).position") == "fixed"
    top.click()
    page.wait_for_function("window.scrollY === 0")
    page.close()


AXE_RUN = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations
    .flatMap(v => v.nodes.map(n => v.id + " at " + n.target.join(" ") + ": " + n.failureSummary.replace(/\\s+/g, " ")))"""


@pytest.mark.parametrize("how", ["system", "switch"])
def test_the_dark_scheme_passes_axe_on_every_kind_of_page(browser, built_site: Path, site_server: str, how: str):
    """Every sample page of one locale per kind (locales in turn), dark by the
    system's preference or by the header's switch, open search panel included."""
    context = browser.new_context(color_scheme="dark" if how == "system" else "light", viewport={"width": 1280, "height": 900})
    if how == "switch":
        context.add_init_script("localStorage.setItem('plan-scheme', 'dark')")
    page = context.new_page()
    problems = []
    kinds: dict[str, list[str]] = {}
    for _, kind, path in sample_urls(built_site):
        kinds.setdefault(kind, []).append(path)
    paths = [options[i % len(options)] for i, options in enumerate(kinds.values())]  # the locales in turn
    for path in paths:
        page.goto(f"{site_server}/{path}", wait_until="load")
        assert _background(page) < 200, f"/{path} is not dark ({how})"
        page.add_script_tag(path=str(AXE))
        problems += [f"/{path}: {p}" for p in page.evaluate(AXE_RUN)]
    # The search panel, open with results.
    page.goto(f"{site_server}/pt/", wait_until="load")
    page.locator("#plan-search-input").fill("Hengqin")
    page.wait_for_selector(".plan-search__results:not([hidden]) a")
    page.add_script_tag(path=str(AXE))
    problems += [f"/pt/ (search panel): {p}" for p in page.evaluate(AXE_RUN)]
    context.close()
    assert not problems, "\n".join(problems)


# The face Chromium actually draws each language's text with (DevTools protocol),
# where Debian's fonts-noto-cjk provides the SC, HK and TC faces: Simplified pages
# in Simplified glyph shapes, Traditional ones in Hong Kong/Taiwan shapes.
EXPECTED_FACES = {"zh-Hans": ("Noto Sans CJK SC",), "zh-Hant": ("Noto Sans CJK HK", "Noto Sans CJK TC"), "pt": ("Noto Sans", "DejaVu Sans", "Liberation Sans")}


@pytest.mark.parametrize("locale", list(EXPECTED_FACES))
def test_each_language_is_drawn_in_its_own_face(browser, site_server: str, locale: str):
    prefix = dict(PREFIXES)[locale]
    page = browser.new_page()
    page.goto(f"{site_server}/{prefix}framework-agreement-2020/8/")
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    faces = {}
    for selector in ("h1", ".plan-item__text", ".md-header__topic"):
        root = session.send("DOM.getDocument")["root"]["nodeId"]
        node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, selector
        fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        faces[selector] = max(fonts, key=lambda f: f["glyphCount"])["familyName"]
    page.close()
    assert all(face in EXPECTED_FACES[locale] for face in faces.values()), faces
