// Gates `axe`, `requests` and `screenshots`, from one run of headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core; no browser is downloaded) over every page of
// every site, served over HTTP on 127.0.0.1 under the path of its base URL, at each width:
// - axe: axe-core finds no violation of WCAG 2.0/2.1 A and AA on any page (and no page
//   throws a script error or fails to load);
// - requests: the pages make no request to any host but 127.0.0.1 (every request is
//   recorded; those to other hosts are blocked before they leave, and fail the gate);
// - screenshots: home, a programme, a site and a leaflet, in every language, at every
//   width, are saved as PNG files.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import { serve } from '../server.mjs';

const require = createRequire(import.meta.url);

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
export const WIDTHS = [1280, 375];

function launchArgs() {
  return [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-sync',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-domain-reliability',
    // Belt and braces: no name but the loopback address resolves, whatever a page asks.
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  ];
}

export function chromiumPath() {
  return process.env.CHROMIUM || '/usr/bin/chromium';
}

function langOf(site, rel) {
  const html = site.tags(rel).find((t) => t.name === 'html');
  return (html && html.attrs.get('lang')) || 'und';
}

/** The language-switcher links of a page: [{ lang, rel }] of the other languages' files. */
function otherLanguages(site, rel) {
  const out = [];
  for (const t of site.tags(rel)) {
    if (t.name !== 'a' || !t.attrs.has('hreflang') || !t.attrs.has('href')) continue;
    const r = site.resolve(new URL(t.attrs.get('href'), site.urlOf(rel)));
    if (r.file && r.file !== rel && !out.some((o) => o.lang === t.attrs.get('hreflang'))) {
      out.push({ lang: t.attrs.get('hreflang'), rel: r.file });
    }
  }
  return out;
}

/**
 * The pages to photograph: home, the programme with the most sites, its first site and that
 * site's leaflet, each in every language. [{ kind, lang, rel }] or a problem string.
 */
export function screenshotPlan(site) {
  const problems = [];
  const plan = [];
  if (!site.fileSet.has('index.html')) return { plan, problems: ['no index.html'] };
  const homeLangs = otherLanguages(site, 'index.html').map((o) => o.rel.split('/')[0]);
  const programmes = site.files
    .filter((f) => /^[^/]+\/booklet\.html$/.test(f) && !homeLangs.includes(f.split('/')[0]))
    .map((f) => f.split('/')[0]);
  const sitesOf = (p) => site.files.filter((f) => f.startsWith(`${p}/`) && f.endsWith('/leaflet.html'));
  programmes.sort((a, b) => sitesOf(b).length - sitesOf(a).length || a.localeCompare(b));
  const add = (kind, rel) => {
    plan.push({ kind, lang: langOf(site, rel), rel });
    for (const o of otherLanguages(site, rel)) plan.push({ kind, lang: o.lang, rel: o.rel });
  };
  add('home', 'index.html');
  if (programmes.length === 0) {
    problems.push('no programme (no <programme>/booklet.html) to photograph');
    return { plan, problems };
  }
  add('programme', `${programmes[0]}/index.html`);
  const leaflet = sitesOf(programmes[0])[0];
  const sitePage = leaflet.replace(/leaflet\.html$/, 'index.html');
  add('site', sitePage);
  // A leaflet has no language switcher: the same place as each language's site page.
  plan.push({ kind: 'leaflet', lang: langOf(site, leaflet), rel: leaflet });
  for (const o of otherLanguages(site, sitePage)) {
    const rel = o.rel.replace(/index\.html$/, 'leaflet.html');
    if (site.fileSet.has(rel)) plan.push({ kind: 'leaflet', lang: o.lang, rel });
    else problems.push(`no leaflet ${rel} for the ${o.lang} site page ${o.rel}`);
  }
  return { plan, problems };
}

/**
 * Runs the browser gates. `opts.screenshots`: folder for the PNG files (none taken when
 * absent); `opts.widths`: viewport widths. Resolves to { axe, requests, screenshots }, each
 * { ok, summary, problems }.
 */
