import type { CorporateAction, IndexDefinition } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { ActionRegister } from '../src/action-register.js';
import { adjustmentEventTime } from '../src/adjustment-time.js';
import type { Announcement } from '../src/announcement.js';

const DEFINITIONS: IndexDefinition[] = [
  {
    id: 'A',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '100' },
      { symbol: '0700.HK', shares: '10' },
    ],
  },
  { id: 'B', initialLevel: '1000', constituents: [{ symbol: '600000.SH', shares: '50' }] },
];

const TODAY = '2025-03-20';

function ann(actionId: string, action: CorporateAction, exDate = '2025-03-21'): Announcement {
  return { actionId, exDate, action, announcedAt: 1 };
}

const outcome = (r: ReturnType<ActionRegister['submit']>) =>
  r.outcome === 'rejected' ? `rejected:${r.rejection.reason}` : r.outcome;

describe('ActionRegister', () => {
  it('validates each announcement and names the offending value', () => {
    const register = new ActionRegister(DEFINITIONS);
    const results = [
      ann('a1', { type: 'split', symbol: '600000.SH', ratio: '0' }),
      ann('a2', { type: 'rights', symbol: '600000.SH', ratio: '0.3' }),
      ann('a3', { type: 'bonus', symbol: '000001.SZ', ratio: '0.3' }),
      ann('a4', { type: 'add', symbol: '000001.SZ', indexId: 'Z', shares: '10' }),
      ann('a5', { type: 'split', symbol: '600000.SH', ratio: '2' }, '2025-03-19'),
      ann('a6', { type: 'split', symbol: '600000.SH', ratio: '2' }, '2025-02-30'),
      ann('a7', { type: 'cash_dividend', symbol: '0700.HK', amount: '1', currency: 'USD' }),
      ann('a8', { type: 'split', symbol: '600000.SH', indexId: 'A', ratio: '2' }),
    ].map((a) => register.submit(a, TODAY));
    expect(results.map(outcome)).toEqual([
      'rejected:invalid_action',
      'rejected:invalid_action',
      'rejected:unknown_symbol',
      'rejected:unknown_index',
      'rejected:ex_date_past',
      'rejected:invalid_action',
      'rejected:invalid_action',
      'rejected:invalid_action',
    ]);
    const first = results[0]!;
    expect(first.outcome === 'rejected' && first.rejection).toMatchObject({ actionId: 'a1', value: '0' });
    expect(register.dates()).toEqual([]);
  });

  it('is idempotent for a re-delivered announcement and keeps the first position for an amendment', () => {
    const register = new ActionRegister(DEFINITIONS);
    const split = ann('s', { type: 'split', symbol: '600000.SH', ratio: '2' });
    const dividend = ann('d', { type: 'cash_dividend', symbol: '0700.HK', amount: '1.2', currency: 'HKD' });
    expect(outcome(register.submit(split, TODAY))).toBe('added');
    expect(outcome(register.submit(dividend, TODAY))).toBe('added');
    expect(outcome(register.submit(split, TODAY))).toBe('unchanged');
    expect(outcome(register.submit({ ...split, action: { ...split.action, ratio: '3' } }, TODAY))).toBe(
      'amended',
    );
    expect(register.adjustmentFor('2025-03-21')).toEqual({
      kind: 'index-adjustment',
      eventTime: adjustmentEventTime('2025-03-21'),
      effectiveDate: '2025-03-21',
      actions: [
        { type: 'split', symbol: '600000.SH', ratio: '3' },
        { type: 'cash_dividend', symbol: '0700.HK', amount: '1.2', currency: 'HKD' },
      ],
    });
  });

  it('refuses a second id for the same action: identical is a duplicate, different a conflict', () => {
    const register = new ActionRegister(DEFINITIONS);
    register.submit(ann('s1', { type: 'split', symbol: '600000.SH', ratio: '2' }), TODAY);
    expect(
      outcome(register.submit(ann('s2', { type: 'split', symbol: '600000.SH', ratio: '2' }), TODAY)),
    ).toBe('rejected:duplicate_action');
    expect(
      outcome(register.submit(ann('s3', { type: 'split', symbol: '600000.SH', ratio: '5' }), TODAY)),
    ).toBe('rejected:conflicting_action');
    // A split of another date is its own action.
    expect(
      outcome(
        register.submit(ann('s4', { type: 'split', symbol: '600000.SH', ratio: '5' }, '2025-03-24'), TODAY),
      ),
    ).toBe('added');
  });

  it('freezes a published date: no amendment, cancellation or new action can change it again', () => {
    const register = new ActionRegister(DEFINITIONS);
    register.submit(ann('s', { type: 'split', symbol: '600000.SH', ratio: '2' }), TODAY);
    expect(register.datesDue('2025-03-21')).toEqual(['2025-03-21']);
    register.markPublished('2025-03-21');
    expect(register.datesDue('2025-03-21')).toEqual([]);
    expect(
      outcome(register.submit(ann('s', { type: 'split', symbol: '600000.SH', ratio: '3' }), TODAY)),
    ).toBe('rejected:ex_date_past');
    expect(
      outcome(register.submit(ann('n', { type: 'delete', symbol: '0700.HK', indexId: 'A' }), TODAY)),
    ).toBe('rejected:ex_date_past');
    expect(outcome(register.cancel('s'))).toBe('rejected:ex_date_past');
    expect(register.adjustmentFor('2025-03-21')?.actions).toEqual([
      { type: 'split', symbol: '600000.SH', ratio: '2' },
    ]);
  });

  it('knows symbols an accepted add brings in, cancels unpublished actions, and survives a snapshot', () => {
    const register = new ActionRegister(DEFINITIONS);
    register.submit(
      ann('add', { type: 'add', symbol: '000001.SZ', indexId: 'B', shares: '10', price: '11' }),
      TODAY,
    );
    expect(
      outcome(
        register.submit(
          ann('div', { type: 'cash_dividend', symbol: '000001.SZ', amount: '0.1' }, '2025-03-24'),
          TODAY,
        ),
      ),
    ).toBe('added');
    expect(outcome(register.cancel('div'))).toBe('cancelled');
    register.markPublished('2025-03-21');
    const copy = ActionRegister.restore(DEFINITIONS, JSON.parse(JSON.stringify(register.snapshot())));
    expect(copy.snapshot()).toEqual(register.snapshot());
    expect(copy.isPublished('2025-03-21')).toBe(true);
    expect(
      outcome(copy.submit(ann('x', { type: 'split', symbol: '000001.SZ', ratio: '2' }, '2025-03-24'), TODAY)),
    ).toBe('added');
  });
});
