import { type Client, SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { beforeEach, describe, expect, it } from 'vitest';
import { createAvroSerdes, createReferenceAvroSerdes, createTopicSerdes } from './avro-serdes.js';
import { AvroDeserializationError, AvroSerializationError, SchemaRegistryError } from './kafka-errors.js';
import type { IndexAdjustmentRecord, IndexLevelRecord, MarketTickRecord } from './record-types.js';
import { type RegisteredSchema, registerTopicSchemas } from './schema-registration.js';
import { TOPICS } from './topics.js';

const tick: MarketTickRecord = {
  symbol: '600519.SH',
  market: 'SH',
  currency: 'CNY',
  eventTime: Date.UTC(2026, 10, 27, 1, 30, 3, 120),
  sequence: 4_200_000_001,
  lastPrice: '1688.00',
  volume: '1234500',
  turnover: '2083836000.00',
  bidPrice: '1687.99',
  askPrice: null,
  tradingPhase: 'CONTINUOUS',
};

const level: IndexLevelRecord = {
  indexId: '995365',
  currency: 'CNY',
  eventTime: Date.UTC(2026, 10, 27, 2, 0, 0, 0),
  sequence: 17,
  trigger: 'TICK',
  triggerSymbol: '0700.HK',
  level: '1008.629298878400000000',
  prevClose: '1000.000000000000000000',
  change: '8.629298878400000000',
  changePercent: '0.862929887840000000',
  open: '1001.5',
  high: '1009.000000000000000001',
  low: '999.99',
  divisor: '123456789.0123456789012345678901234567',
  marketValue: '124521866123.45',
  totalReturnLevel: '1010.000000000000000000',
  netTotalReturnLevel: null,
  fxObservation: {
    observationId: 'HKDCNY@2026-11-27T01:59:00Z',
    pair: 'HKDCNY',
    rate: '0.92187',
    eventTime: Date.UTC(2026, 10, 27, 1, 59, 0, 0),
  },
  stale: false,
  constituents: [
    {
      symbol: '0700.HK',
      price: '388.40',
      fxRate: '0.92187',
      indexShares: '1000000',
      contribution: '2.9003474480',
      weight: '0.0028755',
    },
    {
      symbol: '600519.SH',
      price: '1688.00',
      fxRate: '1',
      indexShares: '500000.5',
      contribution: '0.0000000000000000000000000001',
      weight: '0',
    },
  ],
};

describe('createAvroSerdes against a mock registry', () => {
  let client: Client;
  let registered: readonly RegisteredSchema[];

  beforeEach(async () => {
    client = SchemaRegistryClient.newClient({ baseURLs: ['mock://'] });
    registered = await registerTopicSchemas(client);
  });

  function idOf(subject: string): number {
    const found = registered.find((schema) => schema.subject === subject);
    if (found === undefined) throw new Error(`${subject} was not registered`);
    return found.id;
  }

  it('writes the Confluent wire format: magic byte 0 then the registered id', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    const bytes = await serdes.serialize(tick);
    expect(bytes[0]).toBe(0);
    expect(bytes.readUInt32BE(1)).toBe(idOf('indexflow.ticks.ashare-value'));
    expect(serdes.subject).toBe('indexflow.ticks.ashare-value');
  });

  it('looks a schema id up once, however many records a reader decodes with it', async () => {
    let lookups = 0;
    const counting = new Proxy(client, {
      get(target, property, receiver) {
        if (property === 'getBySubjectAndId') lookups += 1;
        const value = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const writer = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    const bytes = await writer.serialize(tick);
    const reader = createAvroSerdes<MarketTickRecord>(counting, TOPICS.ticksAshare.name);
    for (let i = 0; i < 50; i += 1) expect(await reader.deserialize(bytes)).toEqual(tick);
    expect(lookups).toBe(1);
  });

  it('round-trips a tick, including nulls and a long sequence above 2^32', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    expect(await serdes.deserialize(await serdes.serialize(tick))).toEqual(tick);
  });

  it('round-trips an index level with every decimal string unchanged', async () => {
    // createTopicSerdes infers IndexLevelRecord from the topic's schema.
    const serdes = createTopicSerdes(client, TOPICS.indexLevels);
    const bytes = await serdes.serialize(level);
    expect(bytes.readUInt32BE(1)).toBe(idOf('indexflow.index-levels-value'));
    const decoded = await serdes.deserialize(bytes);
    expect(decoded).toEqual(level);
    expect(decoded.level).toBe('1008.629298878400000000');
    expect(decoded.divisor).toBe('123456789.0123456789012345678901234567');
    expect(decoded.constituents?.[1]?.contribution).toBe('0.0000000000000000000000000001');
  });

  it('round-trips a level before the first of the day (null open/high/low, no FX)', async () => {
    const serdes = createAvroSerdes<IndexLevelRecord>(client, TOPICS.indexLevels.name);
    const first: IndexLevelRecord = {
      ...level,
      prevClose: null,
      change: null,
      changePercent: null,
      open: null,
      high: null,
      low: null,
      fxObservation: null,
      constituents: null,
    };
    expect(await serdes.deserialize(await serdes.serialize(first))).toEqual(first);
  });

  it('round-trips an index adjustment holding several actions in order', async () => {
    const adjustment: IndexAdjustmentRecord = {
      adjustmentId: '995365:2025-03-21',
      indexId: '995365',
      effectiveDate: '2025-03-21',
      eventTime: Date.UTC(2025, 2, 20, 16, 0, 0, 0),
      actions: [
        {
          actionId: 'CA-300017-2025',
          type: 'bonus',
          symbol: '300017.SZ',
          indexId: null,
          exDate: '2025-03-21',
          ratio: '0.4',
          price: null,
          amount: null,
          shares: null,
          currency: null,
          announcedAt: Date.UTC(2025, 2, 1),
        },
        {
          actionId: 'CA-0700-ADD',
          type: 'add',
          symbol: '0700.HK',
          indexId: '995365',
          exDate: '2025-03-21',
          ratio: null,
          price: '388.40',
          amount: null,
          shares: '1000000',
          currency: 'HKD',
          announcedAt: Date.UTC(2025, 2, 2),
        },
      ],
      proforma: [
        {
          indexId: '995365',
          divisorBefore: '1000.5',
          divisorAfter: '1001.25',
          levelBefore: '1010.1',
          levelAfter: '1010.1',
          constituents: [
            {
              symbol: '300017.SZ',
              priceBefore: '14',
              priceAfter: '10',
              sharesBefore: '100',
              sharesAfter: '140',
            },
          ],
        },
      ],
    };
    const serdes = createAvroSerdes<IndexAdjustmentRecord>(client, TOPICS.indexAdjustments.name);
    expect(await serdes.deserialize(await serdes.serialize(adjustment))).toEqual(adjustment);
  });

  it('refuses a value that does not match the schema, with a typed error naming the field', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    // A JS number where the contract says decimal string: exactly the float leak the schema prevents.
    const wrong = { ...tick, lastPrice: 1688 } as unknown as MarketTickRecord;
    const error = await serdes.serialize(wrong).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AvroSerializationError);
    expect(error).toMatchObject({
      topic: 'indexflow.ticks.ashare',
      subject: 'indexflow.ticks.ashare-value',
      value: wrong,
      retriable: false,
    });
    expect((error as Error).message).toContain('lastPrice');
  });

  it('refuses an enum symbol the schema does not list', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    const wrong = { ...tick, market: 'NYSE' } as unknown as MarketTickRecord;
    await expect(serdes.serialize(wrong)).rejects.toBeInstanceOf(AvroSerializationError);
  });

  it('fails when the subject has no schema instead of inferring and registering one', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, 'indexflow.unregistered');
    const error = await serdes.serialize(tick).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SchemaRegistryError);
    expect(error).toMatchObject({ subject: 'indexflow.unregistered-value', status: 404, retriable: false });
    expect(await client.getAllSubjects()).not.toContain('indexflow.unregistered-value');
  });

  it('reports undecodable bytes with the schema id they claimed', async () => {
    const serdes = createAvroSerdes<MarketTickRecord>(client, TOPICS.ticksAshare.name);
    const valid = await serdes.serialize(tick);
    const truncated = valid.subarray(0, 12);
    const error = await serdes.deserialize(truncated).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AvroDeserializationError);
    expect(error).toMatchObject({
      topic: 'indexflow.ticks.ashare',
      schemaId: idOf('indexflow.ticks.ashare-value'),
    });
    await expect(serdes.deserialize(Buffer.alloc(0))).rejects.toBeInstanceOf(AvroDeserializationError);
    await expect(serdes.deserialize(Buffer.from('not avro'))).rejects.toBeInstanceOf(
      AvroDeserializationError,
    );
  });
});

describe('fast serdes against the registry client reference', () => {
  it('write the same bytes and read each other’s bytes to the same records', async () => {
    const registry = SchemaRegistryClient.newClient({ baseURLs: [`mock://reference-${Math.random()}`] });
    await registerTopicSchemas(registry);
    const cases: Array<[string, unknown]> = [
      [TOPICS.ticksAshare.name, tick],
      [TOPICS.indexLevels.name, level],
    ];
    for (const [topic, record] of cases) {
      const fast = createAvroSerdes<unknown>(registry, topic);
      const reference = createReferenceAvroSerdes<unknown>(registry, topic);
      const fastBytes = await fast.serialize(record);
      const referenceBytes = await reference.serialize(record);
      expect(fastBytes.equals(referenceBytes)).toBe(true);
      expect(await fast.deserialize(referenceBytes)).toEqual(await reference.deserialize(referenceBytes));
      expect(await fast.deserialize(referenceBytes)).toEqual(record);
    }
  });
});
