// Live equals replay with a calendar file: the calculator configured with MARKET_CALENDAR_FILES
// (its own engine options, over in-memory ports) and the offline replay given the same file take
// the same closes, at the file's instants; without the file the calculator closes elsewhere.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commandCalendarFiles,
  datasetEvents,
  loadMarketCalendar,
  readIndexDefinitions,
  replayDataset,
} from '@indexflow/dataset-files';
import { InMemoryEventSource, InMemoryLevelSink, InMemoryStateStore } from '@indexflow/in-memory';
import type { OfficialClose } from '@indexflow/index-engine';
import type { Logger } from '@indexflow/observability';
import type { EventSource } from '@indexflow/pipeline';
import { afterAll, describe, expect, it } from 'vitest';
import { createCalculator } from './calculator.js';
import { createCalculatorMetrics } from './calculator-metrics.js';
import { loadConfig } from './config.js';
import { calculatorEngineOptions } from './engine-options.js';

const dir = mkdtempSync(join(tmpdir(), 'calculator-calendar-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A cross-market index; 2027-12-24 is an HKEX half day in the file (closes at 12:10, after the
// A-share morning: the index then closes at 15:00, with the last A-share print).
const DATASET = join(dir, 'dataset');
mkdirSync(join(DATASET, 'indices'), { recursive: true });
writeFileSync(
  join(DATASET, 'indices', 'X.json'),
  JSON.stringify({
    id: 'X',
    initialLevel: '1000',
    constituents: [
      { symbol: '600000.SH', shares: '1000' },
      { symbol: '00700.HK', shares: '100' },
    ],
  }),
);
writeFileSync(join(DATASET, 'fx.csv'), 'ts,pair,rate\n2027-12-23T09:00:00+08:00,HKDCNY,0.9200\n');
writeFileSync(
  join(DATASET, 'ticks.csv'),
  [
    'ts,symbol,price',
    '2027-12-23T09:30:00+08:00,600000.SH,10.00',
    '2027-12-23T09:30:00+08:00,00700.HK,400.00',
    '2027-12-23T16:05:00+08:00,00700.HK,401.00',
    '2027-12-24T10:00:00+08:00,600000.SH,10.10',
    '2027-12-24T12:05:00+08:00,00700.HK,402.00',
    '2027-12-24T14:59:00+08:00,600000.SH,10.20',
    // Between the half day's 15:00 close and the regular 16:10 one.
    '2027-12-24T15:30:00+08:00,00700.HK,405.00',
    '2027-12-27T09:30:00+08:00,600000.SH,10.30',
    '',
  ].join('\n'),
);
const CALENDAR = join(dir, '2027.json');
writeFileSync(
  CALENDAR,
  JSON.stringify({ year: 2027, ashare: { holidays: [] }, hk: { holidays: [], halfDays: ['2027-12-24'] } }),
);

const BASE = {
  KAFKA_BROKERS: '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7',
  REDIS_URL: 'redis://127.0.0.1:6379',
};
const logger = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Logger;

/** The closes the calculator publishes, configured with `env`, over the dataset's events. */
async function liveCloses(env: Record<string, string>): Promise<OfficialClose[]> {
  const sink = new InMemoryLevelSink();
  const inner = new InMemoryEventSource([...datasetEvents(DATASET, () => {})]);
  const source: EventSource = {
    start: (from) => inner.start(from),
    close: () => inner.close(),
    nextBatch: async (max) => {
      if (inner.exhausted) calculator.stop();
      return inner.nextBatch(max);
    },
  };
  const calculator = createCalculator({
    definitions: readIndexDefinitions(DATASET),
    engineOptions: calculatorEngineOptions(loadConfig({ ...BASE, ...env }), false),
    source,
    sink,
    state: new InMemoryStateStore(),
    logger,
    metrics: createCalculatorMetrics(),
    batchSize: 3,
    batchWaitMs: 0,
    conflationIntervalMs: 0,
    now: () => 0,
  });
  await calculator.run();
  return sink.closes;
}

const at = (iso: string) => Date.parse(iso);

describe('calendar files: live equals replay', () => {
  it('takes the same closes live and offline from the same file, at the file’s instants', async () => {
    const live = await liveCloses({ MARKET_CALENDAR_FILES: CALENDAR });
    const offline: OfficialClose[] = [];
    const calendar = loadMarketCalendar(commandCalendarFiles([CALENDAR], undefined));
    await replayDataset(DATASET, {
      onLevel: () => {},
      onClose: (c) => offline.push(c),
      engine: { calendar },
    });
    expect(live.map((c) => [c.tradingDate, c.closeTime])).toEqual([
      ['2027-12-23', at('2027-12-23T16:10:00+08:00')],
      ['2027-12-24', at('2027-12-24T15:00:00+08:00')],
    ]);
    // The offline run also closes its last date, at its input's end (live has no watermark here).
    expect(JSON.stringify(offline.slice(0, 2))).toBe(JSON.stringify(live));
  });

  it('closes the half day at 16:10 live without the file, with the 15:30 HK print in it', async () => {
    const live = await liveCloses({});
    expect(live[1]?.closeTime).toBe(at('2027-12-24T16:10:00+08:00'));
    const withFile = await liveCloses({ MARKET_CALENDAR_FILES: CALENDAR });
    expect(live[1]?.level).not.toBe(withFile[1]?.level);
  });
});
