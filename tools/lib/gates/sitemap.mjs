// Gate `sitemap`: sitemap.xml of every site
// - is valid against the sitemaps.org 0.9 schema with the XHTML link extension (xmllint and
//   the schemas vendored in tools/schemas/);
// - lists only pages that exist in the output, once each;
// - has hreflang alternates that exist, include the URL itself, and are reciprocal (every
//   page A listing B as an alternate is listed by B);
// and the <link rel="alternate" hreflang> of every HTML page obey the same rules and agree
// with the sitemap.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { decodeEntities, lineIndex, tokens } from '../html.mjs';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCHEMA = path.join(TOOLS, 'schemas/sitemap-hreflang.xsd');
const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const XHTML_NS = 'http://www.w3.org/1999/xhtml';

/** The <url> entries of a sitemap: [{ loc, line, alternates: [{ hreflang, href, line }] }]. */
export function parseSitemap(xml) {
  const lineOf = lineIndex(xml);
  const root = /<([A-Za-z_][\w.-]*:)?urlset\b([^>]*)>/.exec(xml);
  const prefixes = new Map();
  if (root) {
    for (const m of root[2].matchAll(/xmlns(?::([\w.-]+))?\s*=\s*("([^"]*)"|'([^']*)')/g)) {
      prefixes.set(m[1] || '', m[3] ?? m[4]);
    }
  }
  const xhtml = [...prefixes].filter(([, ns]) => ns === XHTML_NS).map(([p]) => p);
  const urls = [];
  const strays = [];
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?url\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?url>/g)) {
    const body = m[1];
    const start = m.index + m[0].indexOf(body);
    const loc = /<(?:[\w.-]+:)?loc\b[^>]*>([\s\S]*?)<\/(?:[\w.-]+:)?loc>/.exec(body);
    const entry = { loc: loc ? decodeEntities(loc[1].trim()) : null, line: lineOf(m.index), alternates: [] };
    for (const el of body.matchAll(/<([\w.-]+):([\w.-]+)\b([^>]*?)\/?>/g)) {
      if (!xhtml.includes(el[1])) continue;
      if (el[2] !== 'link') {
        strays.push({ line: lineOf(start + el.index), text: `<${el[1]}:${el[2]}>` });
        continue;
      }
      const attrs = {};
      for (const a of el[3].matchAll(/([\w:-]+)\s*=\s*("([^"]*)"|'([^']*)')/g)) attrs[a[1]] = decodeEntities(a[3] ?? a[4]);
      if (tokens(attrs.rel).includes('alternate')) {
        entry.alternates.push({ hreflang: attrs.hreflang, href: attrs.href, line: lineOf(start + el.index) });
      }
    }
    urls.push(entry);
  }
  return { urls, strays, defaultNs: prefixes.get('') };
}

function normal(href, base) {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
}

/** Checks one set of alternates (from the sitemap or from the pages' heads). */
function checkAlternates(site, entries, where, problems) {
  const byUrl = new Map();
  for (const e of entries) byUrl.set(e.url, e);
  for (const e of entries) {
    if (e.alternates.length === 0) continue;
    const langs = new Map();
    let self = false;
    for (const a of e.alternates) {
      const href = normal(a.href, e.url);
      if (!href) {
        problems.push(`${where(e, a)}: alternate href ${JSON.stringify(a.href)} is not a URL`);
        continue;
      }
      if (langs.has(a.hreflang) && langs.get(a.hreflang) !== href) {
        problems.push(`${where(e, a)}: hreflang ${a.hreflang} given twice (${langs.get(a.hreflang)} and ${href})`);
      }
      langs.set(a.hreflang, href);
      if (href === e.url) self = true;
      const r = site.resolve(new URL(href));
      if (r.error) {
        problems.push(`${where(e, a)}: alternate ${a.hreflang} ${href}: ${r.error}`);
        continue;
      }
      if (href === e.url) continue;
      const other = byUrl.get(href);
      if (!other) {
        problems.push(`${where(e, a)}: alternate ${a.hreflang} ${href} is not listed itself, so it cannot link back to ${e.url}`);
      } else if (!other.alternates.some((b) => normal(b.href, other.url) === e.url)) {
        problems.push(`${where(e, a)}: not reciprocal: ${e.url} lists ${href} (${a.hreflang}), which does not list ${e.url}`);
      }
    }
    if (!self) problems.push(`${where(e, e.alternates[0])}: ${e.url} has alternates but does not list itself among them`);
  }
}

