import type { RecordBatch, RecordReader, TopicAdmin } from '@indexflow/kafka';

/** A read of a whole topic that can tell when it has caught up with the topic's current end. */
export interface TopicFollower {
  /** True once every partition was read past its present high watermark. */
  atEnd(): Promise<boolean>;
}

/**
 * Reads every partition of `topic` from its oldest record (read_committed), handing each batch's
 * non-null values to `onValues`. A batch's `nextOffset` moves past transaction markers too, so a
 * reader of a topic nobody writes any more reaches the high watermark exactly.
 */
export async function followTopic(
  reader: RecordReader,
  admin: TopicAdmin,
  topic: string,
  onValues: (values: Buffer[]) => Promise<void>,
): Promise<TopicFollower> {
  const positions = new Map<number, bigint>();
  const starts = (await admin.partitionOffsets(topic)).map(({ partition, low }) => {
    positions.set(partition, low);
    return { topic, partition, offset: low };
  });
  await reader.readFrom(starts, async (batch: RecordBatch) => {
    const values = batch.records.flatMap((record) => (record.value === null ? [] : [record.value]));
    if (values.length > 0) await onValues(values);
    positions.set(batch.partition, batch.nextOffset);
  });
  return {
    atEnd: async () =>
      (await admin.partitionOffsets(topic)).every(
        ({ partition, high }) => (positions.get(partition) ?? 0n) >= high,
      ),
  };
}
