// Search over this language's index (search/<locale>.json), loaded on first use.
// Chinese: substrings and character bigrams on text folded to Simplified, so parts
// of words, names and phrases are found without a dictionary, in either script.
// Portuguese: accent-folded words, Snowball-stemmed (stem() below); the word being
// typed matches as a prefix. See scripts/plansite/search.py for the why.
(function () {
  "use strict";

  var box = document.querySelector("[data-plan-search]");
  if (!box) return;
  var form = box.querySelector("form");
  var input = box.querySelector("input[type=search]");
  var allLanguages = box.querySelector("input[name=all]");
  var list = box.querySelector(".plan-search__results");
  var status = box.querySelector(".plan-search__status");
  var root = box.getAttribute("data-root");
  var locale = box.getAttribute("data-locale");
  var locales = JSON.parse(box.getAttribute("data-locales"));
  var labels = JSON.parse(box.getAttribute("data-labels"));
  var onSearchPage = box.hasAttribute("data-full");
  var LIMIT = onSearchPage ? 50 : 10;
  var cache = {};
  window.__planSearchTimings = [];

  // --- normalising -------------------------------------------------------------

  var SEPARATORS = /[\s\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\u2014\u2026\u00b7\u201c\u201d\u2018\u2019\u00ab\u00bb.,;:!?()"'\-\/]/;

  function foldLatin(ch) {
    return ch.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // A normalised copy of a text and, for each of its characters, where it came from
  // in the original, so matches can be highlighted in what the reader sees.
  function normalise(text, t2s) {
    var norm = "";
    var pos = [];
    for (var i = 0; i < text.length; i++) {
      var ch = text[i];
      if (SEPARATORS.test(ch)) continue;
      var folded = t2s ? (t2s[ch] || ch) : ch;
      folded = foldLatin(folded);
      for (var k = 0; k < folded.length; k++) {
        norm += folded[k];
        pos.push(i);
      }
    }
    return { text: norm, pos: pos };
  }

  // Portuguese stems: the Snowball algorithm (25-snowball-portuguese.js), applied to
  // the accent-folded word because that is how readers type. Snowball expects the
  // accents for the nasal plurals, so those are put in the singular first
  // (pensoes -> pensao, jovens -> jovem), the same way for the index and the query.
  // tests/test_search.py checks that this gives Python's snowballstemmer stems.
  var snowball = window.snowballFactory ? window.snowballFactory.newStemmer("portuguese") : null;
  var PLURALS = [[/oes$/, "ao"], [/aes$/, "ao"], [/ns$/, "m"]];
  function stem(word) {
    if (word.length <= 3) return word;
    for (var i = 0; i < PLURALS.length; i++) {
      if (PLURALS[i][0].test(word)) { word = word.replace(PLURALS[i][0], PLURALS[i][1]); break; }
    }
    return snowball ? snowball.stem(word) : word;
  }
  window.__planStem = stem;  // for tests: the exact function the index and queries use

  // Plural endings are stripped only where the index says its language wants it
  // (the locale record's search analyser: "portuguese").
  function words(text, stemmed) {
    var out = [];
    var re = /[\p{L}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text))) out.push(stemmed ? stem(foldLatin(m[0])) : foldLatin(m[0]));
    return out;
  }

  // --- index -------------------------------------------------------------------

  var FIELDS = [["t", 3], ["x", 1], ["g", 0.6], ["p", 0.3]];

  function prepare(index) {
    var t2s = null;
    if (index.script === "han") {
      t2s = {};
      for (var i = 0; i < index.t2s.length; i += 2) t2s[index.t2s[i]] = index.t2s[i + 1];
    }
    var df = {};
    index.docs.forEach(function (doc) {
      doc.norm = {};
      doc.words = {};
      FIELDS.forEach(function (f) {
        var value = doc[f[0]] || "";
        doc.norm[f[0]] = normalise(value, t2s);
        if (!t2s) doc.words[f[0]] = words(value, index.stem);
      });
      if (!t2s) {
        var seen = {};
        FIELDS.forEach(function (f) { doc.words[f[0]].forEach(function (w) { seen[w] = 1; }); });
        Object.keys(seen).forEach(function (w) { df[w] = (df[w] || 0) + 1; });
      }
    });
    index.t2sMap = t2s;
    index.df = df;
    return index;
  }

  function load(code) {
    if (!cache[code]) {
      cache[code] = fetch(root + "search/" + code + ".json")
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(prepare);
    }
    return cache[code];
  }

  // --- scoring -----------------------------------------------------------------

  function bigrams(s) {
    if (s.length < 2) return s ? [s] : [];
    var out = [];
    for (var i = 0; i < s.length - 1; i++) out.push(s.substr(i, 2));
    return out;
  }

  function scoreHan(doc, segments) {
    var score = 0;
    var covered = 0;
    var total = 0;
    var spans = [];
    segments.forEach(function (seg) {
      var grams = bigrams(seg);
      total += grams.length;
      var best = 0;
      FIELDS.forEach(function (f) {
        var norm = doc.norm[f[0]].text;
        var at = norm.indexOf(seg);
        if (at >= 0) {
          score += f[1] * 4 * seg.length;
          if (f[0] === "t" && norm.length === seg.length) score += 40;  // the whole title
          spans.push([f[0], at, seg.length]);
        }
        var hits = 0;
        grams.forEach(function (g) { if (norm.indexOf(g) >= 0) hits++; });
        best = Math.max(best, hits);
        score += f[1] * hits;
      });
      covered += best;
    });
    if (!total) return null;
    var coverage = covered / total;
    var wholeQuery = spans.length >= segments.length;
    if (!wholeQuery && coverage < 0.6) return null;
    return { score: score * coverage * coverage, spans: spans };
  }

  function scoreLatin(doc, terms, lastIsPrefix, df, n, phrase) {
    var score = 0;
    var matched = 0;
    terms.forEach(function (term, i) {
      var prefix = lastIsPrefix && i === terms.length - 1 && term.length >= 2;
      var best = 0;
      FIELDS.forEach(function (f) {
        var ws = doc.words[f[0]];
        for (var k = 0; k < ws.length; k++) {
          if (ws[k] === term || (prefix && ws[k].indexOf(term) === 0)) { best = Math.max(best, f[1]); break; }
        }
      });
      if (best) {
        matched++;
        score += best * Math.log(1 + n / (df[term] || 1));
      }
    });
    if (!matched) return null;
    if (matched < terms.length && (terms.length < 3 || matched < terms.length - 1)) return null;
    var spans = [];
    FIELDS.forEach(function (f) {
      var at = phrase ? doc.norm[f[0]].text.indexOf(phrase) : -1;
      if (at >= 0) { score += f[1] * 3; spans.push([f[0], at, phrase.length]); }
    });
    if (doc.norm.t.text === phrase) score += 20;
    return { score: score * (matched / terms.length), spans: spans, terms: terms };
  }

  function search(index, query) {
    var results = [];
    if (index.script === "han") {
      var segments = query.split(SEPARATORS).map(function (s) { return normalise(s, index.t2sMap).text; })
        .filter(function (s) { return s.length > 0; });
      if (!segments.length) return [];
      index.docs.forEach(function (doc) {
        var r = scoreHan(doc, segments);
        if (r) results.push({ doc: doc, score: r.score, spans: r.spans, index: index });
      });
    } else {
      var terms = words(query, index.stem);
      if (!terms.length) return [];
      var phrase = normalise(query, null).text;
      var lastIsPrefix = !/\s$/.test(query);
      index.docs.forEach(function (doc) {
        var r = scoreLatin(doc, terms, lastIsPrefix, index.df, index.docs.length, phrase);
        if (r) results.push({ doc: doc, score: r.score, spans: r.spans, terms: r.terms, index: index });
      });
    }
    results.sort(function (a, b) {
      return b.score - a.score || (a.doc.k === "item" ? -1 : 0) - (b.doc.k === "item" ? -1 : 0) || a.doc.u.localeCompare(b.doc.u);
    });
    return results;
  }

  // --- rendering ---------------------------------------------------------------

  // The original text with the matched spans marked, cut to a window around the first.
  function highlighted(result, field, maxLength) {
    var doc = result.doc;
    var original = doc[field] || "";
    var norm = doc.norm[field];
    var marks = [];
    result.spans.forEach(function (s) {
      if (s[0] !== field) return;
      marks.push([norm.pos[s[1]], norm.pos[s[1] + s[2] - 1] + 1]);
    });
    if (!marks.length && result.terms) {
      var re = /[\p{L}\p{N}]+/gu;
      var m;
      while ((m = re.exec(original))) {
        var w = result.index.stem ? stem(foldLatin(m[0])) : foldLatin(m[0]);
        if (result.terms.some(function (t) { return w === t || w.indexOf(t) === 0; })) marks.push([m.index, m.index + m[0].length]);
      }
    }
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var start = 0;
    var end = original.length;
    if (maxLength && original.length > maxLength) {
      start = Math.max(0, (marks.length ? marks[0][0] : 0) - Math.floor(maxLength / 3));
      end = Math.min(original.length, start + maxLength);
    }
    var fragment = document.createDocumentFragment();
    if (start > 0) fragment.appendChild(document.createTextNode("…"));
    var at = start;
    marks.forEach(function (mk) {
      var a = Math.max(mk[0], at);
      var b = Math.min(mk[1], end);
      if (b <= a) return;
      fragment.appendChild(document.createTextNode(original.slice(at, a)));
      var mark = document.createElement("mark");
      mark.textContent = original.slice(a, b);
      fragment.appendChild(mark);
      at = b;
    });
    fragment.appendChild(document.createTextNode(original.slice(at, end)));
    if (end < original.length) fragment.appendChild(document.createTextNode("…"));
    return fragment;
  }

  function metaLine(result) {
    var doc = result.doc;
    var l = labels[result.index.locale] || labels[locale];
    var parts = [];
    if (allLanguages && allLanguages.checked) parts.push(locales[result.index.locale]);
    if (doc.p) parts.push(doc.p);
    if (doc.k === "item") parts.push(l.item.replace("{number}", doc.n));
    else if (doc.k === "section") parts.push(l.section.replace("{number}", doc.n));
    else parts.push(l[doc.k]);
    return parts.join(" · ");
  }

  function render(results, query) {
    list.textContent = "";
    var shown = results.slice(0, LIMIT);
    shown.forEach(function (result) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      // ?h= carries the query to the page, which marks it (highlightArrival below).
      var target = result.doc.u.replace(/^\//, "").split("#");
      a.href = root + target[0] + "?h=" + encodeURIComponent(query) + (target[1] ? "#" + target[1] : "");
      a.setAttribute("hreflang", result.index.locale);
      var meta = document.createElement("span");
      meta.className = "plan-search__meta";
      meta.textContent = metaLine(result);
      var title = document.createElement("span");
      title.className = "plan-search__title";
      title.appendChild(highlighted(result, "t", 0));
      a.appendChild(meta);
      a.appendChild(title);
      if (result.doc.x) {
        var snippet = document.createElement("span");
        snippet.className = "plan-search__snippet";
        snippet.appendChild(highlighted(result, "x", 90));
        a.appendChild(snippet);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !query;
    box.setAttribute("data-rendered-query", query);  // lets tests and tools know the list is current
    status.textContent = !query ? "" : results.length
      ? labels[locale].results.replace("{total}", results.length)
      : labels[locale].none;
  }

  // A query longer than any title is not a search: a pasted page must not freeze the
  // tab (the input's maxlength says the same; this also covers ?q= and scripts).
  var MAX_QUERY = 200;
  var latest = 0;
  function run(startedAt) {
    var query = input.value.trim().slice(0, MAX_QUERY);
    var ticket = ++latest;
    if (!query) { render([], ""); return; }
    var codes = allLanguages && allLanguages.checked ? Object.keys(locales) : [locale];
    Promise.all(codes.map(load)).then(function (indexes) {
      if (ticket !== latest) return;  // a newer keystroke is on its way
      var results = [];
      indexes.forEach(function (index) { results = results.concat(search(index, query)); });
      results.sort(function (a, b) { return b.score - a.score; });
      render(results, query);
      window.__planSearchTimings.push(performance.now() - startedAt);
    }).catch(function () {
      status.textContent = labels[locale].failed;
    });
  }

  // --- wiring ------------------------------------------------------------------

  input.addEventListener("focus", function () { load(locale); }, { once: true });
  input.addEventListener("input", function (e) { run(e.timeStamp || performance.now()); });
  // An IME commits without an input event in some browsers; a key press catches it.
  input.addEventListener("keyup", function (e) {
    if (e.key === "Enter" || e.key === "Escape" || e.key.indexOf("Arrow") === 0 || e.key === "Tab") return;
    run(e.timeStamp || performance.now());
  });
  if (allLanguages) allLanguages.addEventListener("change", function () { run(performance.now()); });

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("keydown", function (e) {
    if (e.key === "ArrowDown" && links().length) { e.preventDefault(); links()[0].focus(); }
    if (e.key === "Escape") { input.value = ""; render([], ""); }
  });
  list.addEventListener("keydown", function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < all.length - 1) { e.preventDefault(); all[i + 1].focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? all[i - 1] : input).focus(); }
    if (e.key === "Escape") { e.preventDefault(); input.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (e.key === "/" && !/INPUT|TEXTAREA|SELECT/.test(tag) && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
    }
  });

  // Arriving from a result (?h=query): mark the query's words in the page's text, say
  // so with a way to drop the marks, and put the permanent URL back in the address
  // bar, so that what a reader copies is the page's own address.
  function highlightArrival() {
    var params = new URLSearchParams(location.search);
    var query = (params.get("h") || "").slice(0, MAX_QUERY).trim();
    var content = document.querySelector(".plan-page");
    if (!query || !content) return;
    var terms = query.split(SEPARATORS).filter(function (t) { return t.length > 0; });
    if (!terms.length) return;
    var pattern = new RegExp(terms.map(function (t) { return t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); }).join("|"), "gi");
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    while (walker.nextNode()) {
      var parent = walker.currentNode.parentNode;
      if (!parent.closest("script, style, nav, .plan-share, [data-plan-search]")) nodes.push(walker.currentNode);
    }
    var marks = 0;
    nodes.forEach(function (node) {
      var text = node.nodeValue;
      pattern.lastIndex = 0;
      if (!pattern.test(text)) return;
      var out = document.createDocumentFragment();
      var last = 0;
      text.replace(pattern, function (match, offset) {
        out.appendChild(document.createTextNode(text.slice(last, offset)));
        var mark = document.createElement("mark");
        mark.className = "plan-mark";
        mark.textContent = match;
        out.appendChild(mark);
        marks++;
        last = offset + match.length;
        return match;
      });
      out.appendChild(document.createTextNode(text.slice(last)));
      node.parentNode.replaceChild(out, node);
    });
    params.delete("h");
    var rest = params.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
    if (!marks) return;
    var note = document.createElement("p");
    note.className = "plan-highlight-note";
    var off = document.createElement("button");
    off.type = "button";
    off.className = "plan-highlight-note__off";
    off.textContent = labels[locale].highlight_off;
    off.addEventListener("click", function () {
      content.querySelectorAll("mark.plan-mark").forEach(function (mark) {
        mark.replaceWith(document.createTextNode(mark.textContent));
      });
      content.normalize();
      note.remove();
    });
    note.appendChild(off);
    content.insertBefore(note, content.firstChild);
  }
  highlightArrival();

  // The search page runs the query it was given (the form's non-script path).
  if (onSearchPage) {
    var q = new URLSearchParams(location.search).get("q");
    if (q) { input.value = q.slice(0, MAX_QUERY); run(performance.now()); }
  }
})();
