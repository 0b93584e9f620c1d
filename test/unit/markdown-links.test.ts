import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';
import { headingAnchors, markdownLinks } from './markdown-links.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The root README, the docs pages and every package's, service's and folder's README. */
function documents(): string[] {
  const files = [join(ROOT, 'README.md'), join(ROOT, 'deploy/README.md'), join(ROOT, 'schemas/README.md')];
  for (const name of readdirSync(join(ROOT, 'docs'))) {
    if (name.endsWith('.md')) files.push(join(ROOT, 'docs', name));
  }
  for (const group of ['packages', 'services']) {
    for (const name of readdirSync(join(ROOT, group))) {
      const readme = join(ROOT, group, name, 'README.md');
      if (existsSync(readme)) files.push(readme);
    }
  }
  return files;
}

/** Why a relative link of `file` does not resolve, or null when it does. */
function brokenReason(file: string, target: string): string | null {
  const [path, anchor] = splitTarget(target);
  const resolved = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
  if (!existsSync(resolved)) return 'no such file';
  if (anchor === null || !resolved.endsWith('.md') || statSync(resolved).isDirectory()) return null;
  return headingAnchors(readFileSync(resolved, 'utf8')).has(anchor) ? null : `no heading #${anchor}`;
}

function splitTarget(target: string): [string, string | null] {
  const hash = target.indexOf('#');
  return hash === -1 ? [target, null] : [target.slice(0, hash), target.slice(hash + 1)];
}

describe('markdown links', () => {
  it('resolve every relative link of the READMEs and docs/ to a file, and every #anchor to a heading', () => {
    const broken: string[] = [];
    let checked = 0;
    for (const file of documents()) {
      for (const { target, line } of markdownLinks(readFileSync(file, 'utf8'))) {
        if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
        checked += 1;
        const reason = brokenReason(file, target);
        if (reason !== null) broken.push(`${relative(ROOT, file)}:${line}: ${target}: ${reason}`);
      }
    }
    expect(broken).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  });

  it('finds links outside code and anchors as GitHub makes them', () => {
    const text = [
      '# Offline replay: `pnpm indexflow replay <dir>`',
      '## Bounds',
      '## Bounds',
      '```',
      '[not a link](nowhere.md)',
      '```',
      'See [Bounds](#bounds) and `[code](x.md)`, then [the page](docs/a.md#x "title") and [a',
      'wrapped link](b.md).',
    ].join('\n');
    expect(markdownLinks(text)).toEqual([
      { target: '#bounds', line: 7 },
      { target: 'docs/a.md#x', line: 7 },
      { target: 'b.md', line: 7 },
    ]);
    expect([...headingAnchors(text)]).toEqual([
      new GithubSlugger().slug('Offline replay: `pnpm indexflow replay <dir>`'),
      'bounds',
      'bounds-1',
    ]);
    expect(headingAnchors(text).has('offline-replay-pnpm-indexflow-replay-dir')).toBe(true);
  });
});
