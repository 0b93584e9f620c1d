import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a throw-away dataset directory in the public replay format. */
export function writeDataset(files: {
  indices: Record<string, unknown>[];
  ticks: string[];
  fx?: string[];
  actions?: string[];
}): string {
  const dir = mkdtempSync(join(tmpdir(), 'indexflow-dataset-'));
  mkdirSync(join(dir, 'indices'));
  for (const index of files.indices)
    writeFileSync(join(dir, 'indices', `${index.id}.json`), JSON.stringify(index));
  writeFileSync(join(dir, 'ticks.csv'), `${files.ticks.join('\n')}\n`);
  if (files.fx) writeFileSync(join(dir, 'fx.csv'), `${files.fx.join('\n')}\n`);
  if (files.actions) writeFileSync(join(dir, 'actions.csv'), `${files.actions.join('\n')}\n`);
  return dir;
}

export const TV_INDEX = {
  id: 'TV',
  name: 'methodology TV1',
  initialLevel: '1000',
  constituents: [
    { symbol: 'AAA.SH', shares: '400000' },
    { symbol: 'BBB.SZ', shares: '1200000' },
    { symbol: 'CCC.SZ', shares: '875000' },
    { symbol: 'DDD.HK', shares: '100000' },
  ],
};
