// Every reference a built site makes to a URL: in HTML attributes, in CSS (files, <style>
// and style="") and in robots.txt, each marked with whether the browser loads it by itself
// (a resource: script, stylesheet, image, font...) or only follows it when asked (a link).

import { cssUrls, srcsetUrls, tokens } from './html.mjs';

/** <link rel> values that only point somewhere: nothing is fetched for them. */
const LINK_ONLY_RELS = new Set([
  'alternate', 'author', 'bookmark', 'canonical', 'external', 'help', 'home', 'index', 'license', 'me',
  'next', 'nofollow', 'noopener', 'noreferrer', 'prev', 'privacy-policy', 'search', 'shortlink', 'tag',
  'terms-of-service', 'up',
]);

/** Attributes whose URL the browser loads, per element. */
const LOADING = {
  script: ['src'],
  img: ['src', 'srcset'],
  source: ['src', 'srcset'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  audio: ['src'],
  video: ['src', 'poster'],
  track: ['src'],
  image: ['href', 'xlink:href'],
  use: ['href', 'xlink:href'],
  feimage: ['href', 'xlink:href'],
};

/** Attributes holding a URL that is only followed (navigation, metadata). */
const LINKING = { a: ['href'], area: ['href'], form: ['action'], blockquote: ['cite'], q: ['cite'], del: ['cite'], ins: ['cite'] };

const URL_META = new Set(['og:url', 'og:image', 'og:image:url', 'og:image:secure_url', 'twitter:image']);

/** JavaScript types of <script>: any other type (JSON-LD, JSON data) is not run. */
export function isScriptRun(tag) {
  const type = (tag.attrs.get('type') || '').trim().toLowerCase();
  return type === '' || type === 'module' || /^(text|application)\/(x-)?(java|ecma)script$/.test(type);
}

/**
 * All references of a site: [{ file, line, where, value, base, loads }], where `base` is the
 * URL the value is relative to and `where` shows the element and attribute.
 */
export function referencesOf(site) {
  const out = [];
  for (const rel of site.files) {
    const pageUrl = site.urlOf(rel);
    if (rel.endsWith('.html')) {
      for (const t of site.tags(rel)) {
        const add = (attr, value, loads) => {
          const values = attr === 'srcset' ? srcsetUrls(value) : [value.trim()];
          for (const v of values) out.push({ file: rel, line: t.line, where: `<${t.name} ${attr}>`, value: v, base: pageUrl, loads });
        };
        for (const attr of LOADING[t.name] || []) if (t.attrs.has(attr)) add(attr, t.attrs.get(attr), true);
        for (const attr of LINKING[t.name] || []) if (t.attrs.has(attr)) add(attr, t.attrs.get(attr), false);
        if (t.name === 'input' && (t.attrs.get('type') || '').toLowerCase() === 'image' && t.attrs.has('src')) {
          add('src', t.attrs.get('src'), true);
        }
        if (t.name === 'link' && t.attrs.has('href')) {
          const rels = tokens(t.attrs.get('rel'));
          const loads = rels.length === 0 || rels.some((r) => !LINK_ONLY_RELS.has(r));
          out.push({
            file: rel, line: t.line, where: `<link rel="${rels.join(' ')}" href>`, value: t.attrs.get('href').trim(), base: pageUrl, loads,
          });
        }
        if (t.name === 'meta' && URL_META.has((t.attrs.get('property') || t.attrs.get('name') || '').toLowerCase())) {
          out.push({
            file: rel, line: t.line, where: `<meta property="${t.attrs.get('property') || t.attrs.get('name')}">`,
            value: (t.attrs.get('content') || '').trim(), base: pageUrl, loads: false,
          });
        }
        if (t.name === 'meta' && (t.attrs.get('http-equiv') || '').toLowerCase() === 'refresh') {
          const m = /url\s*=\s*['"]?([^'"]+)/i.exec(t.attrs.get('content') || '');
          if (m) out.push({ file: rel, line: t.line, where: '<meta http-equiv="refresh">', value: m[1].trim(), base: pageUrl, loads: true });
        }
        if (t.attrs.has('style')) {
          for (const u of cssUrls(t.attrs.get('style'))) {
            out.push({ file: rel, line: t.line, where: `<${t.name} style> url()`, value: u.value, base: pageUrl, loads: true });
          }
        }
        if (t.name === 'style' && t.text) {
          for (const u of cssUrls(t.text)) {
            out.push({ file: rel, line: t.textLine + u.line - 1, where: '<style> url()', value: u.value, base: pageUrl, loads: true });
          }
        }
      }
    } else if (rel.endsWith('.css')) {
      for (const u of cssUrls(site.read(rel))) {
        out.push({ file: rel, line: u.line, where: 'url()', value: u.value, base: pageUrl, loads: true });
      }
    } else if (rel === 'robots.txt') {
      site.read(rel).split('\n').forEach((line, i) => {
        const m = /^\s*sitemap\s*:\s*(\S+)/i.exec(line);
        if (m) out.push({ file: rel, line: i + 1, where: 'Sitemap:', value: m[1], base: pageUrl, loads: false });
      });
    }
  }
  return out;
}
