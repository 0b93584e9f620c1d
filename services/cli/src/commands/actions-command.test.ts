import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { checkActionsFile } from './actions-command.js';
import { formatProformaTable } from './proforma-command.js';

function file(lines: string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'actions-')), 'actions.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

describe('checkActionsFile', () => {
  it('accepts valid rows with stable derived ids and names every refused line with its reason', () => {
    const path = file([
      'exDate,type,symbol,index,ratio,price,amount,shares',
      '2025-03-25,split,688041.SH,,2,,,',
      '2025-03-25,bonus,300017.SZ,,0,,,',
      '2025-03-25,split,688041.SH,,3,,,',
      '2025-03-25,merge,688041.SH,,,,,',
      '2025-03-20,cash_dividend,600050.SH,,,,0.05,',
      '2025-03-25,delete,000000.SZ,995365.SSI,,,,',
    ]);
    const { accepted, refused } = checkActionsFile(path, SAMPLE_DIR, '2025-03-24', 1);
    expect(accepted.map((a) => a.actionId)).toEqual(['2025-03-25:split:688041.SH']);
    expect(refused).toEqual([
      expect.objectContaining({ line: 3, reason: 'invalid_action' }),
      expect.objectContaining({ line: 4, reason: 'conflicting_action' }),
      expect.objectContaining({ line: 5, reason: 'malformed_row' }),
      expect.objectContaining({ line: 6, reason: 'ex_date_past' }),
      expect.objectContaining({ line: 7, reason: 'unknown_symbol' }),
    ]);
  });
});

describe('formatProformaTable', () => {
  it('shows added and deleted constituents, a header for every column, the previous official close, the divisor and the level before and after', () => {
    const text = formatProformaTable({
      indexId: 'X',
      effectiveDate: '2025-03-26',
      divisorBefore: '100',
      divisorAfter: '101.5',
      previousClose: { date: '2025-03-25', level: '1000.25' },
      levelBefore: '1000',
      levelAfter: '1000',
      constituents: [
        {
          symbol: '9888.HK',
          currency: 'HKD',
          priceBefore: '90',
          priceAfter: null,
          sharesBefore: '10',
          sharesAfter: null,
          weightBefore: '0.5',
          weightAfter: null,
          capFactor: '1',
        },
      ],
      rejections: [],
    });
    expect(text).toContain('(deleted)');
    const [, header, row] = text.split('\n');
    expect(header!.split(/\s{2,}/)).toHaveLength(row!.split(/\s{2,}/).length);
    expect(header).toMatch(/weight after\s+cap factor$/);
    expect(text).toMatch(/previous official close +1000\.25 \(2025-03-25\)/);
    expect(text).toMatch(/divisor +100 → 101\.5/);
    expect(text).toMatch(/level at 00:00 +1000 → 1000/);
  });
});
