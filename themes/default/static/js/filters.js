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
  var sites = data.sites || [];
  var cards = {};
  list.querySelectorAll('[data-site]').forEach(function (c) { cards[c.getAttribute('data-site')] = c; });
  /* Sites with the same requirements and obligations share their result for one state. */
  var combos = {};
  sites.forEach(function (s) {
    var key = JSON.stringify([s.required, s.preferred, s.obligations]);
    if (combos[key] === undefined) combos[key] = Object.keys(combos).length;
    s.combo = combos[key];
  });
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

  function readQuery(search) {
    var st = emptyState();
    new URLSearchParams(search).forEach(function (v, k) {
      if (LISTS.indexOf(k) >= 0) st[k] = v.split(',').filter(Boolean);
      else if (SINGLE.indexOf(k) >= 0 || k === 'q') st[k] = v;
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
  /* What the requirement and obligation rule says of a site in state `st`, once per combination. */
  var ruleOf = { key: null, fn: null };
  function rule(st) {
    // The same rule serves the results, the hidden sites and the counts of one state.
    var key = st.said + '|' + st.offer.join(',') + '|' + st.cannot.join(',');
    if (ruleOf.key === key) return ruleOf.fn;
    var memo = [];
    ruleOf.key = key;
    return (ruleOf.fn = function (s) {
      var m = memo[s.combo];
      if (!m) {
        m = memo[s.combo] = {
          missing: s.required.filter(function (k) { return !offers(st, k); }),
          blocked: s.obligations.some(function (k) { return st.cannot.indexOf(k) >= 0; }),
          matched: s.preferred.filter(function (k) { return offers(st, k); }).length
        };
        m.qualifies = (!st.said || m.missing.length === 0) && !m.blocked;
      }
      return m;
    });
  }
  /* Whether the facets and the search let the site through. */
  function selected(s, st, words) {
    if (st.programme && st.programme !== s.programme) return false;
    if (st.area && st.area !== s.area) return false;
    if (st.volunteers && st.volunteers !== bucket(s.volunteers)) return false;
    for (var i = 0; i < words.length; i++) if (s.text.indexOf(words[i]) < 0) return false;
    return true;
  }
  function words(st) { return fold(st.q.trim()).split(/\s+/).filter(Boolean); }

  function apply(st) {
    var w = words(st);
    var of = rule(st);
    // Most preferred requirements offered first, ties in listing order: one list per number,
    // filled in listing order (a sort of 50,000 sites would cost more than the filtering).
    var byMatched = [];
    sites.forEach(function (s, i) {
      if (!selected(s, st, w)) return;
      var r = of(s);
      if (r.qualifies) (byMatched[r.matched] || (byMatched[r.matched] = [])).push({ site: s, index: i, matched: r.matched });
    });
    var shown = [];
    for (var n = byMatched.length - 1; n >= 0; n--) if (byMatched[n]) shown = shown.concat(byMatched[n]);
    return shown;
  }

  /* The sites the facets and search keep but the requirement rule hides, in listing order. */
  function hiddenByRule(st) {
    var w = words(st);
    var of = rule(st);
    return sites.filter(function (s) { return selected(s, st, w) && !of(s).qualifies; });
  }

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
  var current = 0;
  function facetOf(s, k) { return k === 'volunteers' ? bucket(s.volunteers) : s[k]; }
  function updateCounts(st) {
    var w = words(st);
    var of = rule(st);
    var tally = {};
    function add(key, n) { tally[key] = (tally[key] || 0) + n; }
    // One pass over the sites gathers, per combination of requirements and obligations, the
    // sites no facet or search rules out, and per facet value the sites it would show; the
    // requirement and obligation counts then come from each combination once.
    var inCombo = [];
    var firstOf = [];
    var perFacet = SINGLE.map(function () { return {}; });
    var anyOf = SINGLE.map(function () { return 0; });
    sites.forEach(function (s) {
      for (var i = 0; i < w.length; i++) if (s.text.indexOf(w[i]) < 0) return;
      var wrongs = 0;
      var wrong = -1;
      for (var j = 0; j < SINGLE.length; j++) {
        if (st[SINGLE[j]] && st[SINGLE[j]] !== facetOf(s, SINGLE[j])) {
          if (++wrongs > 1) return;
          wrong = j;
        }
      }
      var r = of(s);
      if (wrongs === 0) {
        if (inCombo[s.combo] === undefined) { inCombo[s.combo] = 0; firstOf.push(s); }
        inCombo[s.combo]++;
      }
      if ((!st.said || r.missing.length === 0) && !r.blocked) {
        for (j = 0; j < SINGLE.length; j++) {
          if (wrongs && wrong !== j) continue;
          var v = facetOf(s, SINGLE[j]);
          perFacet[j][v] = (perFacet[j][v] || 0) + 1;
          anyOf[j]++;
        }
      }
    });
    // Per combination, not per key: a requirement's count is the sites that miss nothing
    // plus those that miss only it; an obligation's, the sites left less those that ask it.
    var complete = 0;
    var onlyMissing = {};
    var left = 0;
    var asking = {};
    firstOf.forEach(function (s) {
      var n = inCombo[s.combo];
      var r = of(s);
      if (r.blocked) return;
      if (r.missing.length === 0) complete += n;
      else if (r.missing.length === 1) onlyMissing[r.missing[0]] = (onlyMissing[r.missing[0]] || 0) + n;
      if (s.required.length === 0) add('offer=' + NONE, n);
      if (st.said && r.missing.length) return;
      left += n;
      s.obligations.forEach(function (k, i) { if (s.obligations.indexOf(k) === i) asking[k] = (asking[k] || 0) + n; });
    });
    // Ticking a requirement says the offer is the ticked ones plus it ("none" goes).
    REQUIREMENT_KEYS.forEach(function (k) { add('offer=' + k, complete + (onlyMissing[k] || 0)); });
    OBLIGATION_KEYS.forEach(function (k) { add('cannot=' + k, left - (asking[k] || 0)); });
    SINGLE.forEach(function (k, j) {
      Object.keys(perFacet[j]).forEach(function (v) { add(k + '=' + v, perFacet[j][v]); });
      add(k + '=', anyOf[j]);
    });
    inputs.forEach(function (el, i) {
      var n = el.type === 'checkbox' && el.checked ? current : (tally[el.name + '=' + el.value] || 0);
      if (countOf[i]) countOf[i].textContent = '(' + number(n) + ')';
    });
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
     `r` is null for a card the rule hides, shown because the candidate asked to see those. */
  function decorate(card, match, r, st) {
    card.classList.toggle('is-excluded', !r);
    markPreferred(card, st);
    if (!match) return;
    var text = S.excluded_card;
    var hide = false;
    if (r) {
      var total = r.site.preferred.length;
      text = say('match_preferred', r.matched, { total: total });
      hide = !(st.offer.length && total);
    }
    if (match.hidden !== hide) match.hidden = hide;
    if (match.textContent !== text) match.textContent = text;
  }

  function showCard(card, visible) { if (card.hidden === visible) card.hidden = !visible; }

  /* A list on one page: its cards shown, hidden and put in order. */
  function placeCards(shown, left, st) {
    var seen = {};
    var wanted = [];
    shown.forEach(function (r) {
      var card = cards[r.site.id];
      if (!card) return;
      seen[r.site.id] = true;
      wanted.push(r.site.id);
      showCard(card, true);
      decorate(card, matches[r.site.id], r, st);
    });
    left.forEach(function (s) {
      var card = cards[s.id];
      if (!card || !reveal) return;
      seen[s.id] = true;
      wanted.push(s.id);
      showCard(card, true);
      decorate(card, matches[s.id], null, st);
    });
    sites.forEach(function (s) {
      var card = cards[s.id];
      if (card && !seen[s.id]) showCard(card, false);
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
    var shown = apply(st);
    var left = hiddenByRule(st);
    current = shown.length;
    if (source) big.place(shown, left, st);
    else placeCards(shown, left, st);
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
    updateCounts(st);
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
    var chunks = {};
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
    /* The facet index, as the sites of this list (the same objects a list on one page has). */
    function loadIndex() {
      if (!index) index = get(source.index).then(function (ix) {
        var keys = ix.combos.map(function (c) {
          return c.map(function (part) { return part.map(function (k) { return ix.keys[k]; }); });
        });
        var p = 0;
        for (var i = source.start; i < source.end; i++) {
          while (p + 1 < ix.programmes.length && ix.programmes[p + 1][1] <= i) p++;
          var c = keys[ix.combo[i]];
          sites.push({
            index: i, programme: ix.programmes[p][0], area: ix.areas[ix.area[i]], volunteers: ix.volunteers[i],
            required: c[0], preferred: c[1], obligations: c[2], combo: ix.combo[i], text: ''
          });
        }
        index.done = true;
      });
      return index;
    }
    function loadText() {
      if (!text) text = loadIndex().then(function () { return get(source.text); }).then(function (t) {
        sites.forEach(function (s) { s.text = t[s.index]; });
        text.done = true;
      });
      return text;
    }
    function chunk(n) {
      if (!chunks[n]) chunks[n] = get(source.cards.replace('{n}', n));
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
    function makeCard(c, s) {
      var card = full.cloneNode(true);
      card.setAttribute('data-site', c.id);
      var h = card.querySelector('.card-title');
      if (c.lang) { h.setAttribute('lang', c.lang); h.setAttribute('dir', c.dir || 'ltr'); }
      var a = h.querySelector('a');
      a.setAttribute('href', c.href);
      a.textContent = c.title;
      var requires = card.querySelector('.requires');
      if (s.required.length) fillKeys(requires, requires.querySelector('[data-key]'), s.required);
      else requires.parentNode.removeChild(requires);
      var facts = card.querySelectorAll('.card-facts > div > dd');
      [c.code, c.address, c.volunteers, c.hours].forEach(function (v, i) {
        if (v) facts[i].textContent = v;
        else facts[i].parentNode.parentNode.removeChild(facts[i].parentNode);
      });
      [['.badges-preferred', s.preferred], ['.badges-obligations', s.obligations]].forEach(function (b) {
        var ul = card.querySelector(b[0]);
        if (b[1].length) {
          var li = ul.firstElementChild;
          fillKeys(ul, li, b[1]);
        } else {
          ul.parentNode.removeChild(ul.previousElementSibling);
          ul.parentNode.removeChild(ul);
        }
      });
      if (!s.required.length && !s.preferred.length) {
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
          var st2 = readQuery(location.search);
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
          if (mine === generation) render(readQuery(location.search));
        }, function () {
          failed = true;
          loading(false);
          status.textContent = S.filters_failed;
        });
      },
      loaded: function () { return !failed && !!(index && index.done); },
      prefetch: function () { if (!failed) loadIndex().catch(function () {}); },
      place: function (shown, left, st) {
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
        var results = shown.concat(reveal ? left.map(function (s) { return { site: s, excluded: true }; }) : []);
        var pages = Math.max(1, Math.ceil(results.length / source.page_size));
        var page = Math.min(st.page, pages);
        var slice = results.slice((page - 1) * source.page_size, page * source.page_size);
        var wanted = {};
        slice.forEach(function (r) { wanted[Math.floor(r.site.index / source.chunk)] = true; });
        Promise.all(Object.keys(wanted).map(function (n) {
          return chunk(n).then(function (c) { wanted[n] = c; });
        })).then(function () {
          if (mine !== generation) return;
          var frag = document.createDocumentFragment();
          slice.forEach(function (r) {
            var c = wanted[Math.floor(r.site.index / source.chunk)][r.site.index % source.chunk];
            var card = makeCard(c, r.site);
            decorate(card, card.querySelector('[data-match]'), r.excluded ? null : r, st);
            frag.appendChild(card);
          });
          list.textContent = '';
          list.appendChild(frag);
          if (staticNav) staticNav.hidden = true;
          pageNav(st, page, pages);
          loading(false);
        }, function () {
          if (mine !== generation) return;
          loading(false);
          status.textContent = S.filters_failed;
        });
      },
      total: total
    };
  })();

  function commit(st, push) {
    toForm(st);
    var q = toQuery(st);
    if (q !== location.search) history[push ? 'pushState' : 'replaceState'](null, '', location.pathname + q);
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
  excludedButton.addEventListener('click', function () { reveal = !reveal; render(readQuery(location.search)); });
  window.addEventListener('popstate', function () { var st = readQuery(location.search); toForm(st); render(st); });

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
