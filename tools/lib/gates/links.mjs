// Gate `links`: every internal reference of the output resolves - each href/src/srcset/...
// of every HTML file, each url() of the CSS, the Sitemap: line of robots.txt - to a file of
// the output under the site's base URL (so a root-relative link that forgets the subfolder
// fails), and each #fragment to an element with that id in the target page.

import { referencesOf } from '../refs.mjs';

export function describe(site, r) {
  return `${site.name}: ${r.file}:${r.line}: ${r.where} ${JSON.stringify(r.value)}`;
}

export async function links(sites) {
  const problems = [];
  let checked = 0;
  let files = 0;
  for (const site of sites) {
    files += site.files.filter((f) => /\.(html|css)$/.test(f) || f === 'robots.txt').length;
    for (const r of referencesOf(site)) {
      let url;
      try {
        url = new URL(r.value, r.base);
      } catch {
        problems.push(`${describe(site, r)}: not a valid URL`);
        continue;
      }
      switch (url.protocol) {
        case 'http:':
        case 'https:':
          break;
        case 'mailto:':
          if (!/^[^@\s]+@[^@\s]+$/.test(decodeURIComponent(url.pathname))) problems.push(`${describe(site, r)}: not an e-mail address`);
          continue;
        case 'tel:':
          if (!/^\+?[0-9][0-9().-]{2,}$/.test(decodeURIComponent(url.pathname))) problems.push(`${describe(site, r)}: not a phone number`);
          continue;
        case 'data:':
          continue;
        default:
          problems.push(`${describe(site, r)}: ${url.protocol} link`);
          continue;
      }
      if (!site.sameOrigin(url)) continue;
      checked++;
      const target = site.resolve(url);
      if (target.error) {
        problems.push(`${describe(site, r)}: ${target.error}`);
        continue;
      }
      if (url.hash.length > 1) {
        let id;
        try {
          id = decodeURIComponent(url.hash.slice(1));
        } catch {
          problems.push(`${describe(site, r)}: badly percent-encoded fragment`);
          continue;
        }
        if (!target.file.endsWith('.html')) {
          problems.push(`${describe(site, r)}: #${id} in ${target.file}, which is not a page`);
        } else if (!site.ids(target.file).has(id)) {
          problems.push(`${describe(site, r)}: no element with id="${id}" in ${target.file}`);
        }
      }
    }
  }
  return {
    ok: problems.length === 0,
    summary: `${files} files, ${checked} internal links`,
    problems,
  };
}
