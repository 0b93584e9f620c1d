import { isBefore } from './offsets.js';
import type { InputOffsets, InputWatermark } from './ports.js';

/**
 * Which input watermarks a pipeline publishes: each one that moved (time or final flag) since the
 * last published, except, after a rebuild, those resting only on watermark records before the
 * committed point (the run before the crash published them, or a later one).
 */
export class WatermarkProgress {
  readonly #alreadyPublished: InputOffsets | null;
  #last: InputWatermark | undefined;

  constructor(alreadyPublished: InputOffsets | null) {
    this.#alreadyPublished = alreadyPublished;
  }

  /** The watermark a batch publishes, or undefined (none, unchanged, or published before). */
  offer(input: InputWatermark | undefined): InputWatermark | undefined {
    if (input === undefined) return undefined;
    const last = this.#last;
    // Never back: a newly assigned partition's older promise does not undo a published one.
    const watermark = last !== undefined && input.time < last.time ? { ...input, time: last.time } : input;
    if (last !== undefined && last.time === watermark.time && last.final === watermark.final)
      return undefined;
    const records = Object.entries(watermark.records);
    if (
      records.length > 0 &&
      records.every(([key, offset]) => isBefore(this.#alreadyPublished, key, offset))
    ) {
      this.#last = watermark;
      return undefined;
    }
    return watermark;
  }

  /** `watermark` (from offer) goes out with a batch that will be committed. */
  published(watermark: InputWatermark): void {
    this.#last = watermark;
  }
}
