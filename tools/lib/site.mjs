// A built site on disk and the address it is published at: which file answers which URL.

import fs from 'node:fs';
import path from 'node:path';

import { parseHtml, idsOf } from './html.mjs';

/** Every file under `dir`, as sorted paths relative to it with `/` separators. */
export function listFiles(dir) {
  const out = [];
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (e.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export class Site {
  /**
   * @param {string} name  short name used in reports
   * @param {string} dir   the build output folder
   * @param {string} base  the address the folder is published at, ending in `/`
   */
  constructor(name, dir, base) {
    this.name = name;
    this.dir = path.resolve(dir);
    this.base = new URL(base.endsWith('/') ? base : `${base}/`);
    this.files = listFiles(this.dir);
    this.fileSet = new Set(this.files);
    this.parsed = new Map();
  }

  get htmlFiles() {
    return this.files.filter((f) => f.endsWith('.html'));
  }

  read(rel) {
    return fs.readFileSync(path.join(this.dir, rel), 'utf8');
  }

  /** Tags of an HTML file, parsed once. */
  tags(rel) {
    if (!this.parsed.has(rel)) this.parsed.set(rel, parseHtml(this.read(rel)));
    return this.parsed.get(rel);
  }

  ids(rel) {
    const tags = this.tags(rel);
    if (!tags.ids) tags.ids = idsOf(tags);
    return tags.ids;
  }

  /** The URL a file is served at (`a/index.html` at `a/`). */
  urlOf(rel) {
    const p = rel === 'index.html' ? '' : rel.endsWith('/index.html') ? rel.slice(0, -'index.html'.length) : rel;
    return new URL(p.split('/').map(encodeURIComponent).join('/'), this.base).href;
  }

  /** True when `url` (a URL object) is on the site's own origin. */
  sameOrigin(url) {
    return url.origin === this.base.origin;
  }

  /**
   * The file answering `url` (a URL object on the site's origin):
   * { file } when it exists, else { error } saying why not.
   */
  resolve(url) {
    if (!this.sameOrigin(url)) return { error: `another host (${url.host})` };
    if (!url.pathname.startsWith(this.base.pathname)) {
      return { error: `outside the site's folder ${this.base.pathname}` };
    }
    let rel;
    try {
      rel = decodeURIComponent(url.pathname.slice(this.base.pathname.length));
    } catch {
      return { error: 'badly percent-encoded path' };
    }
    if (rel.split('/').some((part) => part === '..' || part === '.')) return { error: 'dot segment in path' };
    if (rel === '' || rel.endsWith('/')) rel += 'index.html';
    if (this.fileSet.has(rel)) return { file: rel };
    if (this.files.some((f) => f.startsWith(`${rel}/`))) {
      return { error: `${rel} is a folder: link to ${rel}/ with the slash` };
    }
    return { error: `no file ${rel} in the output` };
  }
}
