// Intraday history per index and trading date (the market calendar's SSE date of the level's event time), kept
// in memory in bounded rings: at most `maxPointsPerDay` levels per index and day (the oldest are
// dropped first, and `truncated` says so) and at most `maxDays` dates per index (the oldest date is
// dropped). The gateway fills it from the level topic at start (see level-consumer.ts), so it is a
// cache of the topic, rebuilt on every start, never a store of its own.
import { tradingDateOf } from '@indexflow/market-calendar';

export interface HistoryPoint {
  readonly eventTime: number;
  readonly sequence: number;
  /** The published level, as its decimal string. */
  readonly level: string;
}

export interface DayHistory {
  readonly indexId: string;
  readonly date: string;
  /** True when older levels of the day were dropped to keep the ring bounded. */
  readonly truncated: boolean;
  readonly points: readonly HistoryPoint[];
}

/** A fixed-capacity ring of points; overwrites the oldest when full. */
class PointRing {
  readonly #slots: (HistoryPoint | undefined)[];
  #start = 0;
  #size = 0;
  dropped = 0;

  constructor(capacity: number) {
    this.#slots = new Array(capacity);
  }

  push(point: HistoryPoint): void {
    const capacity = this.#slots.length;
    if (this.#size < capacity) {
      this.#slots[(this.#start + this.#size) % capacity] = point;
      this.#size += 1;
    } else {
      this.#slots[this.#start] = point;
      this.#start = (this.#start + 1) % capacity;
      this.dropped += 1;
    }
  }

  toArray(): HistoryPoint[] {
    const out: HistoryPoint[] = [];
    for (let i = 0; i < this.#size; i += 1) out.push(this.#slots[(this.#start + i) % this.#slots.length]!);
    return out;
  }
}

export class IntradayHistory {
  readonly #maxPointsPerDay: number;
  readonly #maxDays: number;
  /** indexId → date → ring; dates in insertion order, which is chronological for one index. */
  readonly #days = new Map<string, Map<string, PointRing>>();

  constructor(options: { maxPointsPerDay: number; maxDays: number }) {
    this.#maxPointsPerDay = options.maxPointsPerDay;
    this.#maxDays = options.maxDays;
  }

  add(indexId: string, point: HistoryPoint): void {
    let byDate = this.#days.get(indexId);
    if (!byDate) {
      byDate = new Map();
      this.#days.set(indexId, byDate);
    }
    const date = tradingDateOf(point.eventTime, 'SH');
    let ring = byDate.get(date);
    if (!ring) {
      ring = new PointRing(this.#maxPointsPerDay);
      byDate.set(date, ring);
      while (byDate.size > this.#maxDays) byDate.delete(byDate.keys().next().value!);
    }
    ring.push(point);
  }

  /** Dates held for an index, oldest first. */
  dates(indexId: string): string[] {
    return [...(this.#days.get(indexId)?.keys() ?? [])];
  }

  /**
   * Returns the index's levels of `date` (default: its latest date held), or null when none are held.
   * With `intervalMs` > 0, keeps the last level of each interval of event time (a bar's close), so a
   * chart of a busy day stays small; every level returned is one that was published.
   */
  day(indexId: string, date?: string, intervalMs = 0): DayHistory | null {
    const byDate = this.#days.get(indexId);
    if (!byDate || byDate.size === 0) return null;
    const chosen = date ?? [...byDate.keys()].at(-1)!;
    const ring = byDate.get(chosen);
    if (!ring) return null;
    const all = ring.toArray();
    return { indexId, date: chosen, truncated: ring.dropped > 0, points: downsample(all, intervalMs) };
  }
}

/** The last point of each `intervalMs` bucket of event time; all points when the interval is 0. */
export function downsample(points: readonly HistoryPoint[], intervalMs: number): HistoryPoint[] {
  if (intervalMs <= 0) return [...points];
  const out: HistoryPoint[] = [];
  let bucket: number | null = null;
  for (const point of points) {
    const current = Math.floor(point.eventTime / intervalMs);
    if (current === bucket) out[out.length - 1] = point;
    else out.push(point);
    bucket = current;
  }
  return out;
}
