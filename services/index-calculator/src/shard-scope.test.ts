import { datasetEvents, formatLevelRow, readIndexDefinitions } from '@indexflow/dataset-files';
import { compareEvents, IndexEngine, type IndexEvent, type Rejection } from '@indexflow/index-engine';
import type { EventBatch, SourcedEvent } from '@indexflow/pipeline';
import { SAMPLE_DIR } from '@indexflow/seed-indices';
import { describe, expect, it } from 'vitest';
import { planShards } from './shard-plan.js';
import { createShardScope } from './shard-scope.js';

const definitions = readIndexDefinitions(SAMPLE_DIR);
const at = (iso: string) => Date.parse(iso);

/** The sample day (with its actions) plus one of each kind of bad input a shard must judge. */
function eventsWithBadInput(): IndexEvent[] {
  const events = [...datasetEvents(SAMPLE_DIR, () => {})];
  const extra: IndexEvent[] = [
    { kind: 'tick', eventTime: at('2025-03-20T10:00:00+08:00'), symbol: 'NOPE.SH', price: '10' },
    { kind: 'tick', eventTime: at('2025-03-20T10:00:00+08:00'), symbol: '688041.SH', price: '-1' },
    { kind: 'tick', eventTime: at('2025-03-20T10:00:01+08:00'), symbol: '0700.HK', price: '0' },
    { kind: 'tick', eventTime: at('2025-03-20T10:00:02+08:00'), symbol: '000032.SZ', price: 'x' },
    { kind: 'fx-rate', eventTime: at('2025-03-20T10:00:03+08:00'), pair: 'EURCNY', rate: '7.8' },
    {
      kind: 'index-adjustment',
      eventTime: at('2025-03-21T08:00:00+08:00'),
      effectiveDate: '2025-03-21',
      adjustmentId: 'shard-test',
      actions: [
        { type: 'delete', symbol: '688041.SH', indexId: '995365.SSI' },
        // Only 995367.SSI holds 300738.SZ: the add prices it from the last tick the shard kept.
        { type: 'add', symbol: '300738.SZ', indexId: '995365.SSI', shares: '1000' },
        { type: 'split', symbol: 'NOPE.SZ', ratio: '2' },
        { type: 'shares_change', symbol: '600050.SH', indexId: '999999.SSI', shares: '100' },
        { type: 'shares_change', symbol: '9999.HK', indexId: '995366.SSI', shares: '100' },
      ],
    },
  ];
  return [...events, ...extra].sort(compareEvents);
}

const sourced = (event: IndexEvent, offset: number): SourcedEvent => ({
  event,
  topic: event.kind,
  partition: 0,
  offset: String(offset),
  key: null,
  value: null,
  receivedAt: 0,
});

const describeRejection = (r: Rejection) => `${r.reason}|${r.detail}|${r.eventTime}`;

function singleRun(events: readonly IndexEvent[]) {
  const engine = new IndexEngine(definitions, { rejectUnknownSymbols: true });
  const levels: string[] = [];
  const rejections: string[] = [];
  for (const event of events) {
    const result = engine.apply(event);
    levels.push(...result.levels.map(formatLevelRow));
    rejections.push(...result.rejections.map(describeRejection));
  }
  return { levels: levels.sort(), rejections: rejections.sort() };
}

async function shardedRun(events: readonly IndexEvent[], shards: number) {
  const plan = planShards(definitions, shards);
  const levels: string[] = [];
  const rejections: string[] = [];
  const undecodable = [
    { topic: 't', partition: 0, offset: '0', key: null, value: null, reason: 'undecodable', detail: '' },
  ];
  let undecodableWritten = 0;
  for (let shard = 0; shard < shards; shard += 1) {
    const scope = createShardScope(plan, shard, { rejectUnknownSymbols: true });
    const batch: EventBatch = { events: events.map(sourced), undecodable, nextOffsets: {} };
    const source = scope.wrapSource({
      start: async () => {},
      close: async () => {},
      nextBatch: async () => batch,
    });
    const narrowed = await source.nextBatch(events.length, 0);
    undecodableWritten += narrowed.undecodable.length;
    const engine = new IndexEngine(scope.definitions, { rejectUnknownSymbols: false });
    for (const item of narrowed.events) {
      const result = engine.apply(item.event);
      levels.push(...result.levels.map(formatLevelRow));
      rejections.push(...scope.rejectionsToPublish(item, result.rejections).map(describeRejection));
    }
  }
  return { levels: levels.sort(), rejections: rejections.sort(), undecodableWritten };
}

describe('shards of the calculator', () => {
  const events = eventsWithBadInput();
  const single = singleRun(events);

  it('exercise real bad input (the fixture is not vacuous)', () => {
    const reasons = new Set(single.rejections.map((r) => r.split('|')[0]));
    expect([...reasons].sort()).toEqual(
      ['malformed_price', 'non_positive_price', 'unknown_fx_pair', 'unknown_index', 'unknown_symbol'].sort(),
    );
    expect(single.levels.length).toBeGreaterThan(1000);
  });

  for (const shards of [1, 2, 3, 5]) {
    it(`with ${shards} shard(s), compute every level once and dead-letter every rejection once, as one engine does`, async () => {
      const sharded = await shardedRun(events, shards);
      expect(sharded.levels).toEqual(single.levels);
      expect(sharded.rejections).toEqual(single.rejections);
      expect(sharded.undecodableWritten).toBe(1);
    });
  }

  it('leave an adjustment in place for shards without its indices, minus their index-scoped actions', async () => {
    const plan = planShards(definitions, 3);
    const adjustment = events.find((e) => e.kind === 'index-adjustment' && e.adjustmentId === 'shard-test')!;
    const kept = await Promise.all(
      [0, 1, 2].map(async (shard) => {
        const source = createShardScope(plan, shard, { rejectUnknownSymbols: true }).wrapSource({
          start: async () => {},
          close: async () => {},
          nextBatch: async () => ({ events: [sourced(adjustment, 0)], undecodable: [], nextOffsets: {} }),
        });
        const [only] = (await source.nextBatch(1, 0)).events;
        return only!.event.kind === 'index-adjustment' ? only!.event.actions.map((a) => a.type) : [];
      }),
    );
    const shardOf365 = plan.shardOfIndex('995365.SSI');
    for (const [shard, types] of kept.entries()) {
      expect(types).toContain('split');
      expect(types.includes('add')).toBe(shard === shardOf365);
      // The unknown index goes to shard 0 only, which refuses it as the single engine does.
      expect(types.filter((t) => t === 'shares_change').length).toBe(
        (shard === 0 ? 1 : 0) + (shard === plan.shardOfIndex('995366.SSI') ? 1 : 0),
      );
    }
  });
});
