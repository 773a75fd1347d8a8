// Offer (never force) the reader's preferred language on a first visit.
// The offer is written in the language it offers; choosing either answer is
// remembered, so it is shown once.
(function () {
  "use strict";
  var KEY = "plans-language-choice";
  var box = document.getElementById("language-offer");
  var strings = JSON.parse(document.getElementById("language-offer-strings").textContent || "{}");
  if (!box) return;
  try { if (localStorage.getItem(KEY)) return; } catch (e) { return; }

  var current = document.documentElement.lang;
  function siteLocale(tag) {
    tag = tag.toLowerCase();
    if (/^zh-(hant|tw|hk|mo)/.test(tag)) return "zh-Hant";
    if (/^zh/.test(tag)) return "zh-Hans";
    return Object.keys(strings).filter(function (code) { return tag.split("-")[0] === code.toLowerCase(); })[0];
  }
  var wanted = null;
  var prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
  for (var i = 0; i < prefs.length && !wanted; i++) wanted = siteLocale(prefs[i]) || null;
  if (!wanted || wanted === current || !strings[wanted]) return;
  // The language switcher's link is relative, so it works on any host and sub-path.
  var alternate = document.querySelector('a.md-select__link[hreflang="' + wanted + '"]');
  if (!alternate) return;

  var offer = strings[wanted];
  function remember(choice) { try { localStorage.setItem(KEY, choice); } catch (e) { /* private mode */ } }
  box.setAttribute("lang", wanted);
  box.setAttribute("aria-label", offer.label);
  var text = document.createElement("span");
  text.textContent = offer.text + " ";
  var go = document.createElement("a");
  go.href = alternate.href;
  go.textContent = offer.go;
  go.addEventListener("click", function () { remember(wanted); });
  var stay = document.createElement("button");
  stay.type = "button";
  stay.textContent = offer.stay;
  stay.addEventListener("click", function () { remember(current); box.hidden = true; });
  box.appendChild(text);
  box.appendChild(go);
  box.appendChild(document.createTextNode(" "));
  box.appendChild(stay);
  box.hidden = false;
})();
