/* Requirement filters: the rules of src/filter.rs (tested on the same cases). Until the
   candidate says what they offer (ticks a requirement or "none of these"), no site is
   hidden for what it requires; then a site shows when all its required keys are offered.
   A site asking an obligation the candidate cannot meet is hidden; sites are ordered by
   preferred keys offered. State: ?offer=a,b&cannot=c (offer=none: "none of these"). */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var panel = document.getElementById('f-panel');
  var dataEl = document.getElementById('filter-data');
  var list = document.querySelector('[data-site-list]');
  if (!form || !panel || !dataEl || !list) return;
  var data = JSON.parse(dataEl.textContent);
  var S = data.strings;
  /* A list on one page has its sites in the page; a list on several pages has `source`, the
     files of src/render/facets.rs, fetched when the candidate first acts (or when the
     address already holds filters), and renders its results from them, a page at a time. */
  var source = data.source || null;
  var cards = {};
  list.querySelectorAll('[data-site]').forEach(function (c) { cards[c.getAttribute('data-site')] = c; });
  var status = document.getElementById('f-status');
  var empty = document.getElementById('f-empty');
  var excluded = document.getElementById('f-excluded');
  var excludedText = excluded.querySelector('[data-excluded-text]');
  var excludedButton = excluded.querySelector('button');
  var setCount = document.getElementById('f-set');
  var summaryResults = document.getElementById('f-summary-results');
  var NONE = 'none';
  var LISTS = ['offer', 'cannot'];
  var SINGLE = ['programme', 'area', 'volunteers'].filter(function (k) { return form.elements[k]; });
  /* Whether the sites the rule hides are shown too, after the others; not part of the address. */
  var reveal = false;

  /* The sites as columns of numbers, so that a change is one pass over tens of thousands of
     them: each site's combination of requirements and obligations (the sites of one share
     their result in a state) and its value in each facet. Each key is a bit of a mask, so
     the rule is a few operations per combination. A list on one page fills them now, a list
     on several pages when its facet index comes. */
  var count = 0;
  var ids = [];                           // a list on one page: site -> its card's id
  var texts = [];                         // site -> its folded search text
  var comboOf = new Int32Array(0);        // site -> combination
  var facetIds = [];                      // facet -> site -> value id
  var facetValues = SINGLE.map(function () { return []; });
  var facetIdOf = SINGLE.map(function () { return new Map(); });
  var combos = [];                        // combination -> [required, preferred, obligations]
  var KEYS = [];                          // bit -> key
  var bitOf = {};
  var W = 1;                              // 32-bit words a set of keys takes
  var masks = new Int32Array(0);          // combination -> its three sets, W words each
  function addKey(k) { if (bitOf[k] === undefined) { bitOf[k] = KEYS.length; KEYS.push(k); } }
  // The vocabulary's keys in its order, then any other a site names.
  Object.keys(data.labels).forEach(addKey);
  function setCombos(found) {
    combos = found;
    found.forEach(function (c) { c.forEach(function (part) { part.forEach(addKey); }); });
    W = Math.max(1, Math.ceil(KEYS.length / 32));
    masks = new Int32Array(found.length * 3 * W);
    found.forEach(function (c, i) {
      c.forEach(function (part, p) {
        part.forEach(function (k) { var b = bitOf[k]; masks[(i * 3 + p) * W + (b >> 5)] |= 1 << (b & 31); });
      });
    });
  }
  function valueId(j, v) {
    var id = facetIdOf[j].get(v);
    if (id === undefined) { id = facetValues[j].length; facetValues[j].push(v); facetIdOf[j].set(v, id); }
    return id;
  }
  function setSites(n, comboAt, valueAt) {
    count = n;
    comboOf = new Int32Array(n);
    facetIds = SINGLE.map(function () { return new Int32Array(n); });
    for (var i = 0; i < n; i++) {
      comboOf[i] = comboAt(i);
      for (var j = 0; j < SINGLE.length; j++) facetIds[j][i] = valueId(j, valueAt(i, SINGLE[j]));
    }
  }
  if (!source) {
    var comboIds = new Map();
    var found = [];
    var at = data.sites.map(function (s) {
      var key = JSON.stringify([s.required, s.preferred, s.obligations]);
      if (!comboIds.has(key)) { comboIds.set(key, found.length); found.push([s.required, s.preferred, s.obligations]); }
      return comboIds.get(key);
    });
    setCombos(found);
    setSites(data.sites.length, function (i) { return at[i]; }, function (i, k) {
      return k === 'volunteers' ? bucket(data.sites[i].volunteers) : data.sites[i][k];
    });
    ids = data.sites.map(function (s) { return s.id; });
    texts = data.sites.map(function (s) { return s.text; });
  }

  /* The one folding rule (src/filter.rs `fold`): lower case, NFD, no nonspacing marks, then
     the letters Unicode does not decompose, from the page's data. */
  var letters = data.fold || {};
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '')
      .replace(/./gu, function (c) { return letters[c] !== undefined ? letters[c] : c; });
  }
  /* Text the page was built with is left as it is: a node written again is painted again. */
  function write(el, text) { if (el.textContent !== text) el.textContent = text; }
  function bucket(n) { return n <= 1 ? '1' : n === 2 ? '2' : '3+'; }
  function number(n) { return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, S.thousands_separator || ','); }
  function fill(text, vars) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) {
      if (!(k in vars)) return m;
      return typeof vars[k] === 'number' ? number(vars[k]) : vars[k];
    });
  }
  /* Forms by CLDR category, chosen by the browser's plural rules for the page's language. */
  var rules = window.Intl && Intl.PluralRules ? new Intl.PluralRules(data.lang) : null;
  function plural(entry, n) {
    if (typeof entry === 'string') return entry;
    var form = entry[rules ? rules.select(n) : (n === 1 ? 'one' : 'other')];
    return form !== undefined ? form : entry.other;
  }
  function say(key, n, vars) {
    vars = vars || {};
    vars.n = n;
    return fill(plural(S[key], n), vars);
  }

  function emptyState() { return { offer: [], said: false, cannot: [], programme: '', area: '', volunteers: '', q: '', page: 1 }; }

  /* An address keeps only the requirement and obligation keys this site knows (`none` too):
     a link shared before a key was renamed would otherwise count the unknown key as "the
     candidate said what they offer" and hide sites, with no box ticked to tell why. */
  function isKey(list, k) { return Object.prototype.hasOwnProperty.call(data.labels, k) || (list === 'offer' && k === NONE); }
  function readQuery(search) {
    var st = emptyState();
    new URLSearchParams(search).forEach(function (v, k) {
      // A list may come in one parameter or several (`offer=a&offer=b`): all are read.
      if (LISTS.indexOf(k) >= 0) {
        v.split(',').forEach(function (x) { if (isKey(k, x) && st[k].indexOf(x) < 0) st[k].push(x); });
      } else if (SINGLE.indexOf(k) >= 0 || k === 'q') st[k] = v;
      else if (k === 'page' && source) st.page = Math.max(1, parseInt(v, 10) || 1);
    });
    st.said = st.offer.length > 0;
    st.offer = st.offer.filter(function (k) { return k !== NONE; });
    return st;
  }

  function toQuery(st) {
    var parts = [];
    if (st.said) parts.push('offer=' + (st.offer.length ? st.offer.map(encodeURIComponent).join(',') : NONE));
    if (st.cannot.length) parts.push('cannot=' + st.cannot.map(encodeURIComponent).join(','));
    SINGLE.concat('q').forEach(function (k) { if (st[k]) parts.push(k + '=' + encodeURIComponent(st[k])); });
    if (st.page > 1) parts.push('page=' + st.page);
    return parts.length ? '?' + parts.join('&') : '';
  }

  function offers(st, k) { return st.offer.indexOf(k) >= 0; }
  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  function keyMask(keys) {
    var m = new Int32Array(W);
    keys.forEach(function (k) { var b = bitOf[k]; if (b !== undefined) m[b >> 5] |= 1 << (b & 31); });
    return m;
  }
  /* What the requirement and obligation rule says of each combination in state `st`: whether
     its sites qualify, how many of their preferred keys are offered, how many required keys
     are missing (`only`: the bit of the one missing), whether an obligation blocks them. The
     results, the hidden sites and the counts of one state share it. */
  var ruleOf = { key: null };
  function rule(st) {
    var key = combos.length + '|' + st.said + '|' + st.offer.join(',') + '|' + st.cannot.join(',');
    if (ruleOf.key === key) return ruleOf;
    var n = combos.length;
    var r = { key: key, qualifies: new Uint8Array(n), matched: new Uint8Array(n), missing: new Uint8Array(n),
      only: new Int32Array(n), blocked: new Uint8Array(n) };
    var offer = keyMask(st.offer);
    var cannot = keyMask(st.cannot);
    for (var c = 0; c < n; c++) {
      var at = c * 3 * W;
      var missing = 0, only = -1, matched = 0, blocked = 0;
      for (var w = 0; w < W; w++) {
        var m = masks[at + w] & ~offer[w];
        if (m) { missing += popcount(m); only = w * 32 + 31 - Math.clz32(m); }
        matched += popcount(masks[at + W + w] & offer[w]);
        if (masks[at + 2 * W + w] & cannot[w]) blocked = 1;
      }
      r.missing[c] = missing;
      r.only[c] = only;
      r.matched[c] = matched;
      r.blocked[c] = blocked;
      r.qualifies[c] = (!st.said || missing === 0) && !blocked ? 1 : 0;
    }
    return (ruleOf = r);
  }
  /* The value id each facet asks for in `st`: -1 for none, -2 for a value no site has. */
  function wanted(st) {
    return SINGLE.map(function (k, j) {
      if (!st[k]) return -1;
      var id = facetIdOf[j].get(st[k]);
      return id === undefined ? -2 : id;
    });
  }
  function hasWords(i, words) {
    for (var k = 0; k < words.length; k++) if (texts[i].indexOf(words[k]) < 0) return false;
    return true;
  }
  function words(st) { return fold(st.q.trim()).split(/\s+/).filter(Boolean); }

  /* One pass over the sites for the results and the counts. The results: the sites the
     facets and the search keep, as site numbers, those the rule lets through (`shown`, most
     preferred requirements offered first and ties in listing order: one list per number,
     filled in order, as a sort would cost more than the filtering) and those it hides
     (`left`). With `counting`, also how many sites each choice would leave (`counts`, by
     "name=value"): a facet's value counts the sites no other facet or the search rules out. */
  function survey(st, counting) {
    var r = rule(st);
    var w = words(st);
    var nw = w.length;
    var want = wanted(st);
    var nf = SINGLE.length;
    var most = counting ? 1 : 0;          // facets a site may miss and still be counted
    var qualifies = r.qualifies, matched = r.matched;
    var byMatched = [];
    var left = [];
    var inCombo = counting ? new Int32Array(combos.length) : null;
    var touched = [];
    var perFacet = counting ? facetValues.map(function (values) { return new Int32Array(values.length); }) : null;
    var anyOf = new Int32Array(nf);
    for (var i = 0; i < count; i++) {
      var wrongs = 0;
      var wrong = -1;
      for (var j = 0; j < nf; j++) {
        if (want[j] !== -1 && facetIds[j][i] !== want[j]) { if (++wrongs > most) break; wrong = j; }
      }
      if (wrongs > most) continue;
      var c = comboOf[i];
      var q = qualifies[c];
      if (wrongs && !q) continue;
      if (nw && !hasWords(i, w)) continue;
      if (wrongs === 0) {
        if (q) (byMatched[matched[c]] || (byMatched[matched[c]] = [])).push(i);
        else left.push(i);
        if (counting && inCombo[c]++ === 0) touched.push(c);
      }
      if (counting && q) {
        for (j = 0; j < nf; j++) {
          if (wrongs && wrong !== j) continue;
          perFacet[j][facetIds[j][i]]++;
          anyOf[j]++;
        }
      }
    }
    var shown = [];
    for (var n = byMatched.length - 1; n >= 0; n--) {
      var group = byMatched[n] || [];
      for (var k = 0; k < group.length; k++) shown.push(group[k]);
    }
    return { shown: shown, left: left, rule: r, counts: counting ? tally(st, r, inCombo, touched, perFacet, anyOf) : null };
  }
  /* The counts from the sites each combination (`touched`) has left (`inCombo`) and per
     facet value. Per combination, not per key: a requirement's count is the sites that miss
     nothing plus those that miss only it; an obligation's, the sites left less those that
     ask it. Ticking a requirement says the offer is the ticked ones plus it ("none" goes). */
  function tally(st, r, inCombo, touched, perFacet, anyOf) {
    var complete = 0, left = 0, none = 0;
    var onlyMissing = new Int32Array(KEYS.length);
    var asking = new Int32Array(KEYS.length);
    for (var t = 0; t < touched.length; t++) {
      var c = touched[t];
      var n = inCombo[c];
      if (r.blocked[c]) continue;
      var missing = r.missing[c];
      if (missing === 0) complete += n;
      else if (missing === 1) onlyMissing[r.only[c]] += n;
      if (!combos[c][0].length) none += n;
      if (st.said && missing) continue;
      left += n;
      for (var x = 0; x < W; x++) {
        for (var m = masks[(c * 3 + 2) * W + x]; m; m &= ~(1 << (31 - Math.clz32(m)))) asking[x * 32 + 31 - Math.clz32(m)] += n;
      }
    }
    var counts = {};
    function add(key, n) { counts[key] = (counts[key] || 0) + n; }
    function ofKey(values, k) { return bitOf[k] === undefined ? 0 : values[bitOf[k]]; }
    add('offer=' + NONE, none);
    REQUIREMENT_KEYS.forEach(function (k) { add('offer=' + k, complete + ofKey(onlyMissing, k)); });
    OBLIGATION_KEYS.forEach(function (k) { add('cannot=' + k, left - ofKey(asking, k)); });
    SINGLE.forEach(function (k, j) {
      perFacet[j].forEach(function (n, id) { if (n) add(k + '=' + facetValues[j][id], n); });
      add(k + '=', anyOf[j]);
    });
    return counts;
  }
  function results(st) { return survey(st, false); }
  function apply(st) { return results(st).shown; }
  function hiddenByRule(st) { return results(st).left; }

  function fromForm() {
    var st = emptyState();
    LISTS.forEach(function (k) {
      form.querySelectorAll('input[name="' + k + '"]:checked').forEach(function (el) { st[k].push(el.value); });
    });
    st.said = st.offer.length > 0;
    st.offer = st.offer.filter(function (k) { return k !== NONE; });
    SINGLE.forEach(function (k) { st[k] = form.elements[k].value; });
    st.q = form.elements.q.value;
    return st;
  }

  function toForm(st) {
    form.querySelectorAll('input[type="checkbox"]').forEach(function (el) {
      el.checked = el.value === NONE ? st.said && !st.offer.length : st[el.name].indexOf(el.value) >= 0;
    });
    SINGLE.forEach(function (k) {
      form.querySelectorAll('input[name="' + k + '"]').forEach(function (el) { el.checked = el.value === st[k]; });
    });
    form.elements.q.value = st.q;
  }

  /* How many sites each choice would leave, in one pass over the sites. */
  var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"], input[type="radio"]'));
  var countOf = inputs.map(function (el) { return el.parentNode.querySelector('[data-count]'); });
  var REQUIREMENT_KEYS = inputs.filter(function (el) { return el.name === 'offer' && el.value !== NONE; })
    .map(function (el) { return el.value; });
  var OBLIGATION_KEYS = inputs.filter(function (el) { return el.name === 'cannot'; }).map(function (el) { return el.value; });
  /* Writes the counts of `found` (the survey of `st`, made now if not given); a ticked
     box says how many sites the state shows. */
  function updateCounts(st, found) {
    found = found || survey(st, true);
    var counts = found.counts;
    var shown = found.shown.length;
    for (var i = 0; i < inputs.length; i++) {
      var el = inputs[i];
      var n = el.type === 'checkbox' && el.checked ? shown : (counts[el.name + '=' + el.value] || 0);
      if (countOf[i]) write(countOf[i], '(' + number(n) + ')');
    }
  }

  /* How many filters are set, for the panel's summary on narrow screens. */
  function setFilters(st) {
    var n = st.offer.length + (st.said && !st.offer.length ? 1 : 0) + st.cannot.length + (st.q.trim() ? 1 : 0);
    SINGLE.forEach(function (k) { if (st[k]) n++; });
    return n;
  }

  /* The filter whose removal would bring back the most sites. */
  function loosen(st) {
    var best = null;
    function consider(label, change) {
      var next = JSON.parse(JSON.stringify(st));
      change(next);
      var n = apply(next).length;
      if (n > 0 && (!best || n > best.n)) best = { label: label, n: n, change: change };
    }
    st.cannot.forEach(function (k) {
      consider(data.labels[k] || k, function (x) { x.cannot = x.cannot.filter(function (c) { return c !== k; }); });
    });
    SINGLE.concat('q').forEach(function (k) {
      if (!st[k]) return;
      var input = form.querySelector('input[name="' + k + '"]:checked');
      // The string puts its own quotation marks around the label.
      var label = k === 'q' ? st.q.trim() : (input ? input.parentNode.querySelector('span').textContent : st[k]);
      consider(label, function (x) { x[k] = ''; });
    });
    return best;
  }

  var matches = {};
  Object.keys(cards).forEach(function (id) { matches[id] = cards[id].querySelector('[data-match]'); });

  /* Marks the preferred requirements the candidate has, by a tick and words, not colour alone. */
  function markPreferred(card, st) {
    card.querySelectorAll('.badges-preferred [data-key]').forEach(function (b) {
      var has = offers(st, b.getAttribute('data-key'));
      if (b.classList.contains('is-matched') === has) return;
      b.classList.toggle('is-matched', has);
      var note = b.querySelector('.visually-hidden');
      if (has && !note) {
        note = document.createElement('span');
        note.className = 'visually-hidden';
        note.textContent = ' ' + S.you_have_it;
        b.appendChild(note);
      } else if (!has && note) b.removeChild(note);
    });
  }

  /* A shown card: its preferred requirements marked and its line on how well it matches;
     `c` is its site's combination, -1 for a card the rule hides, shown because the candidate
     asked to see those; `r` the rule of the state. */
  function decorate(card, match, c, st, r) {
    card.classList.toggle('is-excluded', c < 0);
    markPreferred(card, st);
    if (!match) return;
    var text = S.excluded_card;
    var hide = false;
    if (c >= 0) {
      var total = combos[c][1].length;
      text = say('match_preferred', r.matched[c], { total: total });
      hide = !(st.offer.length && total);
    }
    if (match.hidden !== hide) match.hidden = hide;
    if (match.textContent !== text) match.textContent = text;
  }

  function showCard(card, visible) { if (card.hidden === visible) card.hidden = !visible; }

  /* A list on one page: its cards shown, hidden and put in order. */
  function placeCards(shown, left, st, r) {
    var seen = {};
    var wanted = [];
    function place(i, c) {
      var id = ids[i];
      var card = cards[id];
      if (!card) return;
      seen[id] = true;
      wanted.push(id);
      showCard(card, true);
      decorate(card, matches[id], c, st, r);
    }
    shown.forEach(function (i) { place(i, comboOf[i]); });
    if (reveal) left.forEach(function (i) { place(i, -1); });
    ids.forEach(function (id) {
      var card = cards[id];
      if (card && !seen[id]) showCard(card, false);
    });
    // Only shown cards need to be in order; they move only when it changed (moving costs a layout).
    var now = [];
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) if (!c.hidden) now.push(c.getAttribute('data-site'));
    if (now.join('\n') !== wanted.join('\n')) {
      var frag = document.createDocumentFragment();
      wanted.forEach(function (id) { frag.appendChild(cards[id]); });
      list.appendChild(frag);
    }
  }

  function render(st) {
    if (source && !big.ready(st)) {
      big.wait(st);
      return;
    }
    if (source && !big.loaded()) {
      // The page as built, nothing fetched: its cards, numbered pages and counts are right.
      big.place([], [], st);
      write(status, say('results_count', big.total));
      write(summaryResults, say('sites_count', big.total));
      setCount.hidden = true;
      excluded.hidden = true;
      empty.hidden = true;
      return;
    }
    var found = survey(st, true);
    var shown = found.shown;
    var left = found.left;
    if (source) big.place(shown, left, st, found.rule);
    else placeCards(shown, left, st, found.rule);
    write(status, say('results_count', shown.length));
    write(summaryResults, say('sites_count', shown.length));
    var set = setFilters(st);
    setCount.hidden = set === 0;
    setCount.firstElementChild.textContent = '(' + number(set) + ')';
    setCount.lastElementChild.textContent = say('filters_set', set);
    // A line kept for it while a long list's data arrived stays until the candidate acts.
    excluded.hidden = left.length === 0 && !excluded.classList.contains('is-reserved');
    if (left.length) excluded.classList.remove('is-reserved');
    if (left.length) {
      excludedText.textContent = say('excluded_count', left.length);
      excludedButton.textContent = say(reveal ? 'excluded_hide' : 'excluded_show', left.length);
      excludedButton.setAttribute('aria-pressed', reveal ? 'true' : 'false');
    }
    updateCounts(st, found);
    empty.hidden = shown.length > 0;
    empty.textContent = '';
    if (!shown.length) {
      var p = document.createElement('p');
      p.textContent = S.no_results;
      empty.appendChild(p);
      var hint = loosen(st);
      if (hint) {
        var b = document.createElement('button');
        b.type = 'button';
        b.className = 'button-link';
        b.textContent = say('no_results_try', hint.n, { filter: hint.label });
        b.addEventListener('click', function () { hint.change(st); st.page = 1; commit(st, true); });
        empty.appendChild(b);
      }
    }
    document.querySelectorAll('.lang-switcher a[href]').forEach(function (a) {
      if (!a.dataset.base) a.dataset.base = a.getAttribute('href').split('?')[0];
      a.setAttribute('href', a.dataset.base + toQuery(st));
    });
  }

  /* A list on several pages: the files it fetches, its results a page at a time, and the
     cards made from the theme's card (the page's <template id="f-card">). */
  var big = source && (function () {
    var index = null;
    var text = null;
    var chunks = {};                      // file number -> its promise
    var loaded = {};                      // file number -> its cards, once here
    var failed = false;
    var generation = 0;
    var staticCards = Array.prototype.slice.call(list.children);
    var staticNav = list.parentNode.querySelector('nav.pagination');
    var nav = null;
    var total = source.end - source.start;
    function get(url) {
      return fetch(url).then(function (r) {
        if (!r.ok) throw new Error(url + ': ' + r.status);
        return r.json();
      });
    }
    /* The facet index, as the columns of this list's sites (site i is the catalogue's
       site source.start + i). */
    function loadIndex() {
      if (!index) index = get(source.index).then(function (ix) {
        setCombos(ix.combos.map(function (c) {
          return c.map(function (part) { return part.map(function (k) { return ix.keys[k]; }); });
        }));
        var programme = [];
        for (var i = source.start, p = 0; i < source.end; i++) {
          while (p + 1 < ix.programmes.length && ix.programmes[p + 1][1] <= i) p++;
          programme.push(ix.programmes[p][0]);
        }
        setSites(total, function (i) { return ix.combo[source.start + i]; }, function (i, k) {
          var at = source.start + i;
          return k === 'programme' ? programme[i] : k === 'area' ? ix.areas[ix.area[at]] : bucket(ix.volunteers[at]);
        });
        index.done = true;
      });
      return index;
    }
    function loadText() {
      if (!text) text = loadIndex().then(function () { return get(source.text); }).then(function (t) {
        texts = t.slice(source.start, source.end);
        text.done = true;
      });
      return text;
    }
    /* A file of cards' data is a column per field (src/render/facets.rs, `CardColumns`): a
       value is null, a string, or [n, rest]: the first n code units (string indexes) of the
       value above it, then rest. Read into one object per site. */
    var FIELDS = ['id', 'href', 'title', 'code', 'address', 'volunteers', 'hours'];
    function readCards(file) {
      var sites = file.id.map(function () { return {}; });
      FIELDS.forEach(function (f) {
        var previous = '';
        file[f].forEach(function (v, i) {
          if (v === null) return;
          if (typeof v !== 'string') v = previous.slice(0, v[0]) + v[1];
          sites[i][f] = previous = v;
        });
      });
      (file.lang || []).forEach(function (l) { sites[l[0]].lang = l[1]; sites[l[0]].dir = l[2]; });
      return sites;
    }
    function chunk(n) {
      if (!chunks[n]) chunks[n] = get(source.cards.replace('{n}', n)).then(function (file) { return (loaded[n] = readCards(file)); });
      return chunks[n];
    }
    function pristine(st) { return toQuery(st) === ''; }
    /* The template's cards: every part present, then without requirements (for its note). */
    var template = document.getElementById('f-card');
    var full = template.content.children[0];
    var noneNote = template.content.children[1].querySelector('.badges-none');
    /* The template's items of `holder` from `item` on, made again for `keys`, with the
       separator the template put between its two items (a list's, in requirements). */
    function fillKeys(holder, item, keys) {
      var sep = item.nextSibling && item.nextSibling.nodeType === 3 ? item.nextSibling.textContent : null;
      var keep = item.previousSibling;
      while (holder.lastChild && holder.lastChild !== keep) holder.removeChild(holder.lastChild);
      keys.forEach(function (k, i) {
        if (i && sep !== null) holder.appendChild(document.createTextNode(sep));
        var el = item.cloneNode(false);
        el.setAttribute('data-key', k);
        el.textContent = data.labels[k] || k;
        holder.appendChild(el);
      });
    }
    /* A card from its data, by DOM methods only: the data is text, never markup. */
    function makeCard(c, keys) {
      var required = keys[0], preferred = keys[1], obligations = keys[2];
      var card = full.cloneNode(true);
      card.setAttribute('data-site', c.id);
      var h = card.querySelector('.card-title');
      if (c.lang) { h.setAttribute('lang', c.lang); h.setAttribute('dir', c.dir || 'ltr'); }
      var a = h.querySelector('a');
      a.setAttribute('href', c.href);
      a.textContent = c.title;
      var requires = card.querySelector('.requires');
      if (required.length) fillKeys(requires, requires.querySelector('[data-key]'), required);
      else requires.parentNode.removeChild(requires);
      var facts = card.querySelectorAll('.card-facts > div > dd');
      [c.code, c.address, c.volunteers, c.hours].forEach(function (v, i) {
        if (v) facts[i].textContent = v;
        else facts[i].parentNode.parentNode.removeChild(facts[i].parentNode);
      });
      [['.badges-preferred', preferred], ['.badges-obligations', obligations]].forEach(function (b) {
        var ul = card.querySelector(b[0]);
        if (b[1].length) {
          var li = ul.firstElementChild;
          fillKeys(ul, li, b[1]);
        } else {
          ul.parentNode.removeChild(ul.previousElementSibling);
          ul.parentNode.removeChild(ul);
        }
      });
      if (!required.length && !preferred.length) {
        var obligations = card.querySelector('.badges-obligations');
        card.insertBefore(noneNote.cloneNode(true), obligations ? obligations.previousElementSibling : null);
      }
      return card;
    }
    function link(st, n) {
      var next = JSON.parse(JSON.stringify(st));
      next.page = n;
      return location.pathname + toQuery(next);
    }
    /* The numbered pages of the results: the first, the last and two either side of the current. */
    function pageNav(st, page, pages) {
      if (!nav) {
        nav = document.createElement('nav');
        nav.className = 'pagination';
        nav.id = 'f-pages';
        nav.setAttribute('aria-label', S.pagination);
        nav.addEventListener('click', function (e) {
          var a = e.target.closest('a[data-page]');
          if (!a) return;
          e.preventDefault();
          var st2 = readQuery(address());
          st2.page = parseInt(a.getAttribute('data-page'), 10);
          commit(st2, true);
          list.scrollIntoView();
        });
        list.parentNode.insertBefore(nav, staticNav);
      }
      var ul = document.createElement('ul');
      function item(n, label, extra) {
        var li = document.createElement('li');
        var a = document.createElement('a');
        a.setAttribute('href', link(st, n));
        a.setAttribute('data-page', n);
        if (extra) { li.className = 'pagination-step'; a.setAttribute('rel', extra); a.textContent = label; } else {
          if (n === page) a.setAttribute('aria-current', 'page');
          var hidden = document.createElement('span');
          hidden.className = 'visually-hidden';
          hidden.textContent = S.page + ' ';
          a.appendChild(hidden);
          a.appendChild(document.createTextNode(number(n)));
        }
        li.appendChild(a);
        ul.appendChild(li);
      }
      if (page > 1) item(page - 1, S.page_previous, 'prev');
      var gap = false;
      for (var n = 1; n <= pages; n++) {
        if (n === 1 || n === pages || Math.abs(n - page) <= 2) { item(n); gap = false; } else if (!gap) {
          var li = document.createElement('li');
          li.className = 'pagination-gap';
          li.setAttribute('aria-hidden', 'true');
          li.textContent = '…';
          ul.appendChild(li);
          gap = true;
        }
      }
      if (page < pages) item(page + 1, S.page_next, 'next');
      nav.textContent = '';
      nav.appendChild(ul);
      nav.hidden = pages <= 1;
    }
    /* While fetching, the list keeps its place (and at least a screen's height) with its
       cards invisible; after the first results it keeps that height until the candidate
       acts, so that nothing below it moves into view on its own. */
    var reserve = true;
    function loading(on) {
      list.classList.toggle('is-loading', on);
      if (on) list.setAttribute('aria-busy', 'true'); else list.removeAttribute('aria-busy');
      if (on && reserve) list.classList.add('is-reserved');
    }
    ['pointerdown', 'keydown'].forEach(function (type) {
      document.addEventListener(type, function () {
        reserve = false;
        list.classList.remove('is-reserved');
        if (excluded.classList.contains('is-reserved')) {
          excluded.classList.remove('is-reserved');
          excluded.hidden = true;
        }
      }, { once: true, capture: true });
    });
    /* The line on the sites the rule hides, kept (unseen, with texts of its usual length)
       while the data arrives, as the results may have it. */
    function reserveExcluded() {
      if (!reserve || !excluded.hidden) return;
      excluded.classList.add('is-reserved');
      excludedText.textContent = say('excluded_count', 2);
      excludedButton.textContent = say('excluded_show', 2);
      excluded.hidden = false;
    }
    return {
      /* Whether the state can be shown: the index (and the search text, for a search) is here. */
      ready: function (st) {
        if (failed || pristine(st)) return true;
        return !!(index && index.done && (!st.q.trim() || (text && text.done)));
      },
      /* Shows the loading state in the list's place, fetches, and renders the state then. */
      wait: function (st) {
        var mine = ++generation;
        loading(true);
        reserveExcluded();
        status.textContent = S.filters_loading;
        summaryResults.textContent = '';
        (st.q.trim() ? loadText() : loadIndex()).then(function () {
          if (mine === generation) render(readQuery(address()));
        }, function () {
          failed = true;
          loading(false);
          status.textContent = S.filters_failed;
        });
      },
      loaded: function () { return !failed && !!(index && index.done); },
      prefetch: function () { if (!failed) loadIndex().catch(function () {}); },
      place: function (shown, left, st, r) {
        var mine = ++generation;
        if (failed || pristine(st)) {
          // The page as built: its own cards and numbered pages.
          if (list.firstElementChild !== staticCards[0] || list.children.length !== staticCards.length) {
            list.textContent = '';
            staticCards.forEach(function (c) { list.appendChild(c); });
          }
          staticCards.forEach(function (c) {
            markPreferred(c, st);
            c.classList.remove('is-excluded');
            c.querySelector('[data-match]').hidden = true;
          });
          if (staticNav) staticNav.hidden = false;
          if (nav) nav.hidden = true;
          loading(false);
          return;
        }
        // Busy (for assistive technology and tests) until the page's cards are in.
        list.setAttribute('aria-busy', 'true');
        // The page's sites: site i of the list, and its combination (-1: one the rule hides).
        var all = shown.length + (reveal ? left.length : 0);
        var pages = Math.max(1, Math.ceil(all / source.page_size));
        var page = Math.min(st.page, pages);
        var slice = [];
        for (var k = (page - 1) * source.page_size; k < Math.min(all, page * source.page_size); k++) {
          slice.push(k < shown.length ? [shown[k], comboOf[shown[k]]] : [left[k - shown.length], -1]);
        }
        function chunkOf(e) { return Math.floor((source.start + e[0]) / source.chunk); }
        /* The files the cards of `part` are in. */
        function files(part) {
          var seen = {};
          part.forEach(function (e) { seen[chunkOf(e)] = true; });
          return Object.keys(seen);
        }
        function here(part) { return files(part).every(function (n) { return loaded[n]; }); }
        function cardsOf(part) {
          var frag = document.createDocumentFragment();
          part.forEach(function (e) {
            var card = makeCard(loaded[chunkOf(e)][(source.start + e[0]) % source.chunk], combos[comboOf[e[0]]]);
            decorate(card, card.querySelector('[data-match]'), e[1], st, r);
            frag.appendChild(card);
          });
          return frag;
        }
        // Every file of the page is asked for at once, and the page goes in as one fragment
        // (one layout) when they are all here. Only when the files of the first cards (about
        // two screens of a phone) come before the others are those shown first.
        var first = Math.min(10, Math.ceil(slice.length / 2));
        var inList = -1;                  // how many of the page's cards are in; -1: the old ones are
        function show(upTo) {
          if (mine !== generation || inList >= upTo) return;
          if (inList < 0) {
            list.textContent = '';
            if (staticNav) staticNav.hidden = true;
            pageNav(st, page, pages);
            inList = 0;
          }
          list.appendChild(cardsOf(slice.slice(inList, upTo)));
          inList = upTo;
          list.classList.remove('is-loading');
          if (inList === slice.length) loading(false);
        }
        function fail() {
          if (mine !== generation) return;
          loading(false);
          status.textContent = S.filters_failed;
        }
        if (here(slice)) {
          show(slice.length);
          return;
        }
        var head = Promise.all(files(slice.slice(0, first)).map(chunk));
        var whole = Promise.all(files(slice).map(chunk));
        head.then(function () { if (!here(slice)) show(first); }, function () {});
        whole.then(function () { show(slice.length); }, fail);
      },
      total: total
    };
  })();

  /* The address is written after the frame that shows the state, when the browser is idle
     (writing it costs a phone's main thread ~10 ms, so it would hold the results back).
     Until then the state waits in `unwritten` ({ search, push }), which `address()` reads. */
  var unwritten = null;
  var whenIdle = window.requestIdleCallback
    ? function (f) { requestIdleCallback(f, { timeout: 500 }); }
    : function (f) { requestAnimationFrame(function () { setTimeout(f, 0); }); };
  function address() { return unwritten ? unwritten.search : location.search; }
  function writeAddress() {
    if (!unwritten) return;
    var u = unwritten;
    unwritten = null;
    history[u.push ? 'pushState' : 'replaceState'](null, '', location.pathname + u.search);
  }
  function commit(st, push) {
    toForm(st);
    var q = toQuery(st);
    // Each change its own entry in the history; a replacement folds into the entry waiting.
    if (unwritten && push) writeAddress();
    if (unwritten) unwritten.search = q;
    else if (q !== location.search) {
      unwritten = { search: q, push: push };
      whenIdle(writeAddress);
    }
    render(st);
  }

  form.addEventListener('change', function (e) {
    var t = e.target;
    if (t.name === 'q') return;
    // "None of these" and the requirements exclude each other.
    if (t.name === 'offer' && t.checked) {
      form.querySelectorAll('input[name="offer"]').forEach(function (el) {
        if ((t.value === NONE) !== (el.value === NONE)) el.checked = false;
      });
    }
    commit(fromForm(), true);
  });
  form.addEventListener('input', function (e) { if (e.target.name === 'q') commit(fromForm(), false); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  // A list on several pages fetches its index when the candidate reaches for the filters.
  if (big) ['focusin', 'pointerdown'].forEach(function (type) { form.addEventListener(type, big.prefetch); });
  document.getElementById('f-clear').addEventListener('click', function () { reveal = false; commit(emptyState(), true); });
  excludedButton.addEventListener('click', function () { reveal = !reveal; render(readQuery(address())); });
  window.addEventListener('popstate', function () {
    unwritten = null;                     // the candidate went elsewhere in the history
    var st = readQuery(location.search);
    toForm(st);
    render(st);
  });
  // A click may leave the page: the address it leaves is the state shown.
  document.addEventListener('click', writeAddress, true);

  panel.hidden = false;
  /* The panel is there from the first paint, and the script may come later: what a
     candidate ticked before it came stands (an address with filters kept it out of reach). */
  var initial = readQuery(location.search);
  var early = fromForm();
  if (toQuery(initial) === '' && toQuery(early) !== '') commit(early, true);
  else { toForm(initial); render(initial); }
  document.documentElement.classList.remove('f-wait');
  window.brochureFilters = { apply: apply, readQuery: readQuery, hiddenByRule: hiddenByRule, fold: fold, updateCounts: updateCounts };
})();
