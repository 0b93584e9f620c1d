import type { ProcessorRejection, ProcessorResult } from './event-processor.js';
import type { InputOffsets } from './ports.js';

/** What PassedWatermark needs of a processor: advancing its watermark (closes on a quiet feed). */
interface WatermarkProcessor<D, R extends ProcessorRejection> {
  advanceWatermark?(time: number): ProcessorResult<D, R>;
}

/**
 * The input watermark the processor has been advanced to, which each transaction carries
 * (`OutputTransaction.passedWatermark`) so that Kafka keeps it with the committed offsets.
 *
 * Why: a rebuild replays the input in batches cut differently from the crashed run's. The run
 * that committed offsets C had advanced its processor to watermark W right at C, taking the
 * closes due before W then. A rebuilt batch that straddles C applies its events past C before the
 * watermark; one of them would take the same close again, by its event, and publish it a second
 * time. So a rebuild catches up here: before the first thing at or after C reaches the processor
 * (an event past C, or the end of a batch that read up to or past C, before its own watermark),
 * the processor is advanced to W and what that makes due is dropped: the crashed run published it.
 * From there on the rebuilt processor is where the crashed run was at C.
 */
export class PassedWatermark<D, R extends ProcessorRejection> {
  readonly #processor: WatermarkProcessor<D, R>;
  #time: number | undefined;
  /** The crashed run's watermark at the committed point, until the rebuild reaches that point. */
  #catchUp: number | undefined;

  /**
   * `committed`: the watermark stored with the committed offsets (null when none was). When
   * `alreadyPublished` is set (a rebuild) the processor is behind it and catches up at the
   * committed point; otherwise the restored processor is at it already.
   */
  constructor(
    processor: WatermarkProcessor<D, R>,
    committed: number | null | undefined,
    alreadyPublished: InputOffsets | null,
  ) {
    this.#processor = processor;
    const known = committed ?? undefined;
    const advances = processor.advanceWatermark !== undefined;
    const rebuilding = alreadyPublished !== null;
    this.#catchUp = advances && rebuilding ? known : undefined;
    this.#time = advances && !rebuilding ? known : undefined;
  }

  /** The latest watermark time the processor was advanced to (undefined: none yet). */
  get time(): number | undefined {
    return this.#time;
  }

  /** Advances the processor to `time` and returns what fell due. */
  advance(time: number): ProcessorResult<D, R> | undefined {
    const result = this.#processor.advanceWatermark?.(time);
    if (result !== undefined && (this.#time === undefined || time > this.#time)) this.#time = time;
    return result;
  }

  /** The rebuild reached the committed point: advance to the crashed run's watermark, drop its output. */
  reachedCommittedPoint(): void {
    const time = this.#catchUp;
    if (time === undefined) return;
    this.#catchUp = undefined;
    this.advance(time);
  }
}
