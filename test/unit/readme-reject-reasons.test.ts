import { readFileSync } from 'node:fs';
import { REJECT_REASONS } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';

// Reasons raised by adapters before an event reaches the engine: the dataset reader's
// malformed rows and the Kafka source's undecodable records.
const READER_REASONS = ['malformed_row', 'undecodable'];

describe('README reject-reason table', () => {
  it('lists exactly the reasons the engine and the dataset reader can raise', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(
      readme.indexOf('### Reject reasons'),
      readme.indexOf('## How the numbers are made'),
    );
    const documented = [...section.matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]).sort();
    expect(documented).toEqual([...REJECT_REASONS, ...READER_REASONS].sort());
  });
});
