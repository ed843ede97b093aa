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
  var sites = data.sites;
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

  /* The one folding rule (src/filter.rs `fold`): lower case, NFD, no nonspacing marks, then
     the letters Unicode does not decompose, from the page's data. */
  var letters = data.fold || {};
  function fold(s) {
    return s.toLowerCase().normalize('NFD').replace(/\p{Mn}/gu, '')
      .replace(/./gu, function (c) { return letters[c] !== undefined ? letters[c] : c; });
  }
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

  function emptyState() { return { offer: [], said: false, cannot: [], programme: '', area: '', volunteers: '', q: '' }; }

  function readQuery(search) {
    var st = emptyState();
    new URLSearchParams(search).forEach(function (v, k) {
      if (LISTS.indexOf(k) >= 0) st[k] = v.split(',').filter(Boolean);
      else if (SINGLE.indexOf(k) >= 0 || k === 'q') st[k] = v;
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
    return parts.length ? '?' + parts.join('&') : '';
  }

  function offers(st, k) { return st.offer.indexOf(k) >= 0; }
  /* Whether the requirement and obligation rule lets the site through. */
  function qualifies(s, st) {
    if (st.said && !s.required.every(function (k) { return offers(st, k); })) return false;
    return !s.obligations.some(function (k) { return st.cannot.indexOf(k) >= 0; });
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
    var shown = [];
    sites.forEach(function (s, i) {
      if (!selected(s, st, w) || !qualifies(s, st)) return;
      var matched = s.preferred.filter(function (k) { return offers(st, k); }).length;
      shown.push({ site: s, index: i, matched: matched });
    });
    return shown.sort(function (a, b) { return b.matched - a.matched || a.index - b.index; });
  }

  /* The sites the facets and search keep but the requirement rule hides, in listing order. */
  function hiddenByRule(st) {
    var w = words(st);
    return sites.filter(function (s) { return selected(s, st, w) && !qualifies(s, st); });
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
  function updateCounts(st) {
    var w = words(st);
    var tally = {};
    function add(key) { tally[key] = (tally[key] || 0) + 1; }
    sites.forEach(function (s) {
      var missing = s.required.filter(function (k) { return !offers(st, k); });
      var blocked = s.obligations.some(function (k) { return st.cannot.indexOf(k) >= 0; });
      var text = w.every(function (x) { return s.text.indexOf(x) >= 0; });
      var facet = { programme: s.programme, area: s.area, volunteers: bucket(s.volunteers) };
      var wrong = SINGLE.filter(function (k) { return st[k] && st[k] !== facet[k]; });
      if (!text || wrong.length > 1) return;
      var offerOk = !st.said || missing.length === 0;
      if (wrong.length === 0) {
        // Ticking a requirement says the offer is the ticked ones plus it ("none" goes).
        if (!blocked && missing.length <= 1) REQUIREMENT_KEYS.forEach(function (k) {
          if (missing.length === 0 || missing[0] === k) add('offer=' + k);
        });
        if (!blocked && s.required.length === 0) add('offer=' + NONE);
        if (offerOk) OBLIGATION_KEYS.forEach(function (k) {
          if (!blocked && s.obligations.indexOf(k) < 0) add('cannot=' + k);
        });
      }
      if (offerOk && !blocked) SINGLE.forEach(function (k) {
        if (wrong.length === 0 || wrong[0] === k) { add(k + '=' + facet[k]); add(k + '='); }
      });
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

  function showCard(card, visible) { if (card.hidden === visible) card.hidden = !visible; }

  function render(st) {
    var shown = apply(st);
    var left = hiddenByRule(st);
    current = shown.length;
    var seen = {};
    var wanted = [];
    shown.forEach(function (r) {
      var card = cards[r.site.id];
      if (!card) return;
      seen[r.site.id] = true;
      wanted.push(r.site.id);
      showCard(card, true);
      card.classList.remove('is-excluded');
      markPreferred(card, st);
      var match = matches[r.site.id];
      if (match) {
        var total = r.site.preferred.length;
        var text = say('match_preferred', r.matched, { total: total });
        var hide = !(st.offer.length && total);
        if (match.hidden !== hide) match.hidden = hide;
        if (match.textContent !== text) match.textContent = text;
      }
    });
    left.forEach(function (s) {
      var card = cards[s.id];
      if (!card || !reveal) return;
      seen[s.id] = true;
      wanted.push(s.id);
      showCard(card, true);
      card.classList.add('is-excluded');
      markPreferred(card, st);
      var match = matches[s.id];
      if (match) {
        match.hidden = false;
        match.textContent = S.excluded_card;
      }
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
    status.textContent = say('results_count', shown.length);
    summaryResults.textContent = say('sites_count', shown.length);
    var set = setFilters(st);
    setCount.hidden = set === 0;
    setCount.firstElementChild.textContent = '(' + number(set) + ')';
    setCount.lastElementChild.textContent = say('filters_set', set);
    excluded.hidden = left.length === 0;
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
        b.addEventListener('click', function () { hint.change(st); commit(st, true); });
        empty.appendChild(b);
      }
    }
    document.querySelectorAll('.lang-switcher a[href]').forEach(function (a) {
      if (!a.dataset.base) a.dataset.base = a.getAttribute('href').split('?')[0];
      a.setAttribute('href', a.dataset.base + toQuery(st));
    });
  }

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
  document.getElementById('f-clear').addEventListener('click', function () { reveal = false; commit(emptyState(), true); });
  excludedButton.addEventListener('click', function () { reveal = !reveal; render(readQuery(location.search)); });
  window.addEventListener('popstate', function () { var st = readQuery(location.search); toForm(st); render(st); });

  /* On a phone the panel starts folded, so the first results are on the first screen. */
  var wide = window.matchMedia('(min-width: 48em)');
  panel.open = wide.matches;
  form.hidden = false;
  panel.hidden = false;
  var initial = readQuery(location.search);
  toForm(initial);
  render(initial);
  window.brochureFilters = { apply: apply, readQuery: readQuery, hiddenByRule: hiddenByRule, fold: fold };
})();
