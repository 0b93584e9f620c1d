import type { Client } from '@confluentinc/schemaregistry';
import type { IndexEvent } from '@indexflow/index-engine';
import type { OutputTransaction } from '@indexflow/pipeline';
import type { Message, TopicMessages } from 'kafkajs';
import { createAvroSerdes } from './avro-serdes.js';
import { fxEventToRecord } from './fx-rate-record.js';
import { RecordShapeError } from './kafka-errors.js';
import { ALL_INDICES, type FxRateRecord, type IndexAdjustmentRecord } from './record-types.js';
import { watermarkHeaders } from './watermark-record.js';

/** The topic a processor's derived events go to, and their records (key and value), in order. */
export interface DerivedRecords<D> {
  readonly topic: string;
  encode(events: readonly D[]): Promise<Message[]>;
}

/** FX rates derived by the FX filter: fx-rate.avsc, keyed by pair. */
export function fxRateRecords(registry: Client, topic: string): DerivedRecords<IndexEvent> {
  const serdes = createAvroSerdes<FxRateRecord>(registry, topic, undefined, { writerSchema: 'fx-rate' });
  return {
    topic,
    async encode(events) {
      const encode = await serdes.encoder();
      return events.map((event) => {
        if (event.kind !== 'fx-rate')
          throw new RecordShapeError({ schema: 'fx-rate', field: 'kind', value: event.kind });
        const record = fxEventToRecord(event);
        return { key: record.pair, value: encode(record) };
      });
    },
  };
}

/**
 * Date-wide adjustments published by the corporate-actions register: index-adjustment.avsc, keyed
 * `ALL_INDICES`, as the calculators read them.
 */
export function adjustmentRecords(registry: Client, topic: string): DerivedRecords<IndexAdjustmentRecord> {
  const serdes = createAvroSerdes<IndexAdjustmentRecord>(registry, topic);
  return {
    topic,
    async encode(records) {
      const encode = await serdes.encoder();
      return records.map((record) => ({ key: ALL_INDICES, value: encode(record) }));
    },
  };
}

/**
 * The records of a transaction's derived events and input watermark, on the topic a processor
 * derives. The watermark goes to every partition of that topic, so each of its readers learns the
 * input's progress (see watermark-record.ts).
 */
export class DerivedMessageEncoder<D> {
  readonly #records: DerivedRecords<D>;
  readonly #partitions: (topic: string) => Promise<number>;

  constructor(records: DerivedRecords<D>, partitions: (topic: string) => Promise<number>) {
    this.#records = records;
    this.#partitions = partitions;
  }

  get topic(): string {
    return this.#records.topic;
  }

  async messages(transaction: OutputTransaction<D>): Promise<TopicMessages[]> {
    const derived = transaction.derived ?? [];
    const messages: Message[] = derived.length > 0 ? await this.#records.encode(derived) : [];
    const watermark = transaction.watermark;
    if (watermark !== undefined) {
      const headers = watermarkHeaders({ time: watermark.time, final: watermark.final });
      const partitions = await this.#partitions(this.topic);
      for (let partition = 0; partition < partitions; partition += 1)
        messages.push({ partition, key: null, value: null, headers });
    }
    return messages.length === 0 ? [] : [{ topic: this.topic, messages }];
  }
}
