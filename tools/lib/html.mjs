// A small, dependency-free HTML tokenizer: enough to find every tag with its attributes,
// the text of <style> and <script> elements and every id, with line numbers. The pages it
// reads are checked by the Nu validator too, so it need not recover from broken markup the
// way a browser does; it only must not miss a tag or an attribute of valid HTML.

const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);

const NAMED = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

export function decodeEntities(s) {
  return s.replace(/&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (m, e) => {
    if (e[0] === '#') {
      const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(n) && n <= 0x10ffff ? String.fromCodePoint(n) : m;
    }
    return Object.hasOwn(NAMED, e) ? NAMED[e] : m;
  });
}

/** Line number (1-based) of each offset of `text`. */
export function lineIndex(text) {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

/**
 * Parses `text` into its start tags. Each tag: { name, attrs: Map(lower-case name -> decoded
 * value), line, text? } where `text` is the raw content of <script>, <style>, <textarea>
 * and <title>.
 */
export function parseHtml(text) {
  const lineOf = lineIndex(text);
  const tags = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const lt = text.indexOf('<', i);
    if (lt < 0) break;
    if (text.startsWith('<!--', lt)) {
      const end = text.indexOf('-->', lt + 4);
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (text[lt + 1] === '!' || text[lt + 1] === '?') {
      const end = text.indexOf('>', lt);
      i = end < 0 ? n : end + 1;
      continue;
    }
    if (text[lt + 1] === '/') {
      const end = text.indexOf('>', lt);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const m = /^<([a-zA-Z][a-zA-Z0-9:-]*)/.exec(text.slice(lt, lt + 64));
    if (!m) {
      i = lt + 1;
      continue;
    }
    const name = m[1].toLowerCase();
    const attrs = new Map();
    let j = lt + m[0].length;
    for (;;) {
      while (j < n && /\s/.test(text[j])) j++;
      if (j >= n) break;
      if (text[j] === '>') {
        j++;
        break;
      }
      if (text[j] === '/' && text[j + 1] === '>') {
        j += 2;
        break;
      }
      if (text[j] === '/') {
        j++;
        continue;
      }
      const an = /^[^\s"'>/=]+/.exec(text.slice(j, j + 256));
      if (!an) {
        j++;
        continue;
      }
      const attrName = an[0].toLowerCase();
      j += an[0].length;
      while (j < n && /\s/.test(text[j])) j++;
      let value = '';
      if (text[j] === '=') {
        j++;
        while (j < n && /\s/.test(text[j])) j++;
        const q = text[j];
        if (q === '"' || q === "'") {
          const end = text.indexOf(q, j + 1);
          value = text.slice(j + 1, end < 0 ? n : end);
          j = end < 0 ? n : end + 1;
        } else {
          const uv = /^[^\s>]*/.exec(text.slice(j))[0];
          value = uv;
          j += uv.length;
        }
      }
      if (!attrs.has(attrName)) attrs.set(attrName, decodeEntities(value));
    }
    const tag = { name, attrs, line: lineOf(lt) };
    if (RAW_TEXT.has(name)) {
      const close = new RegExp(`</${name}[\\s>/]`, 'i');
      const rest = text.slice(j);
      const cm = close.exec(rest);
      const end = cm ? j + cm.index : n;
      tag.text = text.slice(j, end);
      tag.textLine = lineOf(j);
      j = end;
    }
    tags.push(tag);
    i = j;
  }
  return tags;
}

/** Every id (and every <a name>) of a parsed page. */
export function idsOf(tags) {
  const ids = new Set();
  for (const t of tags) {
    if (t.attrs.has('id')) ids.add(t.attrs.get('id'));
    if (t.name === 'a' && t.attrs.has('name')) ids.add(t.attrs.get('name'));
  }
  return ids;
}

/** The URLs of a CSS text: url(...) and @import "...", each with its line (relative to `text`). */
export function cssUrls(text) {
  const out = [];
  // Blank out comments, keeping offsets (and so line numbers) unchanged.
  const css = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '));
  const lineOf = lineIndex(css);
  const re = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')/gi;
  let m;
  while ((m = re.exec(css))) {
    const value = m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? '';
    out.push({ value: value.replace(/\\(.)/g, '$1'), line: lineOf(m.index) });
  }
  return out;
}

/** The candidate URLs of a srcset attribute. */
export function srcsetUrls(value) {
  return value
    .split(/,\s+|,(?=\S)/)
    .map((c) => c.trim().split(/\s+/)[0])
    .filter(Boolean);
}

/** The space-separated tokens of an attribute such as rel, lower-cased. */
export function tokens(value) {
  return (value || '').toLowerCase().split(/\s+/).filter(Boolean);
}
