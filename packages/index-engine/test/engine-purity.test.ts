import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// The engine must stay pure: events in, levels out. Clocks, randomness, IO and other packages
// would make live and replayed levels diverge.
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\b/, 'Date'],
  [/Math\.random/, 'Math.random'],
  [/\bsetTimeout\b|\bsetInterval\b/, 'timers'],
  [/\bprocess\./, 'process'],
  [/\bconsole\./, 'console'],
  [/from ['"]node:/, 'node: modules'],
  [/\bparseFloat\b|\bNumber\(.*price/, 'floating-point parsing'],
];

describe('index-engine purity', () => {
  it('imports only decimal.js and its own files, and uses no clock, randomness or IO', () => {
    const offences: string[] = [];
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/from ['"]([^'"]+)['"]/g)) {
        const spec = match[1]!;
        if (!spec.startsWith('.') && spec !== 'decimal.js') offences.push(`${file}: imports ${spec}`);
      }
      for (const [pattern, name] of FORBIDDEN) if (pattern.test(text)) offences.push(`${file}: uses ${name}`);
    }
    expect(offences).toEqual([]);
  });
  it('declares decimal.js as its only dependency', () => {
    const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'));
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(['decimal.js']);
  });
});
