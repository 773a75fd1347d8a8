// Search over this language's index (search/<locale>/), loaded in parts on first use.
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

  // The index is gzipped (search.py write_index); a browser without
  // DecompressionStream (before Safari 16.4 or Firefox 113) cannot read it. There
  // the form works as it does without JavaScript, and the search page says why
  // and points to the indexes.
  if (!("DecompressionStream" in window)) {
    var unsupported = document.querySelector("[data-search-unsupported]");
    var intro = document.querySelector("[data-search-intro]");
    if (unsupported) unsupported.hidden = false;
    if (unsupported && intro) intro.hidden = true;
    return;
  }

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
  // For tests: the exact functions queries use, compared with the index's (search.py).
  window.__planStem = stem;

  // Plural endings are stripped only where the index says its language wants it
  // (the locale record's search analyser: "portuguese").
  function words(text, stemmed) {
    var out = [];
    var re = /[\p{L}\p{N}]+/gu;
    var m;
    while ((m = re.exec(text))) out.push(stemmed ? stem(foldLatin(m[0])) : foldLatin(m[0]));
    return out;
  }
  window.__planWords = words;
  window.__planNormalise = function (text, code) {
    return load(code).then(function (index) { return normalise(text, index.t2sMap || null).text; });
  };

  // --- index -------------------------------------------------------------------
  //
  // search/<locale>/meta.json.gz says how the language is searched and where its
  // terms are; s<N>.json.gz hold postings (term -> documents and fields), d<N>.json.gz
  // the documents, a few per file. A query loads meta, its terms' shards and its best
  // candidates' documents, so what it costs grows with the query, not the site
  // (scripts/plansite/search.py writes them; see the layout there).

  var FIELDS = [["t", 3], ["x", 1], ["g", 0.6], ["p", 0.3]];  // field, weight; bit = 1 << position
  var FINAL = "0123456789abcdefghijklmnopqrstuv";  // a number's last base-32 digit
  var MORE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-_.~*+";  // its other digits
  var DIGITS = {};  // character -> [value, is the last digit]
  for (var place = 0; place < 32; place++) { DIGITS[FINAL[place]] = [place, true]; DIGITS[MORE[place]] = [place, false]; }
  var FIELD_END = "$";  // in a Chinese shard string: the end of a field
  var LITERAL = "!";  // ... and the mark before an ASCII character that follows
  var files = {};  // URL -> promise of parsed JSON, so nothing is fetched twice

  // The files are gzipped JSON. A host that sends them with Content-Encoding: gzip
  // has had the browser inflate them already: then they no longer start with gzip's
  // magic number and are read as they are.
  function getJSON(url) {
    if (!files[url]) {
      files[url] = fetch(url).then(function (r) {
        if (!r.ok) throw new Error(r.status);
        return r.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return JSON.parse(new TextDecoder().decode(bytes));
        return new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).json();
      });
      files[url].catch(function () { delete files[url]; });  // a failed load may be tried again
    }
    return files[url];
  }

  function load(code) {
    if (!cache[code]) {
      var base = root + "search/" + code + "/";
      cache[code] = getJSON(base + "meta.json.gz").then(function (meta) {
        var index = { locale: code, base: base, meta: meta, script: meta.script, stem: !!meta.stem, n: meta.docs, postings: {}, strings: {}, docs: {} };
        if (meta.script === "han") {
          index.t2sMap = {};
          for (var i = 0; i < meta.t2s.length; i += 2) index.t2sMap[meta.t2s[i]] = meta.t2s[i + 1];
        } else {
          index.vocab = meta.terms ? meta.terms.split(" ") : [];
        }
        return index;
      });
      cache[code].catch(function () { delete cache[code]; });
    }
    return cache[code];
  }

  // FNV-1a over UTF-16 code units (search.py term_hash): the shard of a Chinese term.
  function hash(s) {
    var h = 0x811c9dc5;
    for (var i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h >>> 0;
  }

  // First vocabulary position whose term is >= word (the vocabulary is sorted by code point).
  function lowerBound(vocab, word) {
    var lo = 0, hi = vocab.length;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (vocab[mid] < word) lo = mid + 1; else hi = mid; }
    return lo;
  }

  function shardOf(index, term) {
    if (index.script === "han") return hash(term) % index.meta.shards;
    var at = lowerBound(index.vocab, term);
    var starts = index.meta.shards;
    var shard = 0;
    while (shard + 1 < starts.length && starts[shard + 1] <= at) shard++;
    return shard;
  }

  function shardFile(index, term) {
    return getJSON(index.base + "s" + shardOf(index, term) + ".json.gz");
  }

  // A posting string's documents, ascending, each [document number, field bits].
  function decodePosting(coded) {
    var out = [];
    var value = 0, doc = 0;
    for (var i = 0; i < coded.length; i++) {
      var digit = DIGITS[coded[i]];
      value = value * 32 + digit[0];
      if (!digit[1]) continue;
      doc += value >> 4;
      out.push([doc, value & 15]);
      value = 0;
    }
    return out;
  }

  // A Chinese shard string (search.py _han_strings): its first character, then each
  // character that follows it with that pair's posting string. Returns following
  // character ("" for the end of a field) -> posting string.
  function splitHanString(coded) {
    var pairs = {};
    var chars = Array.from(coded);
    var following = null;
    for (var i = 1; i < chars.length; i++) {
      var ch = chars[i];
      if (DIGITS[ch]) { pairs[following] += ch; continue; }
      if (ch === LITERAL) ch = chars[++i];
      else if (ch === FIELD_END) ch = "";
      following = ch;
      pairs[following] = "";
    }
    return pairs;
  }

  // The pairs a Chinese character begins, from its shard (first character -> pairs).
  function hanPairs(index, first) {
    if (index.strings[first]) return Promise.resolve(index.strings[first]);
    return shardFile(index, first).then(function (shard) {
      if (!index.strings[first]) {
        shard.forEach(function (coded) {
          var ch = String.fromCodePoint(coded.codePointAt(0));
          if (!index.strings[ch]) index.strings[ch] = splitHanString(coded);
        });
      }
      return index.strings[first] || {};
    });
  }

  // A term's documents, ascending, each [document number, field bits]; [] when absent.
  // A Chinese pair is its first character's entry for the second; a single character
  // is every pair it begins (and the field ends it stands at), merged.
  function postings(index, term) {
    if (index.postings[term]) return Promise.resolve(index.postings[term]);
    var found;
    if (index.script === "han") {
      var chars = Array.from(term);
      found = hanPairs(index, chars[0]).then(function (pairs) {
        if (chars.length > 1) return decodePosting(pairs[chars[1]] || "");
        var bits = {};
        Object.keys(pairs).forEach(function (following) {
          decodePosting(pairs[following]).forEach(function (p) { bits[p[0]] = (bits[p[0]] || 0) | p[1]; });
        });
        return Object.keys(bits).map(Number).sort(function (a, b) { return a - b; }).map(function (n) { return [n, bits[n]]; });
      });
    } else {
      found = shardFile(index, term).then(function (shard) { return decodePosting(shard[term] || ""); });
    }
    return found.then(function (out) {
      index.postings[term] = out;
      return out;
    });
  }

  function documentOf(index, n) {
    if (index.docs[n]) return Promise.resolve(index.docs[n]);
    var chunk = index.meta.chunk;
    return getJSON(index.base + "d" + Math.floor(n / chunk) + ".json.gz").then(function (records) {
      if (index.docs[n]) return index.docs[n];
      // A list of values in the order meta names the fields; the plan by its number.
      var doc = {};
      records[n % chunk].forEach(function (value, i) { if (value !== null) doc[index.meta.fields[i]] = value; });
      if (doc.p !== undefined) doc.p = index.meta.plans[doc.p];
      doc.norm = {};
      FIELDS.forEach(function (f) { doc.norm[f[0]] = normalise(doc[f[0]] || "", index.t2sMap || null); });
      index.docs[n] = doc;
      return doc;
    });
  }

  // --- candidates (from postings) -------------------------------------------------

  // By code point, as search.py pairs characters (a rare character outside the BMP is one).
  function bigrams(s) {
    var chars = Array.from(s);
    if (chars.length < 2) return s ? [s] : [];
    var out = [];
    for (var i = 0; i < chars.length - 1; i++) out.push(chars[i] + chars[i + 1]);
    return out;
  }

  function unique(list) {
    var seen = {};
    return list.filter(function (x) { if (seen[x]) return false; seen[x] = 1; return true; });
  }

  // Chinese: how many of each segment's character pairs each field holds. A document
  // is a candidate when its best fields cover 60% of the pairs (as a whole segment
  // found anywhere covers them all); the pairs found, by field weight, score it.
  function hanCandidates(index, query) {
    var segments = query.split(SEPARATORS).map(function (s) { return normalise(s, index.t2sMap).text; })
      .filter(function (s) { return s.length > 0; });
    var grams = segments.map(bigrams);
    var terms = unique([].concat.apply([], grams));
    return Promise.all(terms.map(function (t) { return postings(index, t); })).then(function (lists) {
      var byTerm = {};
      terms.forEach(function (t, i) { byTerm[t] = lists[i]; });
      var hits = {};  // document -> per segment, per field: pairs held
      grams.forEach(function (segGrams, s) {
        segGrams.forEach(function (g) {
          byTerm[g].forEach(function (p) {
            var h = hits[p[0]] || (hits[p[0]] = segments.map(function () { return [0, 0, 0, 0]; }));
            for (var f = 0; f < FIELDS.length; f++) if (p[1] & (1 << f)) h[s][f]++;
          });
        });
      });
      var total = grams.reduce(function (a, g) { return a + g.length; }, 0);
      var out = [];
      Object.keys(hits).forEach(function (key) {
        var score = 0, covered = 0;
        hits[key].forEach(function (fields) {
          covered += Math.max.apply(null, fields);
          fields.forEach(function (h, f) { score += FIELDS[f][1] * h; });
        });
        var coverage = covered / total;
        if (coverage >= 0.6) out.push({ n: +key, score: score * coverage * coverage, segments: segments, coverage: coverage });
      });
      return out;
    });
  }

  // One edit (insert, delete, replace, or swap two neighbours) between a and b?
  function oneEdit(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  var MAX_PREFIX = 24;  // terms a word being typed may stand for, shortest first
  var MAX_TYPO = 6;
  var TYPO_WEIGHT = 0.4;  // a misspelling's matches rank below exact and stemmed ones
  var TYPO_LENGTH = 5;

  // Latin: each query word matches its stem, the terms it begins (the word being
  // typed) and, for words of five letters or more, terms one edit away.
  function latinCandidates(index, query) {
    var raw = words(query, false);
    if (!raw.length) return Promise.resolve([]);
    var terms = raw.map(function (w) { return index.stem ? stem(w) : w; });
    var lastIsPrefix = !/\s$/.test(query);
    var vocab = index.vocab;
    var expansions = terms.map(function (term, i) {
      var out = [];
      var at = lowerBound(vocab, term);
      if (vocab[at] === term) out.push([term, 1]);
      if (lastIsPrefix && i === terms.length - 1 && term.length >= 2) {
        var longer = [];
        for (var k = at; k < vocab.length && vocab[k].indexOf(term) === 0; k++) if (vocab[k] !== term) longer.push(vocab[k]);
        longer.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : 1); });
        longer.slice(0, MAX_PREFIX).forEach(function (t) { out.push([t, 1]); });
      }
      if (raw[i].length >= TYPO_LENGTH && !out.length) {
        // A stem one edit from the query's, or from the word as typed, or that the
        // typed word begins with but for an edit in its ending (arbitragen: arbitrag).
        var word = raw[i];
        var near = [];
        for (var v = 0; v < vocab.length && near.length < MAX_TYPO; v++) {
          var t = vocab[v];
          if (oneEdit(term, t) || oneEdit(word, t) || (t.length >= 4 && t.length >= word.length - 3 && word.length > t.length && word.indexOf(t) === 0)) {
            near.push([t, TYPO_WEIGHT]);
          }
        }
        out = out.concat(near);
      }
      return out;
    });
    var all = unique([].concat.apply([], expansions.map(function (e) { return e.map(function (x) { return x[0]; }); })));
    return Promise.all(all.map(function (t) { return postings(index, t); })).then(function (lists) {
      var byTerm = {};
      all.forEach(function (t, i) { byTerm[t] = lists[i]; });
      var best = {};  // document -> per query word: [score, term]
      expansions.forEach(function (exps, i) {
        exps.forEach(function (e) {
          var list = byTerm[e[0]];
          var idf = Math.log(1 + index.n / (list.length || 1));
          list.forEach(function (p) {
            var weight = 0;
            for (var f = 0; f < FIELDS.length; f++) if (p[1] & (1 << f)) weight = Math.max(weight, FIELDS[f][1]);
            var b = best[p[0]] || (best[p[0]] = terms.map(function () { return [0, []]; }));
            var s = weight * e[1] * idf;
            if (s > b[i][0]) b[i][0] = s;
            b[i][1].push(e[0]);
          });
        });
      });
      var out = [];
      Object.keys(best).forEach(function (key) {
        var words = best[key];
        var matched = words.filter(function (w) { return w[0] > 0; }).length;
        if (matched < terms.length && (terms.length < 3 || matched < terms.length - 1)) return;
        var score = words.reduce(function (a, w) { return a + w[0]; }, 0);
        out.push({
          n: +key, base: score, ratio: matched / terms.length, score: score * matched / terms.length,
          terms: [].concat.apply([], words.map(function (w) { return w[1]; })),
        });
      });
      return out;
    });
  }

  // --- final ranking (from the candidates' documents) ------------------------------

  function hanFinal(doc, candidate) {
    var bonus = 0;
    var spans = [];
    candidate.segments.forEach(function (seg) {
      FIELDS.forEach(function (f) {
        var norm = doc.norm[f[0]].text;
        var at = norm.indexOf(seg);
        if (at >= 0) {
          bonus += f[1] * 4 * seg.length;
          if (f[0] === "t" && norm.length === seg.length) bonus += 40;  // the whole title
          spans.push([f[0], at, seg.length]);
        }
      });
    });
    return { score: candidate.score + bonus * candidate.coverage * candidate.coverage, spans: spans };
  }

  function latinFinal(doc, candidate, phrase) {
    var bonus = 0;
    var spans = [];
    FIELDS.forEach(function (f) {
      var at = phrase ? doc.norm[f[0]].text.indexOf(phrase) : -1;
      if (at >= 0) { bonus += f[1] * 3; spans.push([f[0], at, phrase.length]); }
    });
    if (doc.norm.t.text === phrase) bonus += 20;
    return { score: (candidate.base + bonus) * candidate.ratio, spans: spans };
  }

  function byScore(a, b) {
    return (a.tier || 0) - (b.tier || 0) || b.score - a.score || a.n - b.n;
  }

  // Candidates from the postings, then the best few read in full and ranked exactly.
  function searchIndex(index, query, limit) {
    var han = index.script === "han";
    return (han ? hanCandidates(index, query) : latinCandidates(index, query)).then(function (found) {
      found.sort(byScore);
      var best = found.slice(0, limit);
      var phrase = han ? "" : normalise(query, null).text;
      return Promise.all(best.map(function (c) { return documentOf(index, c.n); })).then(function (docs) {
        var results = best.map(function (c, i) {
          var r = han ? hanFinal(docs[i], c) : latinFinal(docs[i], c, phrase);
          return { n: c.n, doc: docs[i], score: r.score, spans: r.spans, terms: c.terms, index: index };
        });
        results.sort(function (a, b) {
          return b.score - a.score || (a.doc.k === "item" ? -1 : 0) - (b.doc.k === "item" ? -1 : 0) || a.n - b.n;
        });
        return { results: results, total: found.length };
      });
    });
  }

  var HAN = /\p{Script=Han}+/gu;
  var HAS_HAN = /\p{Script=Han}/u;

  // A query in a language's index. Chinese typed on a Latin-script site is looked up
  // in the Chinese index the meta names (the same documents, numbered alike) and
  // listed after the matches in the site's language, with the Chinese text shown.
  function searchLanguage(code, query, limit) {
    return load(code).then(function (index) {
      if (index.script === "han" || !index.meta.han || !HAS_HAN.test(query)) return searchIndex(index, query, limit);
      var chinese = (query.match(HAN) || []).join(" ");
      var rest = query.replace(HAN, " ").trim();
      return Promise.all([
        rest ? searchIndex(index, rest, limit) : Promise.resolve({ results: [], total: 0 }),
        load(index.meta.han).then(function (hanIndex) { return searchIndex(hanIndex, chinese, limit); }),
      ]).then(function (both) {
        var own = both[0], other = both[1];
        var seen = {};
        own.results.forEach(function (r) { seen[r.n] = 1; });
        var extra = other.results.filter(function (r) { return !seen[r.n]; });
        return Promise.all(extra.map(function (r) { return documentOf(index, r.n); })).then(function (docs) {
          var moved = extra.map(function (r, i) {
            return { n: r.n, doc: docs[i], score: r.score, spans: [], index: index, tier: 1, via: r };
          });
          return { results: own.results.concat(moved), total: own.total + other.total - (other.results.length - extra.length) };
        });
      });
    });
  }

  window.__planSearch = searchLanguage;  // for tests: scores as the list ranks them
  window.__planPostings = function (code, term) {  // for tests: a term's documents as the browser reads them
    return load(code).then(function (index) { return postings(index, term); });
  };

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

  function render(results, total, query) {
    list.textContent = "";
    results.slice(0, LIMIT).forEach(function (result) {
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
      // Found through its Chinese text: that text is the snippet, marked.
      var shown = result.via || result;
      if (shown.doc.x) {
        var snippet = document.createElement("span");
        snippet.className = "plan-search__snippet";
        if (result.via) snippet.setAttribute("lang", result.via.index.locale);
        snippet.appendChild(highlighted(shown, "x", 90));
        a.appendChild(snippet);
      }
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = !query;
    box.setAttribute("data-rendered-query", query);  // lets tests and tools know the list is current
    status.textContent = !query ? "" : total
      ? labels[locale].results.replace("{total}", total)
      : labels[locale].none;
  }

  // A query longer than any title is not a search: a pasted page must not freeze the
  // tab (the input's maxlength says the same; this also covers ?q= and scripts).
  var MAX_QUERY = 200;
  var latest = 0;
  function run(startedAt) {
    var query = input.value.trim().slice(0, MAX_QUERY);
    var ticket = ++latest;
    if (!query) { render([], 0, ""); return; }
    var codes = allLanguages && allLanguages.checked ? Object.keys(locales) : [locale];
    Promise.all(codes.map(function (code) { return searchLanguage(code, query, LIMIT); })).then(function (found) {
      if (ticket !== latest) return;  // a newer keystroke is on its way
      var results = [];
      var total = 0;
      found.forEach(function (f) { results = results.concat(f.results); total += f.total; });
      results.sort(function (a, b) { return (a.tier || 0) - (b.tier || 0) || b.score - a.score; });
      render(results, total, query);
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
    if (e.key === "Escape") { input.value = ""; render([], 0, ""); }
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
