/**
 * The metadata string the level sinks commit with each input offset: the watermark time the
 * processor had passed at those offsets (`OutputTransaction.passedWatermark`). Kafka keeps it
 * atomically with the offsets of the transaction, so a rebuild after lost state knows where the
 * crashed run had taken its watermark closes (see the pipeline's PassedWatermark).
 *
 * The text ends with `;` and is read by its prefix: librdkafka writes a trailing NUL and, reading,
 * drops the last byte, so the kafkajs and native sinks each read what the other wrote.
 */
const PREFIX = 'indexflow-passed-watermark=';
const PATTERN = /^indexflow-passed-watermark=(\d{1,15});?/;

/** The metadata to commit with every offset of a transaction, or undefined when it has none. */
export function offsetMetadata(passedWatermark: number | undefined): string | undefined {
  return passedWatermark === undefined ? undefined : `${PREFIX}${passedWatermark};`;
}

/**
 * The passed watermark of committed offsets, from each partition's metadata: the lowest (the
 * partitions of one transaction all carry the same), or null when any partition carries none (an
 * older commit, or one made without a watermark): nothing is known, nothing is assumed.
 */
export function committedWatermarkOf(metadata: readonly (string | null | undefined)[]): number | null {
  let lowest: number | null = null;
  for (const text of metadata) {
    const match = text == null ? null : PATTERN.exec(text);
    if (match === null) return null;
    const time = Number(match[1]);
    if (lowest === null || time < lowest) lowest = time;
  }
  return lowest;
}
