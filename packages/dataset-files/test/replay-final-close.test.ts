// The offline replay's input ends where `indexflow replay --kafka` tells a live calculator it
// ends (its final watermark): closes due by then are published, none past it.
import type { OfficialClose } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { replayDataset } from '../src/index.js';
import { TV_INDEX, writeDataset } from './dataset-builder.js';

const FX = ['ts,pair,rate', '2025-01-06T09:00:00+08:00,HKDCNY,0.9200'];
const OPEN = [
  'ts,symbol,price',
  '2025-01-06T09:30:00+08:00,AAA.SH,100.00',
  '2025-01-06T09:30:00+08:00,BBB.SZ,25.00',
  '2025-01-06T09:30:00+08:00,CCC.SZ,8.00',
  '2025-01-06T09:30:00+08:00,DDD.HK,250.00',
];

async function closes(ticks: string[]): Promise<OfficialClose[]> {
  const out: OfficialClose[] = [];
  await replayDataset(writeDataset({ indices: [TV_INDEX], ticks, fx: FX }), {
    onLevel: () => {},
    onClose: (close) => out.push(close),
  });
  return out;
}

describe('offline replay: the input ends at its final watermark', () => {
  it('publishes the close of a day whose last event is the closing print itself', async () => {
    // TV holds an HK name: it closes at 16:10, and the dataset's last event is at that instant.
    const day = await closes([...OPEN, '2025-01-06T16:10:00+08:00,DDD.HK,260.00']);
    expect(day.map((c) => [c.tradingDate, c.level])).toEqual([['2025-01-06', expect.any(String)]]);
    expect(day[0]!.constituents.find((c) => c.symbol === 'DDD.HK')!.price).toBe('260');
  });

  it('publishes no close for a day whose input ends before its close instant', async () => {
    expect(await closes([...OPEN, '2025-01-06T16:09:59+08:00,DDD.HK,260.00'])).toEqual([]);
  });
});
