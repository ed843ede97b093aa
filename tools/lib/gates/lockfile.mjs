// Gate `lockfile`: the quality tools are pinned. Every dependency of tools/package.json is an
// exact registry version, and every package of package-lock.json comes from the npm
// registry (no git, file, link or other-host tarball), with its version and its sha512
// integrity recorded.

import fs from 'node:fs';
import path from 'node:path';

export const REGISTRY = 'https://registry.npmjs.org/';
const EXACT = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;

export async function lockfile(dir) {
  const problems = [];
  let pkg;
  let lock;
  try {
    pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    lock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8'));
  } catch (e) {
    return { ok: false, summary: 'unreadable', problems: [e.message] };
  }
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']) {
    for (const [name, spec] of Object.entries(pkg[field] || {})) {
      if (!EXACT.test(spec)) problems.push(`package.json: ${field}.${name} is ${JSON.stringify(spec)}, not an exact version`);
    }
  }
  if (lock.lockfileVersion < 2 || !lock.packages) problems.push(`package-lock.json: lockfileVersion ${lock.lockfileVersion}: use npm 7 or later`);
  let count = 0;
  const root = (lock.packages || {})[''] || {};
  for (const [name, spec] of Object.entries(pkg.dependencies || {})) {
    if ((root.dependencies || {})[name] !== spec) problems.push(`package-lock.json does not match package.json for ${name}: run npm install in tools/`);
  }
  for (const [where, p] of Object.entries(lock.packages || {})) {
    if (where === '') continue;
    count++;
    if (p.link) {
      problems.push(`${where}: a link to ${p.resolved}, not a registry package`);
      continue;
    }
    if (!p.version || !EXACT.test(p.version)) problems.push(`${where}: version ${JSON.stringify(p.version)} is not a registry version`);
    if (p.resolved !== undefined && !String(p.resolved).startsWith(REGISTRY)) {
      problems.push(`${where}: resolved from ${p.resolved}, not from ${REGISTRY}`);
    }
    if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(p.integrity || '')) problems.push(`${where}: no sha512 integrity recorded`);
  }
  return {
    ok: problems.length === 0,
    summary: `${count} packages, all exact and from the npm registry`,
    problems,
  };
}
