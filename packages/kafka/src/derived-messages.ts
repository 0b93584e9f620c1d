import type { Client } from '@confluentinc/schemaregistry';
import type { OutputTransaction } from '@indexflow/pipeline';
import type { Message, TopicMessages } from 'kafkajs';
import { createAvroSerdes, type FastAvroSerdes } from './avro-serdes.js';
import { fxEventToRecord } from './fx-rate-record.js';
import { RecordShapeError } from './kafka-errors.js';
import type { FxRateRecord } from './record-types.js';
import { watermarkHeaders } from './watermark-record.js';

/**
 * The records of a transaction's derived events and input watermark, on the topic a processor
 * derives (today FX rates: fx-rate.avsc, keyed by pair). The watermark goes to every partition of
 * that topic, so each of its readers learns the input's progress (see watermark-record.ts).
 */
export class DerivedMessageEncoder {
  readonly #serdes: FastAvroSerdes<FxRateRecord>;
  readonly #partitions: (topic: string) => Promise<number>;

  constructor(registry: Client, topic: string, partitions: (topic: string) => Promise<number>) {
    this.#serdes = createAvroSerdes<FxRateRecord>(registry, topic, undefined, { writerSchema: 'fx-rate' });
    this.#partitions = partitions;
  }

  get topic(): string {
    return this.#serdes.topic;
  }

  async messages(transaction: OutputTransaction): Promise<TopicMessages[]> {
    const derived = transaction.derived ?? [];
    const messages: Message[] = [];
    if (derived.length > 0) {
      const encode = await this.#serdes.encoder();
      for (const event of derived) {
        if (event.kind !== 'fx-rate')
          throw new RecordShapeError({ schema: 'fx-rate', field: 'kind', value: event.kind });
        const record = fxEventToRecord(event);
        messages.push({ key: record.pair, value: encode(record) });
      }
    }
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
