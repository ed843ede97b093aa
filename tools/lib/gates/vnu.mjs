// Gate `vnu`: the W3C Nu HTML checker (vnu.jar from the pinned npm package, run with the
// machine's Java) over every HTML file of every site. Any error fails the gate.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const TOOLS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const VNU_JAR = path.join(TOOLS, 'node_modules/vnu-jar/build/dist/vnu.jar');

export async function vnu(sites) {
  const files = [];
  for (const site of sites) for (const rel of site.htmlFiles) files.push({ site, rel, abs: path.join(site.dir, rel) });
  const problems = [];
  if (files.length === 0) return { ok: false, summary: 'no HTML file', problems: ['no HTML file to check'] };
  const java = process.env.JAVA || 'java';
  const run = spawnSync(
    java,
    ['-Xss8m', '-jar', VNU_JAR, '--errors-only', '--skip-non-html', '--format', 'json', ...files.map((f) => f.abs)],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  if (run.error) return { ok: false, summary: 'could not run', problems: [`${java}: ${run.error.message}`] };
  let report;
  try {
    report = JSON.parse(run.stderr || run.stdout);
  } catch {
    return { ok: false, summary: 'unreadable output', problems: [`vnu exited ${run.status}: ${(run.stderr || run.stdout).slice(0, 2000)}`] };
  }
  const byPath = new Map(files.map((f) => [f.abs, f]));
  const flagged = new Set();
  for (const m of report.messages || []) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    let where = m.url || '?';
    try {
      const abs = fileURLToPath(m.url);
      const f = byPath.get(abs);
      if (f) {
        where = `${f.site.name}: ${f.rel}`;
        flagged.add(`${f.site.name}/${f.rel}`);
      }
    } catch {
      /* keep the URL as it is */
    }
    const line = m.lastLine ? `:${m.lastLine}` : '';
    const extract = m.extract ? `  «${m.extract.replace(/\s+/g, ' ').trim().slice(0, 160)}»` : '';
    problems.push(`${where}${line}: ${m.message}${extract}`);
  }
  if (problems.length === 0 && run.status !== 0) problems.push(`vnu exited ${run.status} without a message`);
  return {
    ok: problems.length === 0,
    summary: problems.length ? `${problems.length} errors in ${flagged.size} of ${files.length} files` : `${files.length} files`,
    problems,
    flagged,
  };
}
