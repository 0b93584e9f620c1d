import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));
/** The one workspace package the engine may use: exchange time, itself held to the same rules. */
const CALENDAR = fileURLToPath(new URL('../../market-calendar', import.meta.url));
const CALENDAR_PACKAGE = '@indexflow/market-calendar';

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

/** Every import outside `allowed` and every forbidden construct in the files under `dir`. */
function offences(dir: string, allowed: readonly string[]): string[] {
  const found: string[] = [];
  for (const file of sources(dir)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
      const spec = match[1]!;
      if (!spec.startsWith('.') && !allowed.includes(spec)) found.push(`${file}: imports ${spec}`);
    }
    for (const [pattern, name] of FORBIDDEN) if (pattern.test(text)) found.push(`${file}: uses ${name}`);
  }
  return found;
}

const dependencies = (dir: string) =>
  Object.keys(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {});

describe('index-engine purity', () => {
  it('imports only decimal.js, the market calendar and its own files, and uses no clock, randomness or IO', () => {
    expect(offences(SRC, ['decimal.js', CALENDAR_PACKAGE])).toEqual([]);
  });
  it('declares decimal.js and the market calendar as its only dependencies', () => {
    expect(dependencies(join(SRC, '..'))).toEqual([CALENDAR_PACKAGE, 'decimal.js']);
  });
  it('depends on a market calendar that is pure too: no dependency, no import, no clock, randomness or IO', () => {
    expect(dependencies(CALENDAR)).toEqual([]);
    expect(offences(join(CALENDAR, 'src'), [])).toEqual([]);
  });
  it('finds an offence where there is one (the check is not vacuous)', () => {
    expect(offences(fileURLToPath(new URL('.', import.meta.url)), ['decimal.js'])).not.toEqual([]);
  });
});