export async function sitemap(sites) {
  const problems = [];
  let nUrls = 0;
  let nAlternates = 0;
  let nPages = 0;
  for (const site of sites) {
    const tag = site.name;
    if (!site.fileSet.has('sitemap.xml')) {
      problems.push(`${tag}: no sitemap.xml in the output`);
      continue;
    }
    const file = path.join(site.dir, 'sitemap.xml');
    const lint = spawnSync(process.env.XMLLINT || 'xmllint', ['--noout', '--nonet', '--schema', SCHEMA, file], { encoding: 'utf8' });
    if (lint.error) {
      problems.push(`${tag}: cannot run xmllint: ${lint.error.message}`);
    } else if (lint.status !== 0) {
      for (const line of lint.stderr.split('\n')) {
        if (line.trim() && !line.endsWith('fails to validate')) problems.push(`${tag}: ${line.replace(file, 'sitemap.xml')}`);
      }
      if (!problems.length) problems.push(`${tag}: sitemap.xml fails to validate (xmllint exit ${lint.status})`);
    }
    const xml = site.read('sitemap.xml');
    const parsed = parseSitemap(xml);
    if (parsed.defaultNs !== SITEMAP_NS) problems.push(`${tag}: sitemap.xml: root namespace is not ${SITEMAP_NS}`);
    for (const s of parsed.strays) problems.push(`${tag}: sitemap.xml:${s.line}: ${s.text}: only link is allowed from the XHTML namespace`);
    const seen = new Set();
    const entries = [];
    for (const u of parsed.urls) {
      nUrls++;
      nAlternates += u.alternates.length;
      const at = `${tag}: sitemap.xml:${u.line}`;
      if (!u.loc) {
        problems.push(`${at}: <url> without <loc>`);
        continue;
      }
      const url = normal(u.loc);
      if (!url) {
        problems.push(`${at}: <loc> ${JSON.stringify(u.loc)} is not an absolute URL`);
        continue;
      }
      if (seen.has(url)) problems.push(`${at}: ${url} is listed twice`);
      seen.add(url);
      const r = site.resolve(new URL(url));
      if (r.error) problems.push(`${at}: <loc> ${url}: ${r.error}`);
      else if (!r.file.endsWith('.html')) problems.push(`${at}: <loc> ${url} is not a page (${r.file})`);
      entries.push({ url, line: u.line, alternates: u.alternates });
    }
    checkAlternates(site, entries, (e, a) => `${tag}: sitemap.xml:${a?.line ?? e.line}`, problems);

    // The same rules for the alternates in the pages' heads, which must agree with the
    // sitemap. A page whose rel=canonical names another page (a fallback showing another
    // language's text) is a duplicate of that page: it must repeat that page's alternates
    // and stay out of the sitemap, and is left out of the reciprocity rules.
    const pages = [];
    const duplicates = [];
    for (const rel of site.htmlFiles) {
      // The error page answers for any missing address: it is no page of its own.
      if (rel === '404.html') continue;
      const alternates = [];
      let canonical = null;
      for (const t of site.tags(rel)) {
        if (t.name !== 'link') continue;
        const rels = tokens(t.attrs.get('rel'));
        if (rels.includes('alternate') && t.attrs.has('hreflang')) {
          alternates.push({ hreflang: t.attrs.get('hreflang'), href: t.attrs.get('href') ?? '', line: t.line });
        }
        if (rels.includes('canonical') && canonical === null) canonical = normal(t.attrs.get('href') ?? '', site.urlOf(rel));
      }
      if (alternates.length) nPages++;
      const page = { url: site.urlOf(rel), rel, alternates, canonical };
      if (canonical && canonical !== page.url) duplicates.push(page);
      else pages.push(page);
    }
    checkAlternates(site, pages, (e, a) => `${tag}: ${e.rel}:${a.line}`, problems);
    const key = (list, base) => {
      const set = list.map((a) => `${a.hreflang} ${normal(a.href, base)}`).sort();
      // Listing only itself says as much as listing nothing.
      return set.length === 1 && set[0].endsWith(` ${base}`) ? '' : set.join('\n');
    };
    const inSitemap = new Map(entries.map((e) => [e.url, e]));
    const byUrl = new Map(pages.map((p) => [p.url, p]));
    for (const p of pages) {
      const s = inSitemap.get(p.url);
      if (s && key(p.alternates, p.url) !== key(s.alternates, s.url)) {
        problems.push(`${tag}: ${p.rel}: the page's hreflang alternates differ from its sitemap entry (sitemap.xml:${s.line})`);
      }
    }
    for (const d of duplicates) {
      if (inSitemap.has(d.url)) problems.push(`${tag}: ${d.rel}: in the sitemap, but its canonical URL is ${d.canonical}`);
      const c = byUrl.get(d.canonical);
      if (!c) continue; // the links gate reports a canonical URL that is not a page
      if (key(d.alternates, d.canonical) !== key(c.alternates, c.url)) {
        problems.push(`${tag}: ${d.rel}: its hreflang alternates differ from those of its canonical page ${c.rel}`);
      }
    }
  }
  return {
    ok: problems.length === 0,
    summary: `${sites.length} sitemaps, ${nUrls} URLs, ${nAlternates} alternates; ${nPages} pages with alternates`,
    problems,
  };
}
