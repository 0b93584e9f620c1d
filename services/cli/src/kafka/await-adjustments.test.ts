import { describe, expect, it } from 'vitest';
import { datesDueNow } from './await-adjustments.js';

describe('datesDueNow', () => {
  // 2025-03-24 16:59 and 17:00 Asia/Shanghai.
  const before = Date.parse('2025-03-24T16:59:00+08:00');
  const at = Date.parse('2025-03-24T17:00:00+08:00');

  it('takes an ex-date once PUBLISH_AT on the day before has passed, and every earlier date', () => {
    expect(datesDueNow(['2025-03-25', '2025-03-20'], '17:00', before)).toEqual(['2025-03-20']);
    expect(datesDueNow(['2025-03-25', '2025-03-20', '2025-03-25'], '17:00', at)).toEqual([
      '2025-03-20',
      '2025-03-25',
    ]);
  });

  it('leaves later ex-dates to the service’s schedule', () => {
    expect(datesDueNow(['2025-03-26'], '17:00', at)).toEqual([]);
    expect(datesDueNow(['2025-03-26'], '09:00', Date.parse('2025-03-25T09:00:00+08:00'))).toEqual([
      '2025-03-26',
    ]);
  });
});
