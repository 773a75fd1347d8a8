"""In Chromium: the language switcher keeps the page; the preferred language is offered, never forced."""

from __future__ import annotations

import pytest

from plansite.catalogs import to_traditional

pytestmark = pytest.mark.browser


def test_language_switcher_keeps_the_reader_on_the_same_page(browser, site_server):
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{site_server}/framework-agreement-2020/section-4/")
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="Português").click()
    page.wait_for_load_state()
    assert page.url == f"{site_server}/pt/framework-agreement-2020/section-4/"
    assert page.locator("html").get_attribute("lang") == "pt"
    page.locator(".md-header__option .md-select").hover()
    page.get_by_role("link", name="繁體中文").click()
    page.wait_for_load_state()
    assert page.url == f"{site_server}/zh-Hant/framework-agreement-2020/section-4/"
    assert page.locator("h1").inner_text().startswith("四、促進現代服務業合作")
    page.close()


def test_a_portuguese_browser_is_offered_portuguese_and_not_redirected(browser, site_server):
    context = browser.new_context(locale="pt-PT")
    page = context.new_page()
    page.goto(f"{site_server}/belt-and-road-2020/7/")
    offer = page.locator("#language-offer")
    offer.wait_for(state="visible")
    assert page.url == f"{site_server}/belt-and-road-2020/7/"  # still where the link pointed
    assert offer.get_attribute("lang") == "pt"
    assert "Este sítio está disponível em Português." in offer.inner_text()
    page.get_by_role("button", name="Agora não").click()
    assert offer.is_hidden()
    page.reload()
    assert page.locator("#language-offer").is_hidden()  # the answer is remembered
    context.close()


def test_a_macao_browser_is_offered_traditional_chinese(browser, site_server):
    context = browser.new_context(locale="zh-MO")
    page = context.new_page()
    page.goto(f"{site_server}/framework-agreement-2020/")
    offer = page.locator("#language-offer")
    offer.wait_for(state="visible")
    page.get_by_role("link", name=to_traditional("改用繁体中文阅读")).click()
    page.wait_for_load_state()
    assert page.url == f"{site_server}/zh-Hant/framework-agreement-2020/"
    context.close()


def test_no_offer_when_the_page_is_already_in_the_preferred_language(browser, site_server):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.goto(f"{site_server}/framework-agreement-2020/1/")
    page.wait_for_timeout(300)
    assert page.locator("#language-offer").is_hidden()
    context.close()
