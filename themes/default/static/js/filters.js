/* Requirement filters: the rules of src/filter.rs (tested on the same cases). A site shows
   when all its required keys are offered and it asks no obligation the candidate cannot
   meet; sites are ordered by preferred keys offered. State: ?offer=a,b&cannot=c */
(function () {
  'use strict';
  var form = document.getElementById('filters');
  var dataEl = document.getElementById('filter-data');
  var list = document.querySelector('[data-site-list]');
  if (!form || !dataEl || !list) return;
  var data = JSON.parse(dataEl.textContent);
  var S = data.strings;
  var sites = data.sites;
  var cards = {};
  list.querySelectorAll('[data-site]').forEach(function (c) { cards[c.getAttribute('data-site')] = c; });
  var status = document.getElementById('f-status');
  var empty = document.getElementById('f-empty');
  var LISTS = ['offer', 'cannot'];
  var SINGLE = ['programme', 'area', 'volunteers'].filter(function (k) { return form.elements[k]; });

  function fold(s) { return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  function bucket(n) { return n <= 1 ? '1' : n === 2 ? '2' : '3+'; }
  function fill(text, vars) {
    return String(text).replace(/\{(\w+)\}/g, function (m, k) { return k in vars ? vars[k] : m; });
  }
  function plural(entry, n) {
    return typeof entry === 'string' ? entry : (n === 1 ? entry.one : entry.other);
  }

  function emptyState() { return { offer: [], cannot: [], programme: '', area: '', volunteers: '', q: '' }; }

  function readQuery(search) {
    var st = emptyState();
    new URLSearchParams(search).forEach(function (v, k) {
      if (LISTS.indexOf(k) >= 0) st[k] = v.split(',').filter(Boolean);
      else if (SINGLE.indexOf(k) >= 0 || k === 'q') st[k] = v;
    });
    return st;
  }

  function toQuery(st) {
    var parts = [];
    LISTS.forEach(function (k) { if (st[k].length) parts.push(k + '=' + st[k].map(encodeURIComponent).join(',')); });
    SINGLE.concat('q').forEach(function (k) { if (st[k]) parts.push(k + '=' + encodeURIComponent(st[k])); });
    return parts.length ? '?' + parts.join('&') : '';
  }

  function score(s, st, words) {
    if (!s.required.every(function (k) { return st.offer.indexOf(k) >= 0; })) return -1;
    if (s.obligations.some(function (k) { return st.cannot.indexOf(k) >= 0; })) return -1;
    if (st.programme && st.programme !== s.programme) return -1;
    if (st.area && st.area !== s.area) return -1;
    if (st.volunteers && st.volunteers !== bucket(s.volunteers)) return -1;
    for (var i = 0; i < words.length; i++) if (s.text.indexOf(words[i]) < 0) return -1;
    return s.preferred.filter(function (k) { return st.offer.indexOf(k) >= 0; }).length;
  }

  function apply(st) {
    var words = fold(st.q.trim()).split(/\s+/).filter(Boolean);
    var shown = [];
    sites.forEach(function (s, i) {
      var n = score(s, st, words);
      if (n >= 0) shown.push({ site: s, index: i, matched: n });
    });
    return shown.sort(function (a, b) { return b.matched - a.matched || a.index - b.index; });
  }

  function fromForm() {
    var st = emptyState();
    LISTS.forEach(function (k) {
      form.querySelectorAll('input[name="' + k + '"]:checked').forEach(function (el) { st[k].push(el.value); });
    });
    SINGLE.forEach(function (k) { st[k] = form.elements[k].value; });
    st.q = form.elements.q.value;
    return st;
  }

  function toForm(st) {
    form.querySelectorAll('input[type="checkbox"]').forEach(function (el) {
      el.checked = st[el.name].indexOf(el.value) >= 0;
    });
    SINGLE.forEach(function (k) {
      form.querySelectorAll('input[name="' + k + '"]').forEach(function (el) { el.checked = el.value === st[k]; });
    });
    form.elements.q.value = st.q;
  }

  /* How many sites each choice would leave, in one pass over the sites. */
  var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"], input[type="radio"]'));
  var countOf = inputs.map(function (el) { return el.parentNode.querySelector('[data-count]'); });
  function updateCounts(st) {
    var words = fold(st.q.trim()).split(/\s+/).filter(Boolean);
    var tally = {};
    function add(key) { tally[key] = (tally[key] || 0) + 1; }
    sites.forEach(function (s) {
      var missing = s.required.filter(function (k) { return st.offer.indexOf(k) < 0; });
      var blocked = s.obligations.some(function (k) { return st.cannot.indexOf(k) >= 0; });
      var text = words.every(function (w) { return s.text.indexOf(w) >= 0; });
      var facet = { programme: s.programme, area: s.area, volunteers: bucket(s.volunteers) };
      var wrong = SINGLE.filter(function (k) { return st[k] && st[k] !== facet[k]; });
      if (!text || wrong.length > 1) return;
      var others = !blocked && missing.length === 0;
      if (wrong.length === 0) {
        if (!blocked && missing.length <= 1) REQUIREMENT_KEYS.forEach(function (k) {
          if (missing.length === 0 || missing[0] === k) add('offer=' + k);
        });
        if (missing.length === 0) OBLIGATION_KEYS.forEach(function (k) {
          if (!blocked && s.obligations.indexOf(k) < 0) add('cannot=' + k);
        });
      }
      if (others) SINGLE.forEach(function (k) {
        if (wrong.length === 0 || wrong[0] === k) { add(k + '=' + facet[k]); add(k + '='); }
      });
    });
    inputs.forEach(function (el, i) {
      var key = el.name + '=' + el.value;
      if (el.type === 'checkbox' && st[el.name].indexOf(el.value) >= 0) key = 'now';
      var n = key === 'now' ? current : (tally[key] || 0);
      if (countOf[i]) countOf[i].textContent = '(' + n + ')';
    });
  }
  var current = 0;
  var REQUIREMENT_KEYS = inputs.filter(function (el) { return el.name === 'offer'; }).map(function (el) { return el.value; });
  var OBLIGATION_KEYS = inputs.filter(function (el) { return el.name === 'cannot'; }).map(function (el) { return el.value; });

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
      var label = k === 'q' ? '"' + st.q + '"' : (input ? input.parentNode.querySelector('span').textContent : st[k]);
      consider(label, function (x) { x[k] = ''; });
    });
    return best;
  }

  var matches = {};
  Object.keys(cards).forEach(function (id) { matches[id] = cards[id].querySelector('[data-match]'); });

  function render(st) {
    var shown = apply(st);
    current = shown.length;
    var seen = {};
    var wanted = [];
    shown.forEach(function (r) {
      var card = cards[r.site.id];
      if (!card) return;
      seen[r.site.id] = true;
      wanted.push(r.site.id);
      if (card.hidden) card.hidden = false;
      var match = matches[r.site.id];
      if (match) {
        var total = r.site.preferred.length;
        var text = fill(S.match_preferred, { n: r.matched, total: total });
        var hide = !(st.offer.length && total);
        if (match.hidden !== hide) match.hidden = hide;
        if (match.textContent !== text) match.textContent = text;
      }
    });
    sites.forEach(function (s) {
      var card = cards[s.id];
      if (card && !seen[s.id] && !card.hidden) card.hidden = true;
    });
    // Only shown cards need to be in order; they move only when it changed (moving costs a layout).
    var now = [];
    for (var c = list.firstElementChild; c; c = c.nextElementSibling) if (!c.hidden) now.push(c.getAttribute('data-site'));
    if (now.join('\n') !== wanted.join('\n')) {
      var frag = document.createDocumentFragment();
      wanted.forEach(function (id) { frag.appendChild(cards[id]); });
      list.appendChild(frag);
    }
    status.textContent = fill(plural(S.results_count, shown.length), { n: shown.length });
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
        b.textContent = fill(S.no_results_try, { filter: hint.label, n: hint.n });
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

  form.addEventListener('change', function (e) { if (e.target.name !== 'q') commit(fromForm(), true); });
  form.addEventListener('input', function (e) { if (e.target.name === 'q') commit(fromForm(), false); });
  form.addEventListener('submit', function (e) { e.preventDefault(); });
  document.getElementById('f-clear').addEventListener('click', function () { commit(emptyState(), true); });
  window.addEventListener('popstate', function () { var st = readQuery(location.search); toForm(st); render(st); });

  form.hidden = false;
  var initial = readQuery(location.search);
  toForm(initial);
  render(initial);
  window.brochureFilters = { apply: apply, readQuery: readQuery };
})();
