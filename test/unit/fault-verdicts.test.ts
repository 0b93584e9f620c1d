// The fault suite's verdicts catch what they claim: a level missing, repeated, conflicting or read
// out of order, and a raw line among structured log lines.
import { describe, expect, it } from 'vitest';
import { levelDifferences, rawLines } from '../faults/support/level-differences.js';

const row = (index: string, sequence: number, level = `100${sequence}.0000000000`) =>
  `2025-03-20T02:00:0${sequence}.000Z,${index},${level},${sequence},tick,600000.SH`;
const expected = [row('A', 1), row('A', 2), row('A', 3), row('B', 1), row('B', 2)];

describe('levelDifferences', () => {
  it('accepts the replay read once each, in any interleaving of the indices', () => {
    expect(
      levelDifferences([row('B', 1), row('A', 1), row('A', 2), row('B', 2), row('A', 3)], expected),
    ).toBeNull();
  });

  it('names a missing level', () => {
    expect(levelDifferences([row('A', 1), row('A', 3), row('B', 1), row('B', 2)], expected)).toBe(
      `4/5 levels, 1 missing (first: ${row('A', 2)}), 0 repeated, 0 conflicting, 0 not in the replay, order: A read #3 where #2 was next`,
    );
  });

  it('names a level read twice', () => {
    const read = [...expected, row('B', 2)];
    expect(levelDifferences(read, expected)).toContain('6/5 levels, 0 missing, 1 repeated (first: B #2 ×2)');
  });

  it('names a conflicting level (same index and sequence, another value)', () => {
    const read = [row('A', 1), row('A', 2, '999.0000000000'), row('A', 3), row('B', 1), row('B', 2)];
    expect(levelDifferences(read, expected)).toContain(
      `1 conflicting (first: ${row('A', 2, '999.0000000000')} ≠ ${row('A', 2)})`,
    );
  });

  it('names levels read out of order even when the set is right', () => {
    const read = [row('A', 2), row('A', 1), row('A', 3), row('B', 1), row('B', 2)];
    expect(levelDifferences(read, expected)).toBe(
      '5/5 levels, 0 missing, 0 repeated, 0 conflicting, 0 not in the replay, order: A read #2 where #1 was next',
    );
  });

  it('names a level the replay does not have', () => {
    expect(levelDifferences([...expected, row('C', 1)], expected)).toContain(
      `1 not in the replay (first: ${row('C', 1)})`,
    );
  });
});

describe('rawLines', () => {
  it('keeps only the lines that are not one JSON object each', () => {
    const output = [
      '{"level":50,"msg":"dependency not answering"}',
      '',
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      '[ioredis] Unhandled error event: Error: read ECONNRESET',
      '42',
    ].join('\n');
    expect(rawLines(output)).toEqual([
      'Error: connect ECONNREFUSED 127.0.0.1:6379',
      '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)',
      '[ioredis] Unhandled error event: Error: read ECONNRESET',
      '42',
    ]);
  });
});
