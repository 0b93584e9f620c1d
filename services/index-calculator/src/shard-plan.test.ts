import type { IndexDefinition } from '@indexflow/index-engine';
import { describe, expect, it } from 'vitest';
import { hashShard, parseShardListing, planShards, ShardPlanError, shardCalculatorId } from './shard-plan.js';

const index = (id: string, symbols: string[]): IndexDefinition => ({
  id,
  initialLevel: '1000',
  constituents: symbols.map((symbol) => ({ symbol, shares: '1' })),
});

describe('hashShard', () => {
  it('is FNV-1a 32 of the UTF-8 id, so an operator can compute it anywhere', () => {
    // FNV-1a 32 of "a" is 0xe40c292c (the published test vector).
    expect(hashShard('a', 2 ** 32 - 1)).toBe(0xe40c292c % (2 ** 32 - 1));
    expect(hashShard('995365.SSI', 3)).toBe(2);
    expect(hashShard('995366.SSI', 3)).toBe(0);
    expect(hashShard('995367.SSI', 3)).toBe(1);
  });
});

describe('planShards', () => {
  const definitions = [index('A', ['1.SH', '2.SH']), index('B', ['2.SH', '3.HK']), index('C', ['3.HK'])];

  it('puts each index in exactly one shard, listed shards first', () => {
    const plan = planShards(definitions, 4, new Map([['B', 3]]));
    const all = [0, 1, 2, 3].flatMap((s) => plan.definitionsOf(s).map((d) => d.id));
    expect(all.sort()).toEqual(['A', 'B', 'C']);
    expect(plan.shardOfIndex('B')).toBe(3);
    expect(plan.definitionsOf(3).map((d) => d.id)).toContain('B');
    expect(plan.shardOfIndex('not-defined')).toBe(0);
  });

  it('homes a symbol in the lowest shard holding it, and unknown symbols in shard 0', () => {
    const plan = planShards(
      definitions,
      3,
      new Map([
        ['A', 2],
        ['B', 1],
        ['C', 0],
      ]),
    );
    expect(plan.homeOfSymbol('1.SH')).toBe(2);
    expect(plan.homeOfSymbol('2.SH')).toBe(1);
    expect(plan.homeOfSymbol('3.HK')).toBe(0);
    expect(plan.homeOfSymbol('9.SZ')).toBe(0);
    expect(plan.isKnownSymbol('9.SZ')).toBe(false);
    expect(plan.isKnownSymbol('2.SH')).toBe(true);
  });

  it('names shard calculators after the calculator id', () => {
    expect(shardCalculatorId('main', 7)).toBe('main-shard-7');
  });
});

describe('parseShardListing', () => {
  it('reads indexId=shard pairs', () => {
    expect([...parseShardListing(' A=0, B=2 ', 3)]).toEqual([
      ['A', 0],
      ['B', 2],
    ]);
    expect(parseShardListing(undefined, 3).size).toBe(0);
  });

  it('refuses a shard out of range, a bad entry and a repeated index, naming the entry', () => {
    expect(() => parseShardListing('A=3', 3)).toThrow(ShardPlanError);
    expect(() => parseShardListing('A=3', 3)).toThrow('"A=3"');
    expect(() => parseShardListing('A', 3)).toThrow('indexId=shard');
    expect(() => parseShardListing('A=x', 3)).toThrow('indexId=shard');
    expect(() => parseShardListing('A=1,A=2', 3)).toThrow('twice');
  });
});