export async function browserGates(sites, opts = {}) {
  const widths = opts.widths || WIDTHS;
  const { chromium } = require('playwright-core');
  const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const hosts = new Set(sites.map((s) => s.base.host));
  if (hosts.size !== 1) throw new Error(`the sites must share one host:port, not ${[...hosts].join(', ')}`);
  const port = Number(sites[0].base.port);
  const server = await serve(sites.map((s) => ({ prefix: s.base.pathname, dir: s.dir })), port);
  const ownHost = `127.0.0.1:${server.port}`;
  const axe = { problems: [], pages: 0, loads: 0, incomplete: 0, violations: 0, review: new Map(), reviewPages: new Map() };
  const requests = { problems: [], count: 0, foreign: new Map() };
  const shots = { problems: [], count: 0 };
  const browser = await chromium.launch({ executablePath: chromiumPath(), headless: true, args: launchArgs() });
  try {
    const jobs = [];
    for (const site of sites) {
      const pages = site.htmlFiles;
      axe.pages += pages.length;
      const { plan, problems } = opts.screenshots ? screenshotPlan(site) : { plan: [], problems: [] };
      for (const p of problems) shots.problems.push(`${site.name}: ${p}`);
      for (const width of widths) jobs.push({ site, width, pages, plan });
    }
    // One browser context per (site, width), two at a time (the machines have 2 cores).
    const queue = [...jobs];
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await runJob(job);
    };
    const runJob = async ({ site, width, pages, plan }) => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, serviceWorkers: 'block' });
      let current = '';
      context.on('request', (req) => {
        requests.count++;
        const url = req.url();
        let ok = url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank';
        if (!ok) {
          try {
            ok = new URL(url).host === ownHost;
          } catch {
            ok = false;
          }
        }
        if (!ok) {
          const key = `${site.name}: ${current} (${width}px): requested ${url}`;
          requests.foreign.set(key, (requests.foreign.get(key) || 0) + 1);
        }
      });
      await context.route('**/*', (route) => {
        let local = false;
        try {
          local = new URL(route.request().url()).host === ownHost;
        } catch {
          local = false;
        }
        return local ? route.continue() : route.abort('blockedbyclient');
      });
      const page = await context.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        for (const rel of pages) {
          current = rel;
          errors.length = 0;
          axe.loads++;
          const where = `${site.name}: ${rel} (${width}px)`;
          let response;
          try {
            response = await page.goto(site.urlOf(rel), { waitUntil: 'load', timeout: 30000 });
          } catch (e) {
            axe.problems.push(`${where}: did not load: ${e.message.split('\n')[0]}`);
            continue;
          }
          if (!response || response.status() !== 200) {
            axe.problems.push(`${where}: HTTP ${response ? response.status() : 'no response'}`);
            continue;
          }
          await page.addScriptTag({ content: axeSource });
          const result = await page.evaluate(
            async (tags) => {
              // eslint-disable-next-line no-undef
              const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
              return {
                incomplete: r.incomplete.map((v) => v.id),
                why: r.incomplete.map((v) => `${v.id}: ${v.nodes.map((n) => `${n.target.join(' ')}: ${[...n.any, ...n.all, ...n.none].map((c) => c.message).join('; ')}`).join(' | ')}`),
                violations: r.violations.map((v) => ({
                  id: v.id,
                  impact: v.impact,
                  help: v.help,
                  nodes: v.nodes.map((n) => ({ target: n.target.join(' '), html: n.html, summary: n.failureSummary })),
                })),
              };
            },
            AXE_TAGS,
          );
          if (process.env.QUALITY_DEBUG) for (const w of result.why) console.error(`${site.name}: ${rel} (${width}px): ${w}`);
          for (const id of result.incomplete) {
            axe.incomplete++;
            axe.review.set(id, (axe.review.get(id) || 0) + 1);
            if (!axe.reviewPages.has(id)) axe.reviewPages.set(id, `${site.name}: ${rel}`);
          }
          for (const v of result.violations) {
            axe.violations += v.nodes.length;
            const nodes = v.nodes
              .slice(0, 5)
              .map((n) => `\n      ${n.target}  ${n.html.replace(/\s+/g, ' ').slice(0, 160)}\n        ${(n.summary || '').replace(/\s+/g, ' ').slice(0, 300)}`)
              .join('');
            const more = v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '';
            axe.problems.push(`${where}: ${v.id} (${v.impact}): ${v.help}, ${v.nodes.length} elements:${nodes}${more}`);
          }
          for (const e of errors) axe.problems.push(`${where}: script error: ${e}`);
          for (const shot of plan.filter((s) => s.rel === rel)) {
            const file = path.join(opts.screenshots, site.name, `${shot.kind}-${shot.lang}-${width}.png`);
            fs.mkdirSync(path.dirname(file), { recursive: true });
            await page.screenshot({ path: file, fullPage: true });
            if (fs.statSync(file).size > 1000) shots.count++;
            else shots.problems.push(`${where}: screenshot ${file} is empty`);
          }
        }
      } finally {
        await context.close();
      }
    };
    await Promise.all([worker(), worker()]);
  } finally {
    await browser.close();
    await server.close();
  }
  for (const [key, n] of requests.foreign) requests.problems.push(n > 1 ? `${key} (${n} times)` : key);
  const wanted = opts.screenshots ? sites.reduce((n, s) => n + screenshotPlan(s).plan.length * widths.length, 0) : 0;
  if (opts.screenshots && shots.count !== wanted && shots.problems.length === 0) {
    shots.problems.push(`${shots.count} screenshots taken of the ${wanted} planned`);
  }
  return {
    axe: {
      ok: axe.problems.length === 0,
      summary: axe.problems.length
        ? `${axe.violations} violating elements, ${axe.problems.length} problems in ${axe.loads} page loads`
        : `${axe.pages} pages × ${widths.length} widths = ${axe.loads} page loads, ${AXE_TAGS.join(' ')}, 0 violations` +
          (axe.incomplete ? `; left for a person to review: ${[...axe.review].map(([id, n]) => `${id} on ${n} page loads (e.g. ${axe.reviewPages.get(id)})`).join(', ')}` : ''),
      problems: axe.problems,
    },
    requests: {
      ok: requests.problems.length === 0,
      summary: requests.problems.length
        ? `${requests.foreign.size} requests to other hosts (blocked) of ${requests.count}`
        : `${requests.count} requests, all to ${ownHost}`,
      problems: requests.problems,
    },
    screenshots: {
      ok: shots.problems.length === 0,
      summary: `${shots.count} files${opts.screenshots ? ` in ${opts.screenshots}` : ''}`,
      problems: shots.problems,
    },
  };
}
