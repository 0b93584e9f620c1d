import type { CorporateAction } from '../src/corporate-actions/corporate-action.js';
import { createIndexEngine, type IndexEngine } from '../src/engine/index-engine.js';
import type { IndexEvent } from '../src/events/index-event.js';
import type { IndexDefinition } from '../src/index-definition.js';
import type { IndexLevel } from '../src/index-level.js';
import type { Rejection } from '../src/rejection.js';

/** Day T of the methodology's worked examples, 09:30 Asia/Shanghai, and the next days' midnights. */
export const DAY_T = Date.parse('2025-01-06T09:30:00+08:00');
export const midnight = (date: string): number => Date.parse(`${date}T00:00:00+08:00`);

/** TV1: index shares from 40/30/7/23 % at 100/25/8/250 HKD × 0.92, base 1000. */
export const TV1_INDEX: IndexDefinition = {
  id: 'TV',
  initialLevel: '1000',
  constituents: [
    { symbol: 'AAA.SH', shares: '400000' },
    { symbol: 'BBB.SZ', shares: '1200000' },
    { symbol: 'CCC.SZ', shares: '875000' },
    { symbol: 'DDD.HK', shares: '100000' },
  ],
};

export class Harness {
  readonly engine: IndexEngine;
  readonly levels: IndexLevel[] = [];
  readonly rejections: Rejection[] = [];
  #time: number;

  constructor(definition: IndexDefinition = TV1_INDEX, start = DAY_T) {
    this.engine = createIndexEngine([definition], { contributions: 'all' });
    this.#time = start;
  }

  apply(event: IndexEvent): IndexLevel[] {
    const result = this.engine.apply(event);
    this.levels.push(...result.levels);
    this.rejections.push(...result.rejections);
    return result.levels;
  }

  tick(symbol: string, price: string, sequence?: number): IndexLevel[] {
    this.#time += 1000;
    return this.apply({
      kind: 'tick',
      symbol,
      price,
      eventTime: this.#time,
      ...(sequence === undefined ? {} : { sequence }),
    });
  }

  fx(rate: string, pair = 'HKDCNY'): IndexLevel[] {
    this.#time += 1000;
    return this.apply({ kind: 'fx-rate', pair, rate, eventTime: this.#time });
  }

  /** Opens a new trading date and applies its ex-date actions at 00:00 Asia/Shanghai. */
  exDate(date: string, actions: CorporateAction[]): IndexLevel[] {
    this.#time = midnight(date);
    this.apply({ kind: 'session', phase: 'open', tradingDate: date, eventTime: this.#time });
    const levels =
      actions.length > 0
        ? this.apply({ kind: 'index-adjustment', effectiveDate: date, actions, eventTime: this.#time })
        : [];
    this.#time += 9.5 * 3600 * 1000;
    return levels;
  }

  get last(): IndexLevel {
    const level = this.levels.at(-1);
    if (!level) throw new Error('no level emitted yet');
    return level;
  }
}

/** TV1 base then TV2's five ticks: the common state S2 (Div 100,000, level 1005.64, FX 0.92). */
export function stateS2(definition: IndexDefinition = TV1_INDEX): Harness {
  const h = new Harness(definition);
  h.fx('0.9200');
  h.tick('AAA.SH', '100.00');
  h.tick('BBB.SZ', '25.00');
  h.tick('CCC.SZ', '8.00');
  h.tick('DDD.HK', '250.00');
  h.tick('AAA.SH', '101.50');
  h.tick('BBB.SZ', '24.80');
  h.tick('DDD.HK', '252.00');
  h.tick('AAA.SH', '101.20');
  h.tick('CCC.SZ', '8.16', 5);
  return h;
}
