#!/usr/bin/env node
// Runs the quality gates over built sites and prints one line per gate:
//
//   node tools/quality.mjs --site milano=target/quality/milano@http://127.0.0.1:8123/sub/ \
//                          [--site NAME=DIR@BASE_URL ...] [--out target/quality] [--gates vnu,links]
//   node tools/quality.mjs --free-port      prints a free TCP port on 127.0.0.1
//
// Gates: lockfile, vnu, sitemap, links, external, axe, requests, screenshots (see lib/gates/).
// Every site must be built for its BASE_URL; the browser gates serve all of them on that
// one 127.0.0.1 port, each under the path of its base URL. Exit code 1 when any gate fails.
// QUALITY_DEBUG=1 also prints why axe left each result for a person to review.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { Site } from './lib/site.mjs';
import { lockfile } from './lib/gates/lockfile.mjs';
import { vnu } from './lib/gates/vnu.mjs';
import { sitemap } from './lib/gates/sitemap.mjs';
import { links } from './lib/gates/links.mjs';
import { external } from './lib/gates/external.mjs';
import { browserGates } from './lib/gates/browser.mjs';

const TOOLS = path.dirname(fileURLToPath(import.meta.url));
export const ALL_GATES = ['lockfile', 'vnu', 'sitemap', 'links', 'external', 'axe', 'requests', 'screenshots'];
const SHOWN_PROBLEMS = 40;

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function parseArgs(argv) {
  const opts = { sites: [], out: null, gates: ALL_GATES };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--site') {
      const m = /^([\w-]+)=(.+)@(https?:\/\/.+)$/.exec(value());
      if (!m) throw new Error('--site takes NAME=DIR@BASE_URL');
      opts.sites.push({ name: m[1], dir: m[2], base: m[3] });
    } else if (a === '--out') opts.out = value();
    else if (a === '--gates') opts.gates = value().split(',').filter(Boolean);
    else if (a === '--free-port') opts.freePort = true;
    else throw new Error(`unknown argument ${a}`);
  }
  for (const g of opts.gates) if (!ALL_GATES.includes(g)) throw new Error(`unknown gate ${g} (gates: ${ALL_GATES.join(', ')})`);
  return opts;
}

/** Runs the chosen gates; resolves to [{ gate, ok, summary, problems }] in ALL_GATES order. */
export async function runGates(siteSpecs, { gates = ALL_GATES, out = null, onResult = () => {} } = {}) {
  const sites = siteSpecs.map((s) => new Site(s.name, s.dir, s.base));
  const results = [];
  const record = (gate, r) => {
    const result = { gate, ...r };
    results.push(result);
    onResult(result);
  };
  const timed = async (gate, f) => {
    const t0 = Date.now();
    let r;
    try {
      r = await f();
    } catch (e) {
      r = { ok: false, summary: 'crashed', problems: [e.stack || String(e)] };
    }
    return { ...r, seconds: (Date.now() - t0) / 1000 };
  };
  if (gates.includes('lockfile')) record('lockfile', await timed('lockfile', () => lockfile(TOOLS)));
  if (gates.includes('vnu')) record('vnu', await timed('vnu', () => vnu(sites)));
  if (gates.includes('sitemap')) record('sitemap', await timed('sitemap', () => sitemap(sites)));
  if (gates.includes('links')) record('links', await timed('links', () => links(sites)));
  if (gates.includes('external')) record('external', await timed('external', () => external(sites)));
  const browser = ['axe', 'requests', 'screenshots'].filter((g) => gates.includes(g));
  if (browser.length) {
    const shots = gates.includes('screenshots') && out ? path.join(out, 'screenshots') : null;
    if (shots) fs.rmSync(shots, { recursive: true, force: true });
    const r = await timed('browser', () => browserGates(sites, { screenshots: shots }));
    for (const g of browser) {
      if (r[g]) record(g, { ...r[g], seconds: r.seconds });
      else record(g, { ok: false, summary: 'crashed', problems: r.problems || ['the browser run failed'], seconds: r.seconds });
    }
  }
  return results;
}

export function formatResult(r, limit = SHOWN_PROBLEMS) {
  const lines = [`gate ${r.gate}: ${r.ok ? 'ok' : 'FAILED'} (${r.summary})`];
  for (const p of r.problems.slice(0, limit)) lines.push(`    ${p}`);
  if (r.problems.length > limit) lines.push(`    ... and ${r.problems.length - limit} more (see the report file)`);
  return lines.join('\n');
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.freePort) {
    console.log(await freePort());
    return 0;
  }
  if (opts.sites.length === 0) throw new Error('give at least one --site NAME=DIR@BASE_URL');
  const report = [];
  const results = await runGates(opts.sites, {
    gates: opts.gates,
    out: opts.out,
    onResult: (r) => {
      console.log(formatResult(r));
      report.push(formatResult(r, Infinity), `    (${r.seconds.toFixed(1)} s)`);
    },
  });
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  if (opts.out) {
    fs.mkdirSync(opts.out, { recursive: true });
    fs.writeFileSync(path.join(opts.out, 'report.txt'), `${report.join('\n')}\n${passed} passed, ${failed} failed\n`);
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      console.error(`quality: ${e.message}`);
      process.exitCode = 2;
    },
  );
}
