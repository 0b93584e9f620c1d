import type { Client } from '@confluentinc/schemaregistry';
import type { InputOffsets, OutputTransaction } from '@indexflow/pipeline';
import type { Message, TopicMessages } from 'kafkajs';
import { createAvroSerdes, type FastAvroSerdes } from './avro-serdes.js';
import { closeToRecord, type IndexCloseRecord, indexCloseKey } from './close-record.js';
import { deadLetterMessage } from './dead-letter-message.js';
import { type LevelRecordOptions, levelToRecord } from './record-mapping.js';
import type { IndexLevelRecord } from './record-types.js';

/** Where a level transaction's records go; a topic left out drops its records. */
export interface LevelTransactionTopics {
  readonly levelsTopic: string;
  readonly conflatedTopic?: string;
  readonly deadLetterTopic: string;
  readonly closesTopic?: string;
}

/**
 * The encoders of a level sink (kafkajs or native): one per output topic, with the schema ids
 * resolved once. `messages` encodes a transaction before it is opened: a level that does not
 * fit the schema is a bug, not something an abort should have to clean up.
 */
export class LevelTransactionEncoder {
  readonly #topics: LevelTransactionTopics;
  readonly #levelRecord: LevelRecordOptions | undefined;
  readonly #serdes: FastAvroSerdes<IndexLevelRecord>;
  readonly #conflatedSerdes: FastAvroSerdes<IndexLevelRecord> | null;
  readonly #closesSerdes: FastAvroSerdes<IndexCloseRecord> | null;

  constructor(registry: Client, topics: LevelTransactionTopics, levelRecord?: LevelRecordOptions) {
    this.#topics = topics;
    this.#levelRecord = levelRecord;
    // Each topic is written with the schema version this code was built for, not the subject's latest.
    const levels = { writerSchema: 'index-level' } as const;
    this.#serdes = createAvroSerdes<IndexLevelRecord>(registry, topics.levelsTopic, undefined, levels);
    this.#conflatedSerdes =
      topics.conflatedTopic === undefined
        ? null
        : createAvroSerdes(registry, topics.conflatedTopic, undefined, levels);
    this.#closesSerdes =
      topics.closesTopic === undefined
        ? null
        : createAvroSerdes(registry, topics.closesTopic, undefined, { writerSchema: 'index-close' });
  }

  async messages(transaction: OutputTransaction<unknown>): Promise<TopicMessages[]> {
    const options = this.#levelRecord;
    const topicMessages: TopicMessages[] = [];
    if (transaction.levels.length > 0) {
      const encode = await this.#serdes.encoder();
      topicMessages.push({
        topic: this.#topics.levelsTopic,
        messages: transaction.levels.map(
          (level): Message => ({ key: level.indexId, value: encode(levelToRecord(level, options)) }),
        ),
      });
    }
    const conflatedSerdes = this.#conflatedSerdes;
    if (conflatedSerdes !== null && transaction.conflated.length > 0) {
      const encode = await conflatedSerdes.encoder();
      topicMessages.push({
        topic: conflatedSerdes.topic,
        messages: transaction.conflated.map(
          (level): Message => ({ key: level.indexId, value: encode(levelToRecord(level, options)) }),
        ),
      });
    }
    const closesSerdes = this.#closesSerdes;
    const closes = transaction.closes ?? [];
    if (closesSerdes !== null && closes.length > 0) {
      const encode = await closesSerdes.encoder();
      const currency = options?.currency;
      topicMessages.push({
        topic: closesSerdes.topic,
        messages: closes.map((close): Message => {
          const record = closeToRecord(close, currency);
          return { key: indexCloseKey(record), value: encode(record) };
        }),
      });
    }
    if (transaction.rejected.length > 0) {
      topicMessages.push({
        topic: this.#topics.deadLetterTopic,
        messages: transaction.rejected.map(deadLetterMessage),
      });
    }
    return topicMessages;
  }
}

/** Splits `topic:partition` keys of input offsets. */
export function offsetEntries(offsets: InputOffsets): { topic: string; partition: number; offset: string }[] {
  return Object.entries(offsets).map(([key, offset]) => {
    const separator = key.lastIndexOf(':');
    return { topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)), offset };
  });
}
