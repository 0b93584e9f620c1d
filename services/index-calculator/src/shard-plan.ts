import type { IndexDefinition } from '@indexflow/index-engine';

/**
 * How the index set is split into shards. A pure function of the definitions, the shard count and
 * the listed overrides, so every instance computes the same plan without talking to the others.
 */
export interface ShardPlan {
  readonly shards: number;
  /** The shard computing `indexId`; an index in no definition maps to shard 0. */
  shardOfIndex(indexId: string): number;
  /** The definitions shard `shard` computes (possibly none). */
  definitionsOf(shard: number): readonly IndexDefinition[];
  /**
   * The shard that dead-letters a record about `symbol`: the lowest shard whose indices hold it
   * (its engine judges the symbol exactly as a single calculator would), or shard 0 when none does.
   */
  homeOfSymbol(symbol: string): number;
  /** True when some configured index holds `symbol`. */
  isKnownSymbol(symbol: string): boolean;
}

/** A shard listing that cannot be used; carries the offending entry. */
export class ShardPlanError extends Error {
  constructor(
    readonly entry: string,
    message: string,
  ) {
    super(`${message} (entry was ${JSON.stringify(entry)})`);
    this.name = 'ShardPlanError';
  }
}

/**
 * FNV-1a 32-bit of the UTF-8 bytes, modulo `shards`. Chosen for being tiny, dependency-free and
 * identical in every language, so an operator can compute an index's shard by hand.
 */
export function hashShard(indexId: string, shards: number): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(indexId, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % shards;
}

/** The calculator id of one shard: its Redis hash tag, consumer group and transactional id. */
export function shardCalculatorId(calculatorId: string, shard: number): string {
  return `${calculatorId}-shard-${shard}`;
}

/** Parses `SHARD_INDICES` (`indexId=shard,indexId=shard`), checking each shard is below `shards`. */
export function parseShardListing(text: string | undefined, shards: number): ReadonlyMap<string, number> {
  const listed = new Map<string, number>();
  if (text === undefined || text.trim() === '') return listed;
  for (const entry of text.split(',')) {
    const [indexId, shard, extra] = entry.trim().split('=');
    if (!indexId || shard === undefined || extra !== undefined || !/^\d+$/.test(shard)) {
      throw new ShardPlanError(entry, 'write each entry as indexId=shard');
    }
    if (Number(shard) >= shards) throw new ShardPlanError(entry, `shard must be below SHARDS (${shards})`);
    if (listed.has(indexId)) throw new ShardPlanError(entry, 'index listed twice');
    listed.set(indexId, Number(shard));
  }
  return listed;
}

export function planShards(
  definitions: readonly IndexDefinition[],
  shards: number,
  listed: ReadonlyMap<string, number> = new Map(),
): ShardPlan {
  const shardOf = new Map<string, number>();
  const byShard: IndexDefinition[][] = Array.from({ length: shards }, () => []);
  const home = new Map<string, number>();
  for (const definition of definitions) {
    const shard = listed.get(definition.id) ?? hashShard(definition.id, shards);
    shardOf.set(definition.id, shard);
    byShard[shard]!.push(definition);
    for (const { symbol } of definition.constituents) {
      const current = home.get(symbol);
      if (current === undefined || shard < current) home.set(symbol, shard);
    }
  }
  return {
    shards,
    shardOfIndex: (indexId) => shardOf.get(indexId) ?? 0,
    definitionsOf: (shard) => byShard[shard] ?? [],
    homeOfSymbol: (symbol) => home.get(symbol) ?? 0,
    isKnownSymbol: (symbol) => home.has(symbol),
  };
}
