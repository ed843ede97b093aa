// Gate `external`: nothing in the output makes a visitor's browser contact another host.
// Every URL the browser loads by itself - script src, img src/srcset, <link> other than
// plain links (stylesheet, icon, preload, preconnect...), iframe, media, CSS url() and
// @import - must be on the site's own origin, and JavaScript (files and inline scripts)
// must name no other host. Plain links to other hosts (<a href>, rel=canonical...) are fine.

import { isScriptRun, referencesOf } from '../refs.mjs';
import { lineIndex } from '../html.mjs';
import { describe } from './links.mjs';

/** Namespace names used as identifiers, never fetched. */
const NAMESPACES = new Set([
  'http://www.w3.org/2000/svg', 'http://www.w3.org/1999/xhtml', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/1998/Math/MathML',
]);

/** Absolute and protocol-relative URLs in JavaScript source: [{ value, line }]. */
export function scriptUrls(js) {
  const lineOf = lineIndex(js);
  const out = [];
  const re = /\b(?:https?|wss?):\/\/[^\s'"`)<>\\]+|(?<=['"`(])\/\/[a-z0-9-]+(?:\.[a-z0-9-]+)+(?::\d+)?(?=[/'"`?#])/gi;
  let m;
  while ((m = re.exec(js))) {
    const value = m[0].replace(/[.,;]+$/, '');
    if (!NAMESPACES.has(value)) out.push({ value, line: lineOf(m.index) });
  }
  return out;
}

export async function external(sites) {
  const problems = [];
  let resources = 0;
  let scripts = 0;
  for (const site of sites) {
    const foreign = (value, base) => {
      try {
        const url = new URL(value, base);
        return /^(https?|wss?):$/.test(url.protocol) && url.host !== site.base.host ? url : null;
      } catch {
        return null;
      }
    };
    for (const r of referencesOf(site)) {
      if (!r.loads) continue;
      resources++;
      const url = foreign(r.value, r.base);
      if (url) problems.push(`${describe(site, r)}: loads from another host (${url.host})`);
    }
    const check = (file, line0, js, base) => {
      scripts++;
      for (const u of scriptUrls(js)) {
        const url = foreign(u.value, base);
        if (url) problems.push(`${site.name}: ${file}:${line0 + u.line - 1}: script names another host: ${u.value}`);
      }
    };
    for (const rel of site.files) {
      if (/\.m?js$/.test(rel)) check(rel, 1, site.read(rel), site.urlOf(rel));
      if (rel.endsWith('.html')) {
        for (const t of site.tags(rel)) {
          if (t.name === 'script' && !t.attrs.has('src') && t.text && isScriptRun(t)) check(rel, t.textLine, t.text, site.urlOf(rel));
          for (const [attr, value] of t.attrs) {
            if (attr.startsWith('on')) check(rel, t.line, value, site.urlOf(rel));
          }
        }
      }
    }
  }
  return {
    ok: problems.length === 0,
    summary: `${resources} resource URLs, ${scripts} scripts`,
    problems,
  };
}
