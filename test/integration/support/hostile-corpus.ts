import type { FxRateRecord, MarketTickRecord } from '@indexflow/kafka';
import { createAvroSerdes } from '@indexflow/kafka';
import type { Producer } from 'kafkajs';
import type { CalculatorEnvironment } from './calculator-environment.js';

/** One hostile input record and the dead-letter reason it must get (null: any reason). */
export interface HostileRecord {
  readonly name: string;
  readonly topic: string;
  readonly key: string;
  readonly value: Buffer | null;
  readonly reason: string | null;
}

/** Where a hostile record landed, to match its dead letter by source topic, partition and offset. */
export interface ProducedHostile extends HostileRecord {
  readonly partition: number;
  readonly offset: string;
}

// The sample dataset's day; hostile ticks carry its first minute and sequences no real tick has,
// so a record that is refused leaves no trace in the engine's per-symbol order checks.
const T0 = Date.parse('2025-03-20T09:25:00+08:00');
const FX_T0 = Date.parse('2025-03-20T08:00:00+08:00');
let sequence = 1_000_000;
const nextSequence = () => {
  sequence += 1;
  return sequence;
};

export function hostileBuilders(environment: CalculatorEnvironment) {
  const { topics, registry } = environment;
  const ticks = createAvroSerdes<MarketTickRecord>(registry, topics.ticksAshare);
  const fx = createAvroSerdes<FxRateRecord>(registry, topics.fx);
  const tick = async (symbol: string, lastPrice: string) =>
    ticks.serialize({
      symbol,
      market: 'SH',
      currency: 'CNY',
      eventTime: T0,
      sequence: nextSequence(),
      lastPrice,
      volume: '0',
      turnover: '0',
      bidPrice: null,
      askPrice: null,
      tradingPhase: 'CONTINUOUS',
    });
  const rate = async (pair: string, value: string) =>
    fx.serialize({ pair, rate: value, eventTime: FX_T0, source: 'hostile', sequence: nextSequence() });
  /** A record claiming a schema id the registry has never issued. */
  const unknownSchemaId = Buffer.from([0, 0x7f, 0xff, 0xff, 0x00, 2, 4, 6]);
  return { tick, rate, unknownSchemaId };
}

/**
 * Records every calculator must refuse whatever its engine's number bounds: transport garbage,
 * unknown schema ids, 600 KB values, and values the engine on main already refuses. The first
 * half is produced before the day's ticks, where an engine refusal has its own reason; later,
 * a tick of the day's first minute may be refused as out_of_order first (see middleReasons).
 */
export async function transportAndShapeCorpus(environment: CalculatorEnvironment): Promise<HostileRecord[]> {
  const { topics } = environment;
  const { tick, rate, unknownSchemaId } = hostileBuilders(environment);
  const bigSymbol = `${'A'.repeat(600 * 1024)}.SH`;
  return [
    {
      name: 'negative price',
      topic: topics.ticksAshare,
      key: '688041.SH',
      value: await tick('688041.SH', '-1.00'),
      reason: 'non_positive_price',
    },
    {
      name: '600 KB malformed price',
      topic: topics.ticksAshare,
      key: '688041.SH',
      value: await tick('688041.SH', `1.${'x'.repeat(600 * 1024)}`),
      reason: 'malformed_price',
    },
    {
      name: 'NaN price',
      topic: topics.ticksAshare,
      key: '688041.SH',
      value: await tick('688041.SH', 'NaN'),
      reason: 'malformed_price',
    },
    {
      name: 'not avro',
      topic: topics.ticksAshare,
      key: '600000.SH',
      value: Buffer.from('not avro at all'),
      reason: 'undecodable',
    },
    {
      name: '600 KB garbage',
      topic: topics.ticksAshare,
      key: '600000.SH',
      value: Buffer.alloc(600 * 1024, 0x41),
      reason: 'undecodable',
    },
    {
      name: 'unknown schema id',
      topic: topics.ticksAshare,
      key: '600000.SH',
      value: unknownSchemaId,
      reason: 'unknown_schema',
    },
    {
      name: 'same unknown id again',
      topic: topics.ticksHk,
      key: '00700.HK',
      value: unknownSchemaId,
      reason: 'unknown_schema',
    },
    {
      name: 'truncated avro',
      topic: topics.ticksAshare,
      key: '688041.SH',
      value: (await tick('688041.SH', '10.00')).subarray(0, 12),
      reason: 'undecodable',
    },
    { name: 'null value', topic: topics.ticksHk, key: '00700.HK', value: null, reason: 'undecodable' },
    {
      name: 'garbage adjustment',
      topic: topics.indexAdjustments,
      key: '000300',
      value: Buffer.from([0, 1, 2]),
      reason: 'undecodable',
    },
    {
      name: 'empty symbol',
      topic: topics.ticksAshare,
      key: '',
      value: await tick('', '10.00'),
      reason: null,
    },
    {
      name: 'huge symbol',
      topic: topics.ticksAshare,
      key: 'huge',
      value: await tick(`${'X'.repeat(100_000)}.SH`, '10.00'),
      reason: null,
    },
    {
      name: '600 KB tick',
      topic: topics.ticksAshare,
      key: 'big',
      value: await tick(bigSymbol, '10.00'),
      reason: null,
    },
    { name: 'FX NaN', topic: topics.fx, key: 'HKDCNY', value: await rate('HKDCNY', 'NaN'), reason: null },
    {
      name: 'FX unknown pair',
      topic: topics.fx,
      key: 'XXXYYY',
      value: await rate('XXXYYY', '1.0'),
      reason: null,
    },
  ];
}

/**
 * Numbers only the engine's number bounds refuse (the engine on main takes `1e309` or a 500-digit
 * price and computes with it): with them, a level must still be exactly the clean stream's.
 */
export async function numericExtremesCorpus(environment: CalculatorEnvironment): Promise<HostileRecord[]> {
  const { topics } = environment;
  const { tick, rate } = hostileBuilders(environment);
  const price = async (name: string, value: string): Promise<HostileRecord> => ({
    name,
    topic: topics.ticksAshare,
    key: '688041.SH',
    value: await tick('688041.SH', value),
    reason: null,
  });
  return [
    await price('price 1e50000000', '1e50000000'),
    await price('price 1e309', '1e309'),
    await price('500-digit price', '9'.repeat(500)),
    await price('600 KB price', '1'.repeat(600 * 1024)),
    { name: 'FX 1e309', topic: topics.fx, key: 'HKDCNY', value: await rate('HKDCNY', '1e309'), reason: null },
  ];
}

/** The reasons records keep when produced mid-day: decode reasons only, any engine reason else. */
export function middleReasons(records: readonly HostileRecord[]): HostileRecord[] {
  const decode = new Set(['undecodable', 'unknown_schema', 'schema_unavailable']);
  return records.map((r) => ({ ...r, reason: r.reason !== null && decode.has(r.reason) ? r.reason : null }));
}

/** Produces each record on its own, to learn its partition and offset. */
export async function produceHostile(
  producer: Producer,
  records: readonly HostileRecord[],
): Promise<ProducedHostile[]> {
  const produced: ProducedHostile[] = [];
  for (const record of records) {
    const [meta] = await producer.send({
      topic: record.topic,
      messages: [{ key: record.key, value: record.value }],
    });
    produced.push({ ...record, partition: meta!.partition, offset: meta!.baseOffset! });
  }
  return produced;
}
