// A tiny static file server on 127.0.0.1, serving each built site under its own path
// prefix (e.g. /sub/), as a plain web host would: `dir/` answers with `dir/index.html`,
// a folder without its slash is redirected, anything else missing is a 404 with the
// site's 404.html.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.pdf': 'application/pdf',
};

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Starts serving `mounts` ([{ prefix: '/sub/', dir }]) on 127.0.0.1:`port` (0: any free
 * port). Resolves to { port, close() }.
 */
export function serve(mounts, port = 0) {
  const server = http.createServer((req, res) => {
    const send = (status, file, headers = {}) => {
      const type = file ? TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream' : 'text/plain; charset=utf-8';
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers });
      if (req.method === 'HEAD') return res.end();
      if (file) fs.createReadStream(file).pipe(res);
      else res.end(`${status}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(405);
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400);
    }
    const mount = mounts.find((m) => pathname.startsWith(m.prefix));
    if (!mount) return send(404);
    const rel = pathname.slice(mount.prefix.length);
    if (rel.split('/').some((p) => p === '..') || rel.includes('\0')) return send(400);
    let file = path.join(mount.dir, rel);
    if (rel === '' || rel.endsWith('/')) file = path.join(file, 'index.html');
    else if (isDir(file)) return send(301, null, { location: `${req.url.split('?')[0]}/` });
    if (isFile(file)) return send(200, file);
    const notFound = path.join(mount.dir, '404.html');
    return send(404, isFile(notFound) ? notFound : null);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      resolve({ port: server.address().port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
