// The Redis StateStore against a real Redis: the two-phase stage/promote cycle, its version
// checks, recovery decided by Kafka's offsets, the read projection, and the one-slot key layout.

// Relative until the root package.json lists @indexflow/redis-state among its devDependencies.
import { RedisStateStore, VersionConflictError } from '@indexflow/redis-state';
import { uniqueName } from '@indexflow/testkit';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

type StateSnapshot = Parameters<RedisStateStore['stage']>[0];

let redis: Redis;
const prefix = uniqueName('redis-state');

beforeAll(async () => {
  redis = new Redis(inject('redisUrl'), { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
});

afterAll(async () => {
  if (!redis) return;
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

function newStore(): RedisStateStore {
  return new RedisStateStore({ redis, calculatorId: uniqueName('calc'), prefix });
}

function engineSnapshot(level: string, indexIds: readonly string[] = ['995365']) {
  return {
    format: 1,
    lastEventTime: 1_764_000_000_000,
    tradingDate: '2025-11-24',
    fx: [{ pair: 'HKDCNY', rate: '0.9132', eventTime: 1_764_000_000_000, observationId: 'fx-42' }],
    symbols: [
      { symbol: '600519.SH', lastPrice: '1688.00', lastEventTime: 1_764_000_000_100, lastSequence: 7 },
      { symbol: '0700.HK', lastPrice: null, lastEventTime: 0 },
    ],
    indices: indexIds.map((id) => ({
      id,
      divisor: '123456.789',
      initialLevel: '1000',
      referencePriceRounding: 'exact',
      withholdingRate: null,
      sequence: 12,
      level,
      prevClose: '1030.00',
      open: '1031.00',
      high: '1040.00',
      low: '1029.50',
      totalReturn: null,
      totalReturnLevel: null,
      netTotalReturnLevel: null,
      constituents: [
        { symbol: '600519.SH', currency: 'CNY', indexShares: '1000', price: '1688.00', fxRate: '1' },
        { symbol: '0700.HK', currency: 'HKD', indexShares: '500', price: null, fxRate: '0.9132' },
      ],
    })),
  };
}

function snapshot(version: number, offset: string, level = `100${version}.5`): StateSnapshot {
  return { version, offsets: { 'ticks.sh:0': offset, 'fx:0': '3' }, engine: engineSnapshot(level) };
}

async function commit(store: RedisStateStore, state: StateSnapshot): Promise<void> {
  await store.stage(state);
  await store.promote(state.version);
}

describe('RedisStateStore', () => {
  it('stages and promotes; recover returns the committed snapshot at Kafka’s offsets', async () => {
    const store = newStore();
    await commit(store, snapshot(1, '10'));
    await commit(store, snapshot(2, '20'));
    expect(await redis.exists(store.keys.pending)).toBe(0);
    // Kafka reports offsets in its own key order; the comparison is by value.
    expect(await store.recover({ 'fx:0': '3', 'ticks.sh:0': '20' })).toEqual(snapshot(2, '20'));
  });

  it('refuses a stage on a stale version, carrying expected and found versions', async () => {
    const store = newStore();
    await expect(store.stage(snapshot(2, '10'))).rejects.toMatchObject({
      name: 'VersionConflictError',
      key: store.keys.committed,
      expected: 1,
      found: null,
      retriable: false,
    });
    await commit(store, snapshot(1, '10'));
    await commit(store, snapshot(2, '20'));
    const stale = store.stage(snapshot(2, '30'));
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    await expect(stale).rejects.toMatchObject({ expected: 1, found: 2 });
    expect(await redis.exists(store.keys.pending)).toBe(0);
  });

  it('refuses to promote a version that is not pending', async () => {
    const store = newStore();
    await store.stage(snapshot(1, '10'));
    await expect(store.promote(2)).rejects.toMatchObject({
      name: 'VersionConflictError',
      expected: 2,
      found: 1,
    });
  });

  it('refuses to promote a pending snapshot that was staged again after this instance staged it', async () => {
    const first = newStore();
    await commit(first, snapshot(1, '10'));
    await first.stage(snapshot(2, '20'));
    const second = new RedisStateStore({ redis, calculatorId: first.keys.calculatorId, prefix });
    await second.stage(snapshot(2, '25'));
    await expect(first.promote(2)).rejects.toMatchObject({
      name: 'VersionConflictError',
      key: first.keys.pending,
      expected: 2,
      found: 2,
    });
    // The instance that staged what is pending can still promote it.
    await second.promote(2);
    expect(await second.recover({ 'ticks.sh:0': '25', 'fx:0': '3' })).toEqual(snapshot(2, '25'));
  });

  it('refuses at stage an engine snapshot the projection cannot read, writing nothing', async () => {
    const store = newStore();
    const broken = {
      version: 1,
      offsets: { 't:0': '1' },
      engine: { ...engineSnapshot('1'), indices: 'none' },
    };
    await expect(store.stage(broken)).rejects.toMatchObject({
      name: 'EngineSnapshotShapeError',
      path: 'indices',
      value: 'none',
    });
    expect(await redis.exists(store.keys.pending)).toBe(0);
  });

  it('promotes on recover a pending snapshot whose offsets Kafka committed', async () => {
    const crashed = newStore();
    await commit(crashed, snapshot(1, '10'));
    await crashed.stage(snapshot(2, '20'));
    // The process died after the Kafka commit, before promote: a new instance recovers.
    const restarted = new RedisStateStore({ redis, calculatorId: crashed.keys.calculatorId, prefix });
    expect(await restarted.recover({ 'ticks.sh:0': '20', 'fx:0': '3' })).toEqual(snapshot(2, '20'));
    expect(await redis.exists(crashed.keys.pending)).toBe(0);
    expect((await restarted.readIndexProjection('995365'))?.level).toBe('1002.5');
  });

  it('drops on recover a pending snapshot whose committed predecessor Redis lost, so the caller rebuilds', async () => {
    const crashed = newStore();
    await commit(crashed, snapshot(1, '10'));
    await crashed.stage(snapshot(2, '20'));
    // Redis restarted without persistence between the stage and the promote, keeping only the pending key.
    await redis.del(crashed.keys.committed);
    const restarted = new RedisStateStore({ redis, calculatorId: crashed.keys.calculatorId, prefix });
    expect(await restarted.recover({ 'ticks.sh:0': '20', 'fx:0': '3' })).toBeNull();
    expect(await redis.exists(crashed.keys.pending)).toBe(0);
  });

  it('discards on recover a pending snapshot at other offsets and returns the previous committed one', async () => {
    const store = newStore();
    await commit(store, snapshot(1, '10'));
    await store.stage(snapshot(2, '20'));
    expect(await store.recover({ 'ticks.sh:0': '10', 'fx:0': '3' })).toEqual(snapshot(1, '10'));
    expect(await redis.exists(store.keys.pending)).toBe(0);
    expect((await store.readIndexProjection('995365'))?.version).toBe(1);
    // The next batch stages version 2 again on top of version 1.
    await commit(store, snapshot(2, '15'));
  });

  it('answers null on recover when nothing was ever committed', async () => {
    const store = newStore();
    await store.stage(snapshot(1, '10'));
    expect(await store.recover(null)).toBeNull();
    expect(await redis.exists(store.keys.pending)).toBe(0);
  });

  it('returns a committed snapshot behind Kafka as it is, for the pipeline to resume from', async () => {
    const store = newStore();
    await commit(store, snapshot(1, '10'));
    await commit(store, snapshot(2, '20'));
    // As if Redis came back from a backup taken at version 2 while Kafka moved on to offset 30.
    const behind = await store.recover({ 'ticks.sh:0': '30', 'fx:0': '3' });
    expect(behind).toMatchObject({ version: 2, offsets: { 'fx:0': '3', 'ticks.sh:0': '20' } });
    // The next stage continues its version line: version 3 on top of the committed 2.
    await store.stage(snapshot(3, '30'));
    await store.promote(3);
    expect(await store.recover({ 'ticks.sh:0': '30', 'fx:0': '3' })).toMatchObject({ version: 3 });
  });

  it('writes the projection of the promoted snapshot', async () => {
    const store = newStore();
    await commit(store, snapshot(1, '10', '1034.5678'));
    const keys = store.keys;
    expect(await redis.hgetall(keys.index('995365'))).toEqual({
      version: '1',
      sequence: '12',
      divisor: '123456.789',
      level: '1034.5678',
      prevClose: '1030.00',
      open: '1031.00',
      high: '1040.00',
      low: '1029.50',
      tradingDate: '2025-11-24',
      constituents: JSON.stringify([
        { symbol: '600519.SH', indexShares: '1000', price: '1688.00', fxRate: '1' },
        { symbol: '0700.HK', indexShares: '500', price: null, fxRate: '0.9132' },
      ]),
    });
    expect(await redis.hgetall(keys.symbol('600519.SH'))).toEqual({
      lastPrice: '1688.00',
      lastEventTime: '1764000000100',
      lastSequence: '7',
    });
    expect(await redis.hgetall(keys.symbol('0700.HK'))).toEqual({ lastEventTime: '0' });
    expect(await redis.hgetall(keys.fx('HKDCNY'))).toEqual({
      rate: '0.9132',
      eventTime: '1764000000000',
      observationId: 'fx-42',
    });
    expect(await redis.smembers(keys.indices)).toEqual(['995365']);
    expect(await store.listIndexIds()).toEqual(['995365']);
    expect(await store.readIndexProjection('995365')).toMatchObject({
      version: 1,
      level: '1034.5678',
      sequence: 12,
    });
    expect(await store.readIndexProjection('absent')).toBeNull();
  });

  it('drops the projection of an index the engine no longer holds', async () => {
    const store = newStore();
    await commit(store, { version: 1, offsets: { 't:0': '1' }, engine: engineSnapshot('1', ['a', 'b']) });
    await commit(store, { version: 2, offsets: { 't:0': '2' }, engine: engineSnapshot('2', ['b']) });
    expect(await redis.exists(store.keys.index('a'))).toBe(0);
    expect(await store.listIndexIds()).toEqual(['b']);
    expect((await store.readIndexProjection('b'))?.level).toBe('2');
  });

  it('keeps every key of one calculator in one cluster slot', async () => {
    const store = newStore();
    await commit(store, snapshot(1, '10'));
    await store.stage(snapshot(2, '20'));
    const keys = await redis.keys(`${store.keys.base}*`);
    const k = store.keys;
    expect(keys.sort()).toEqual(
      [
        k.committed,
        k.pending,
        k.indices,
        k.symbols,
        k.fxPairs,
        k.index('995365'),
        k.symbol('600519.SH'),
        k.symbol('0700.HK'),
        k.fx('HKDCNY'),
      ].sort(),
    );
    const slots = new Set(await Promise.all(keys.map((key) => keySlot(redis, key))));
    expect(slots.size).toBe(1);
    // And it is the slot of the calculator id alone, as the hash tag intends.
    expect([...slots]).toEqual([await keySlot(redis, store.keys.calculatorId)]);
  });
});

// CLUSTER KEYSLOT answers only when cluster support is enabled; a standalone Redis refuses it,
// so the slot is then computed by Redis Cluster's published rule (CRC16/XMODEM of the hash tag).
async function keySlot(client: Redis, key: string): Promise<number> {
  try {
    return Number(await client.call('CLUSTER', 'KEYSLOT', key));
  } catch (error) {
    if (!(error instanceof Error) || !/cluster support disabled/i.test(error.message)) throw error;
    return clusterSlot(key);
  }
}

function clusterSlot(key: string): number {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed, 'utf8')) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

describe('clusterSlot', () => {
  it('matches slots Redis Cluster documents', () => {
    expect(clusterSlot('foo')).toBe(12182);
    expect(clusterSlot('bar')).toBe(5061);
    expect(clusterSlot('{foo}.anything')).toBe(12182);
  });
});
