import type { InputWatermark } from '../ports.js';

interface Mark {
  readonly offset: bigint;
  readonly time: number;
  readonly final: boolean;
}

interface PartitionMarks {
  /** Watermark records received but with records before them still unreleased, in offset order. */
  readonly waiting: Mark[];
  /** The latest watermark record whose every earlier record has been released. */
  passed: Mark | undefined;
}

/** A partition as the merge sees it when the input watermark is asked for. */
export interface PartitionProgress {
  readonly key: string;
  /** The first offset not yet released. */
  readonly firstUnreleased: bigint;
  /** Its producer's run ended at its last watermark and nothing came after it. */
  readonly final: boolean;
}

/**
 * The watermark records of each partition, and which of them the released output has passed: a
 * watermark record at offset n is passed once every record before n is released, so a stage
 * downstream that republishes it promises nothing its own output has not yet kept.
 */
export class PassedWatermarks {
  readonly #partitions = new Map<string, PartitionMarks>();

  received(key: string, offset: bigint, watermark: { time: number; final: boolean }): void {
    let marks = this.#partitions.get(key);
    if (marks === undefined) {
      marks = { waiting: [], passed: undefined };
      this.#partitions.set(key, marks);
    }
    marks.waiting.push({ offset, time: watermark.time, final: watermark.final });
  }

  /** The partition was revoked: its new owner reads its unreleased records (and marks) again. */
  forget(key: string): void {
    const marks = this.#partitions.get(key);
    if (marks !== undefined) marks.waiting.length = 0;
  }

  /**
   * The lowest passed watermark over `partitions` (its time; final when every partition's is), or
   * undefined while some partition has passed none: its producer has promised nothing yet.
   */
  inputWatermark(partitions: readonly PartitionProgress[]): InputWatermark | undefined {
    if (partitions.length === 0) return undefined;
    let time = Number.POSITIVE_INFINITY;
    let final = true;
    const records: Record<string, string> = {};
    for (const partition of partitions) {
      const passed = this.#advance(partition);
      if (passed === undefined) return undefined;
      time = Math.min(time, passed.time);
      final &&= passed.final && partition.final;
      records[partition.key] = passed.offset.toString();
    }
    return { time, final, records };
  }

  #advance(partition: PartitionProgress): Mark | undefined {
    const marks = this.#partitions.get(partition.key);
    if (marks === undefined) return undefined;
    while (marks.waiting.length > 0 && marks.waiting[0]!.offset < partition.firstUnreleased) {
      const mark = marks.waiting.shift()!;
      // A producer's promises only rise; a lower one later promises nothing new.
      if (marks.passed === undefined || mark.time >= marks.passed.time) marks.passed = mark;
      else marks.passed = { ...marks.passed, final: mark.final };
    }
    return marks.passed;
  }
}
