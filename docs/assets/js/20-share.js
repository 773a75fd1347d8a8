// Citing and sharing an item (the "Citar e partilhar" box of item pages):
// - shows the copy buttons (without JavaScript the URL field and the citation are
//   there to select by hand, and the buttons stay hidden);
// - copies with the Clipboard API; when that is missing or refused, selects the
//   text instead (the URL in its visible read-only field) and says to press Ctrl+C;
// - fills in the citation's date accessed, today, in the page's language.
(function () {
  "use strict";
  var box = document.querySelector("[data-share]");
  if (!box) return;
  var status = box.querySelector(".plan-share__status");
  var lang = document.documentElement.lang || "zh-Hans";

  // The date accessed. Portuguese as written in Macao (pre-1990 spelling) capitalises
  // the months: "22 de Novembro de 2026".
  var now = new Date();
  var date = box.querySelector("[data-accessed]");
  if (date) {
    var format = new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric" });
    var text = format.formatToParts(now).map(function (part) {
      if (part.type === "month" && /^pt\b/i.test(lang)) return part.value.charAt(0).toUpperCase() + part.value.slice(1);
      return part.value;
    }).join("");
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var time = document.createElement("time");
    time.className = date.className;
    time.setAttribute("data-accessed", "");
    time.textContent = text;
    time.setAttribute("datetime", now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate()));
    date.replaceWith(time);
  }

  function say(message) {
    status.textContent = "";
    // A fresh text node, so that screen readers announce the same message twice.
    window.setTimeout(function () { status.textContent = message; }, 30);
  }

  function select(target) {
    if (target.tagName === "INPUT" || target.tagName === "TEXTAREA") {
      target.focus();
      target.select();
      target.setSelectionRange(0, target.value.length);
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    target.focus();
  }

  function copy(target) {
    var value = target.tagName === "INPUT" ? target.value : target.textContent.replace(/\s+/g, " ").trim();
    var fallback = function () { select(target); say(box.getAttribute("data-fallback")); };
    if (!navigator.clipboard || !navigator.clipboard.writeText) { fallback(); return; }
    navigator.clipboard.writeText(value).then(function () { say(box.getAttribute("data-copied")); }, fallback);
  }

  Array.prototype.forEach.call(box.querySelectorAll("button[data-copy]"), function (button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    if (!target) return;
    button.hidden = false;
    button.addEventListener("click", function () { copy(target); });
  });
  // Clicking into the URL field selects all of it, ready to copy by hand.
  var field = box.querySelector(".plan-share__url");
  if (field) field.addEventListener("focus", function () { field.select(); });
})();
