// The header and page frame (overrides/partials/header.html, 15-chrome.css): the
// search box on narrow screens and its results panel, the light/dark switch, and
// back to the top. The search itself is 30-search.js.
(function () {
  "use strict";

  var root = document.documentElement;
  var box = document.getElementById("plan-search");
  var toggle = document.querySelector(".plan-search-toggle");
  var input = document.getElementById("plan-search-input");
  var narrow = window.matchMedia("(max-width: 59.9375em)");

  // Search. data-expanded: the box is shown (narrow screens, from the button);
  // data-active: its panel (all languages, results) is open, while the reader is in it.
  if (box && toggle && input) {
    var expand = function (open) {
      if (open) box.setAttribute("data-expanded", ""); else box.removeAttribute("data-expanded");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    };
    var close = function () {
      box.removeAttribute("data-active");
      if (!box.hasAttribute("data-full")) expand(false);
    };
    if (box.hasAttribute("data-full")) expand(true);
    toggle.addEventListener("click", function () {
      var open = box.hasAttribute("data-full") || !box.hasAttribute("data-expanded");  // the search page keeps it open
      expand(open);
      if (open) input.focus(); else box.removeAttribute("data-active");
    });
    box.addEventListener("focusin", function () { box.setAttribute("data-active", ""); });
    box.addEventListener("focusout", function (e) {
      if (e.relatedTarget && !box.contains(e.relatedTarget) && e.relatedTarget !== toggle) close();
    });
    document.addEventListener("pointerdown", function (e) {
      if (!box.contains(e.target) && !toggle.contains(e.target)) close();
    });
    box.addEventListener("keydown", function (e) {
      if (e.key !== "Escape" || input.value) return;  // 30-search.js: Escape first clears the query
      close();
      if (narrow.matches && !box.hasAttribute("data-full")) toggle.focus();
    });
    // "/" focuses the box (30-search.js); on a narrow screen it has to be opened first.
    document.addEventListener("keydown", function (e) {
      var tag = (document.activeElement && document.activeElement.tagName) || "";
      if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag) && !e.ctrlKey && !e.metaKey && !e.altKey) expand(true);
    }, true);
  }

  // Light or dark: until the reader chooses, the system's; a choice is remembered,
  // and choosing what the system says forgets it (the head script applies it).
  var scheme = document.querySelector(".plan-scheme");
  var system = window.matchMedia("(prefers-color-scheme: dark)");
  function dark() {
    var chosen = root.getAttribute("data-plan-scheme");
    return chosen ? chosen === "dark" : system.matches;
  }
  function showScheme() { if (scheme) scheme.setAttribute("aria-pressed", dark() ? "true" : "false"); }
  if (scheme && window.planScheme) {
    scheme.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      var choice = next === (system.matches ? "dark" : "light") ? null : next;
      window.planScheme(choice);
      try {
        if (choice) localStorage.setItem("plan-scheme", choice); else localStorage.removeItem("plan-scheme");
      } catch (e) { /* private mode: this page only */ }
      showScheme();
    });
    if (system.addEventListener) system.addEventListener("change", showScheme);
    showScheme();
  }

  // Back to the top: pinned to the corner after a screen's worth of scrolling.
  var ticking = false;
  function scrolled() {
    ticking = false;
    if (window.scrollY > window.innerHeight) root.setAttribute("data-scrolled", "");
    else root.removeAttribute("data-scrolled");
  }
  window.addEventListener("scroll", function () {
    if (!ticking) { ticking = true; window.requestAnimationFrame(scrolled); }
  }, { passive: true });
  scrolled();
})();
