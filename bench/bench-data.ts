import type { IndexDefinition, TickEvent } from '@indexflow/index-engine';

/** A small deterministic PRNG (mulberry32) so every benchmark run sees the same ticks. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random-walk ticks at 0.01 tick size over the given symbols, one millisecond apart. */
export function makeTicks(
  symbols: readonly string[],
  count: number,
  seed: number,
  start: number,
): TickEvent[] {
  const random = mulberry32(seed);
  const cents = symbols.map(() => 1000 + Math.floor(random() * 20000));
  const ticks: TickEvent[] = new Array(count);
  for (let i = 0; i < count; i += 1) {
    const s = Math.floor(random() * symbols.length);
    const step = Math.floor(random() * 5) - 2;
    cents[s] = Math.max(100, cents[s]! + step);
    const c = cents[s]!;
    ticks[i] = {
      kind: 'tick',
      symbol: symbols[s]!,
      price: `${Math.floor(c / 100)}.${String(c % 100).padStart(2, '0')}`,
      eventTime: start + i,
    };
  }
  return ticks;
}

/** 5,000 symbols and 1,000 indices of 50 constituents: each symbol sits in ~10 indices. */
export function marketScale(seed: number): { definitions: IndexDefinition[]; symbols: string[] } {
  const random = mulberry32(seed);
  const symbols = Array.from({ length: 5000 }, (_, i) => `${String(600000 + i)}.SH`);
  const definitions: IndexDefinition[] = Array.from({ length: 1000 }, (_, k) => {
    const chosen = new Set<number>();
    while (chosen.size < 50) chosen.add(Math.floor(random() * symbols.length));
    return {
      id: `IDX${k}`,
      initialLevel: '1000',
      constituents: [...chosen].map((i) => ({
        symbol: symbols[i]!,
        shares: String(1000 + Math.floor(random() * 1_000_000)),
      })),
    };
  });
  return { definitions, symbols };
}
