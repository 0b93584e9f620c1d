import { readFileSync } from 'node:fs';
import { REGISTER_REJECT_REASONS } from '@indexflow/corporate-actions';
import { REJECT_REASONS } from '@indexflow/index-engine';
import { DECODE_REJECT_REASONS } from '@indexflow/kafka';
import { PIPELINE_REJECT_REASONS } from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';

// Reasons raised by adapters before an event reaches the engine: the dataset reader's
// malformed rows and the Kafka source's undecodable records.
const READER_REASONS = ['malformed_row', 'undecodable'];

describe('docs/replay-contract.md reject-reason table', () => {
  it('lists exactly the reasons the engine, the readers and the corporate-actions register can raise', () => {
    const page = readFileSync(new URL('../../docs/replay-contract.md', import.meta.url), 'utf8');
    const start = page.indexOf('### Reject reasons');
    expect(start).toBeGreaterThanOrEqual(0);
    const next = page.indexOf('\n## ', start);
    const section = page.slice(start, next === -1 ? undefined : next);
    const documented = [...section.matchAll(/^\| `([a-z_]+)` +\|/gm)].map((m) => m[1]).sort();
    const all = new Set([
      ...REJECT_REASONS,
      ...READER_REASONS,
      ...REGISTER_REJECT_REASONS,
      ...Object.values(DECODE_REJECT_REASONS),
      ...Object.values(PIPELINE_REJECT_REASONS),
    ]);
    expect(documented).toEqual([...all].sort());
  });
});
