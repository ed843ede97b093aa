// Proves that every quality gate can fail: each is fed the deliberately broken inputs of
// tools/fixtures/broken/ and must fail for exactly the planted reasons (and pass the
// control page). Run with `node --test tools/test/` (scripts/quality.sh does).

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Site } from '../lib/site.mjs';
import { parseHtml, cssUrls } from '../lib/html.mjs';
import { lockfile } from '../lib/gates/lockfile.mjs';
import { vnu } from '../lib/gates/vnu.mjs';
import { sitemap } from '../lib/gates/sitemap.mjs';
import { links } from '../lib/gates/links.mjs';
import { external } from '../lib/gates/external.mjs';
import { browserGates } from '../lib/gates/browser.mjs';
import { freePort, formatResult } from '../quality.mjs';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BROKEN = path.join(TOOLS, 'fixtures/broken');
const SITE = path.join(BROKEN, 'site');
const BASE = 'http://127.0.0.1:8000/sub/';
const broken = () => new Site('broken', SITE, BASE);

/** Asserts that the gate failed, and shows what it found in the broken input. */
function failed(gate, r) {
  assert.equal(r.ok, false, `gate ${gate} passed the broken input`);
  const report = formatResult({ gate: `${gate} on tools/fixtures/broken`, ...r }, Infinity).replace(': FAILED (', ': failed as it must (');
  console.log(report);
  return r.problems;
}

const has = (problems, ...parts) =>
  assert.ok(
    problems.some((p) => parts.every((part) => p.includes(part))),
    `no problem with ${parts.map((p) => JSON.stringify(p)).join(' and ')} in:\n${problems.join('\n')}`,
  );

test('the HTML tokenizer finds tags, attributes, ids and raw text', () => {
  const tags = parseHtml(
    '<!-- <a href="no"> -->\n<p id=x class="a b">t</p><a HREF=\'/y?a=1&amp;b=2\' data-x>y</a>\n<script>if (a<b) x("<img src=z>")</script><style>a{background:url(q.png)}</style><br/>',
  );
  assert.deepEqual(tags.map((t) => t.name), ['p', 'a', 'script', 'style', 'br']);
  assert.equal(tags[0].attrs.get('id'), 'x');
  assert.equal(tags[0].line, 2);
  assert.equal(tags[1].attrs.get('href'), '/y?a=1&b=2');
  assert.equal(tags[1].attrs.get('data-x'), '');
  assert.match(tags[2].text, /<img src=z>/);
  assert.deepEqual(cssUrls(tags[3].text).map((u) => u.value), ['q.png']);
});

test('gate lockfile passes the real tools and fails ranges, other hosts, git and missing integrity', async () => {
  const good = await lockfile(TOOLS);
  assert.equal(good.ok, true, good.problems.join('\n'));
  const p = failed('lockfile', await lockfile(path.join(BROKEN, 'lockfile')));
  has(p, 'axe-core', 'not an exact version');
  has(p, 'node_modules/left-pad', 'mirror.example.com');
  has(p, 'node_modules/left-pad', 'no sha512 integrity');
  has(p, 'node_modules/some-fork', 'git+ssh');
  has(p, 'node_modules/some-fork', 'no sha512 integrity');
});

test('gate vnu fails invalid HTML', async () => {
  const r = await vnu([broken()]);
  const p = failed('vnu', r);
  has(p, 'invalid.html:11', '“p” end tag');
  has(p, 'invalid.html:12', '“colour” not allowed');
  has(p, 'axe.html:11', '“alt” attribute');
  assert.deepEqual([...r.flagged].sort(), ['broken/axe.html', 'broken/invalid.html']);
});

test('gate sitemap fails a bad element, a missing page and a one-way alternate', async () => {
  const p = failed('sitemap', await sitemap([broken()]));
  has(p, 'sitemap.xml:14', 'title', 'not expected');
  has(p, 'sitemap.xml:10', 'lastmod', 'yesterday');
  has(p, 'gone.html', 'no file gone.html');
  has(p, 'not reciprocal', 'lists http://127.0.0.1:8000/sub/links.html (it), which does not list http://127.0.0.1:8000/sub/');
});

test('gate links fails a missing page, a missing anchor, a link out of the subfolder and a missing CSS image', async () => {
  const p = failed('links', await links([broken()]));
  has(p, 'links.html:13', 'no-such-page.html', 'no file');
  has(p, 'links.html:14', 'no element with id="no-such-id" in index.html');
  has(p, 'links.html:15', '"/axe.html"', "outside the site's folder /sub/");
  has(p, 'css/broken.css:2', 'img/missing.png');
  assert.equal(p.length, 4, 'only the planted problems');
});

test('gate external fails resources from other hosts and allows plain links', async () => {
  const p = failed('external', await external([broken()]));
  has(p, 'external.html:6', 'stylesheet', 'fonts.example.net');
  has(p, 'external.html:8', '<script src>', 'cdn.example.com');
  has(p, 'external.html:10', '<style> url()', 'tracker.example.com');
  has(p, 'external.html:16', '<img src>', 'images.example.org');
  assert.equal(p.length, 4, 'plain <a href> and rel=canonical to other hosts are allowed; requests.html hides its host');
});

test('gates axe, requests and screenshots fail in the browser', { timeout: 300_000 }, async () => {
  const port = await freePort();
  const r = await browserGates([new Site('broken', SITE, `http://127.0.0.1:${port}/sub/`)], {
    screenshots: path.join(TOOLS, '..', 'target', 'quality', 'self-test-screenshots'),
  });
  const axe = failed('axe', r.axe);
  for (const width of ['1280px', '375px']) {
    has(axe, `axe.html (${width})`, 'image-alt');
    has(axe, `axe.html (${width})`, 'color-contrast', '#999999');
  }
  assert.equal(axe.length, 4, 'only axe.html violates, at both widths');

  const requests = failed('requests', r.requests);
  for (const host of ['fonts.example.net', 'cdn.example.com', 'images.example.org', 'tracker.example.com']) {
    has(requests, 'external.html', host);
  }
  has(requests, 'requests.html', 'https://beacon.example/hit');

  const shots = failed('screenshots', r.screenshots);
  has(shots, 'no programme');
});
