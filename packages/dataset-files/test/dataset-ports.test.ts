import { createIndexEngine, type EngineOptions } from '@indexflow/index-engine';
import { createPipelineStats, NoRecoveryStateStore, runPipeline } from '@indexflow/pipeline';
import { describe, expect, it } from 'vitest';
import {
  DatasetEventSource,
  type DatasetIssue,
  DatasetLevelSink,
  datasetEvents,
  formatIssue,
  formatLevelRow,
  readIndexDefinitions,
  replayDataset,
} from '../src/index.js';
import { actionLineOf } from '../src/read-actions.js';
import { TV_INDEX, writeDataset } from './dataset-builder.js';

const TICKS = [
  'ts,symbol,price',
  '2025-01-06T09:30:00+08:00,AAA.SH,100.00',
  '2025-01-06T09:30:00+08:00,BBB.SZ,25.00',
  '2025-01-06T09:30:00+08:00,CCC.SZ,8.00',
  '2025-01-06T09:30:00+08:00,DDD.HK,250.00',
  '2025-01-06T09:31:00+08:00,AAA.SH,-1',
  '2025-01-06T09:31:00+08:00,ZZZ.SH,10.00',
  '2025-01-06T09:31:00+08:00,AAA.SH,101.50',
  'not-a-time,BBB.SZ,25.00',
  '2025-01-06T09:32:00+08:00,BBB.SZ,24.80',
  '2025-01-06T09:32:00+08:00,YYY.SZ,3.00',
  '2025-01-06T09:33:00+08:00,DDD.HK,abc',
  '2025-01-06T09:33:00+08:00,DDD.HK,252.00',
  '2025-01-07T09:30:00+08:00,AAA.SH,102.00',
  '2025-01-07T09:31:00+08:00,CCC.SZ,0',
];
const FX = [
  'ts,pair,rate',
  '2025-01-06T09:00:00+08:00,HKDCNY,0.9200',
  '2025-01-06T09:10:00+08:00,HKDCNY,-0.5',
];
const ACTIONS = [
  'exDate,type,symbol,index,ratio,price,amount,shares',
  '2025-01-07,split,AAA.SH,,2,,,',
  '2025-01-07,delete,QQQ.SZ,TV,,,,',
  '2025-01-07,bonus,BBB.SZ,,0.5,,,',
];
const ENGINE: EngineOptions = { rejectUnknownSymbols: true };

/**
 * A dataset whose bad rows (reader), unknown symbols (engine) and a refused second action of an
 * ex-date sit among good rows, so reader and engine reports alternate; the last row is bad too.
 */
function hostileDataset(): string {
  return writeDataset({ indices: [TV_INDEX], ticks: TICKS, fx: FX, actions: ACTIONS });
}

/**
 * The reference the pipeline replaced: one plain loop over the dataset's events, each applied and
 * its levels and reports written at once, with reports numbered by the failing action's line.
 */
function plainLoop(dir: string): { levels: string[]; issues: string[] } {
  const levels: string[] = [];
  const issues: string[] = [];
  const report = (issue: DatasetIssue) => issues.push(formatIssue(issue));
  const engine = createIndexEngine(readIndexDefinitions(dir), ENGINE);
  for (const event of datasetEvents(dir, report)) {
    const result = engine.apply(event);
    for (const level of result.levels) levels.push(formatLevelRow(level));
    for (const rejection of result.rejections) {
      const line =
        rejection.actionIndex === undefined ? undefined : actionLineOf(event, rejection.actionIndex);
      report({
        file: event.position?.source ?? 'dataset',
        line: line ?? event.position?.offset ?? 0,
        reason: rejection.reason,
        detail: rejection.detail,
      });
    }
  }
  return { levels, issues };
}

describe('the offline replay on file ports through runPipeline', () => {
  it('gives the levels and the report order of a plain loop over the events', async () => {
    const dir = hostileDataset();
    const expected = plainLoop(dir);
    const levels: string[] = [];
    const issues: string[] = [];
    const summary = await replayDataset(dir, {
      onLevel: (level) => levels.push(formatLevelRow(level)),
      onIssue: (issue) => issues.push(formatIssue(issue)),
      engine: ENGINE,
    });
    expect(levels).toEqual(expected.levels);
    expect(issues).toEqual(expected.issues);
    expect(summary.rejected).toBe(issues.length);
    // Not vacuous: reader reports (as a row is read) and engine reports (as its event is applied)
    // alternate; row 9 is read ahead of the 09:31 rows it follows, to close their group of equal time.
    expect(issues.map((i) => i.split(': ', 2).join(' '))).toEqual([
      'fx.csv:3 non_positive_fx_rate',
      'ticks.csv:9 malformed_row',
      'ticks.csv:6 non_positive_price',
      'ticks.csv:7 unknown_symbol',
      'ticks.csv:11 unknown_symbol',
      'ticks.csv:12 malformed_price',
      'actions.csv:3 unknown_symbol',
      'ticks.csv:15 non_positive_price',
    ]);
    // The refused delete withholds TV's whole 2025-01-07 adjustment (split and bonus too).
    expect(levels.length).toBeGreaterThanOrEqual(5);
  });

  it.each([1, 2, 3, 128])(
    'keeps that order at %i events per batch, and ends the run when the files end',
    async (batchSize) => {
      const dir = hostileDataset();
      const expected = plainLoop(dir);
      const source = new DatasetEventSource(dir);
      const levels: string[] = [];
      const issues: string[] = [];
      const sink = new DatasetLevelSink({
        onLevel: (level) => levels.push(formatLevelRow(level)),
        onIssue: (issue) => issues.push(formatIssue(issue)),
      });
      await source.start(null);
      await runPipeline({
        engine: createIndexEngine(readIndexDefinitions(dir), ENGINE),
        source,
        sink,
        state: new NoRecoveryStateStore(),
        stats: createPipelineStats(),
        logger: { info() {}, warn() {} },
        batchSize,
        batchWaitMs: 0,
        startVersion: 0,
        alreadyPublished: null,
        isStopping: () => source.done,
      });
      expect(source.done).toBe(true);
      expect(levels).toEqual(expected.levels);
      expect(issues).toEqual(expected.issues);
      // The last row's report, read at the very end of the files, is committed too.
      expect(issues.at(-1)).toMatch(/^ticks\.csv:15: non_positive_price: /);
      // Offsets count the events read from each file (a malformed row is no event).
      expect(await sink.committedOffsets()).toEqual({
        'actions.csv:0': '1',
        'fx.csv:0': '2',
        'ticks.csv:0': '13',
      });
      const after = await source.nextBatch(100);
      expect([after.events, after.undecodable]).toEqual([[], []]);
    },
  );

  it('ends before the first event at or after `before`', async () => {
    const dir = hostileDataset();
    const source = new DatasetEventSource(dir, { before: Date.parse('2025-01-06T09:31:00+08:00') });
    await source.start(null);
    const kinds: string[] = [];
    while (!source.done) for (const e of (await source.nextBatch(100)).events) kinds.push(e.event.kind);
    expect(kinds).toEqual(['fx-rate', 'fx-rate', 'tick', 'tick', 'tick', 'tick']);
  });
});
