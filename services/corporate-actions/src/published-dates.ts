import type { Client } from '@confluentinc/schemaregistry';
import {
  ALL_INDICES,
  createAvroSerdes,
  type IndexAdjustmentRecord,
  type PartitionStart,
  type RecordReader,
  SchemaRegistryError,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';

/**
 * The ex-dates whose date-wide adjustment the adjustments topic holds, read to its end at call
 * time. Only for a register that starts without its state (first start, or Redis lost it): which
 * dates were published is not in the announcements, and a date must never be published twice.
 * Closes `reader` when done.
 */
export async function readPublishedDates(options: {
  readonly reader: RecordReader;
  readonly registry: Client;
  readonly topic: string;
  readonly log: Logger;
}): Promise<string[]> {
  try {
    return await readDates(options);
  } finally {
    // Read once at start: the reader must not keep a consumer on the topic for the process's life.
    await options.reader.close();
  }
}

async function readDates(options: Parameters<typeof readPublishedDates>[0]): Promise<string[]> {
  const { reader, topic, log } = options;
  const serdes = createAvroSerdes<IndexAdjustmentRecord>(options.registry, topic);
  const ends = new Map<number, bigint>();
  const starts: PartitionStart[] = [];
  for (const { partition, low, high } of await reader.partitionOffsets(topic)) {
    if (high <= low) continue;
    ends.set(partition, high);
    starts.push({ topic, partition, offset: low });
  }
  const dates = new Set<string>();
  if (starts.length === 0) return [];
  await new Promise<void>((resolve, reject) => {
    const reading = reader.readFrom(starts, async (batch) => {
      for (const record of batch.records) {
        if (record.value === null || BigInt(record.offset) >= (ends.get(batch.partition) ?? 0n)) continue;
        try {
          const adjustment = await serdes.deserialize(record.value);
          if (adjustment.indexId === ALL_INDICES) dates.add(adjustment.effectiveDate);
        } catch (error) {
          // Someone else's bad record must not keep the register from starting.
          if (error instanceof SchemaRegistryError) return reject(error);
          log.warn({ offset: record.offset, err: error }, 'undecodable adjustment record skipped');
        }
      }
      if (batch.nextOffset >= (ends.get(batch.partition) ?? 0n)) ends.delete(batch.partition);
      if (ends.size === 0) resolve();
    });
    reading.catch(reject);
  });
  return [...dates].sort();
}
