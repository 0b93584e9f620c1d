import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** What a vendor file shows of a constituent beyond the close: its name and cap factor. */
export interface ConstituentInfo {
  readonly name: string;
  readonly capFactor: string;
}

/**
 * Names and cap factors of an index's constituents from a replay-format definitions directory
 * (`indices/*.json`; the engine ignores these fields). Unknown symbols get an empty name and
 * cap factor 1.
 */
export function readConstituentInfo(datasetDir: string, indexId: string): Map<string, ConstituentInfo> {
  const dir = join(datasetDir, 'indices');
  const info = new Map<string, ConstituentInfo>();
  for (const file of readdirSync(dir).filter((n) => n.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      id?: unknown;
      constituents?: Array<{ symbol?: unknown; name?: unknown; capFactor?: unknown }>;
    };
    if (json.id !== indexId || !Array.isArray(json.constituents)) continue;
    for (const c of json.constituents) {
      if (typeof c.symbol !== 'string') continue;
      info.set(c.symbol, {
        name: typeof c.name === 'string' ? c.name : '',
        capFactor: typeof c.capFactor === 'string' ? c.capFactor : '1',
      });
    }
  }
  return info;
}
