/* Requirement filters: show the sites a candidate qualifies for.
   Same rules as src/filter.rs (tested against the same cases):
   - a site is shown when every one of its required keys is in "offer";
   - a site asking an obligation in "cannot" is hidden;
   - programme, area and volunteers facets match exactly; "q" matches title and address;
   - shown sites are ordered by how many preferred keys are offered, then by listing order.
   The state lives in the query string (?offer=a,b&cannot=c), the same in every language. */
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

  /* How many sites each choice would leave. */
  function updateCounts(st) {
    form.querySelectorAll('input[type="checkbox"], input[type="radio"]').forEach(function (el) {
      var next = JSON.parse(JSON.stringify(st));
      if (el.type === 'checkbox') { if (next[el.name].indexOf(el.value) < 0) next[el.name].push(el.value); }
      else next[el.name] = el.value;
      var out = el.parentNode.querySelector('[data-count]');
      if (out) out.textContent = '(' + apply(next).length + ')';
    });
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
      var label = k === 'q' ? '"' + st.q + '"' : (input ? input.parentNode.querySelector('span').textContent : st[k]);
      consider(label, function (x) { x[k] = ''; });
    });
    return best;
  }

  var order = sites.map(function (s) { return s.id; });

  function render(st) {
    var shown = apply(st);
    var seen = {};
    var wanted = [];
    shown.forEach(function (r) {
      var card = cards[r.site.id];
      if (!card) return;
      seen[r.site.id] = true;
      wanted.push(r.site.id);
      if (card.hidden) card.hidden = false;
      var match = card.querySelector('[data-match]');
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
      if (card && !seen[s.id]) { wanted.push(s.id); if (!card.hidden) card.hidden = true; }
    });
    // Cards move only when the order changed: moving a thousand nodes costs a full layout.
    if (wanted.join('\n') !== order.join('\n')) {
      var frag = document.createDocumentFragment();
      wanted.forEach(function (id) { if (cards[id]) frag.appendChild(cards[id]); });
      list.appendChild(frag);
      order = wanted;
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
