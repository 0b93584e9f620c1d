import type { Client } from '@confluentinc/schemaregistry';
import type { IndexLevel } from '@indexflow/index-engine';
import type { FastLane } from '@indexflow/pipeline';
import type { Kafka, Message, Producer } from 'kafkajs';
import { createAvroSerdes, type FastAvroSerdes } from './avro-serdes.js';
import { createCachedKeyPartitioner } from './cached-key-partitioner.js';
import { KafkaOperationError } from './kafka-errors.js';
import type { StructuredLogger } from './kafkajs-log-bridge.js';
import { chunkTopicMessages } from './produce-chunks.js';
import { type LevelRecordOptions, levelToRecord } from './record-mapping.js';
import type { IndexLevelRecord } from './record-types.js';

export interface KafkaFastLevelPublisherOptions {
  readonly kafka: Kafka;
  readonly registry: Client;
  /** The fast topic (catalogue `indexflow.index-levels.fast`, possibly prefixed). */
  readonly topic: string;
  readonly levelRecord?: LevelRecordOptions;
  readonly logger: StructuredLogger;
}

/**
 * The fast lane: every level as soon as the engine has computed it, with an idempotent producer
 * outside any transaction, so a desk sees it one produce round trip after the tick instead of
 * after the batch's transaction (Redis stage, produce, offsets, end transaction).
 *
 * Order: one produce request at a time; levels that arrive while one is in flight go together in
 * the next, so a level is never sent before an earlier one and the lane keeps up under load.
 * Guarantee: at least once, no gap. The pipeline commits a batch's offsets only after its fast
 * levels are acknowledged, so after a crash the levels recomputed from the committed offsets
 * include every fast level that was not committed; in canonical ordering they are the same
 * records (same index, sequence and bytes), which a reader drops by `sequence` as usual.
 */
export class KafkaFastLevelPublisher implements FastLane {
  readonly #options: KafkaFastLevelPublisherOptions;
  readonly #serdes: FastAvroSerdes<IndexLevelRecord>;
  readonly #producer: Producer;
  #connected: Promise<void> | undefined;
  /** Levels waiting for the request in flight to end. */
  #queued: Message[] = [];
  /** Settles when everything handed to publish() so far has been acknowledged (or failed). */
  #tail: Promise<void> = Promise.resolve();
  #inFlight = false;

  constructor(options: KafkaFastLevelPublisherOptions) {
    this.#options = options;
    this.#serdes = createAvroSerdes<IndexLevelRecord>(options.registry, options.topic, undefined, {
      writerSchema: 'index-level',
    });
    this.#producer = options.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      createPartitioner: createCachedKeyPartitioner,
    });
  }

  /** Resolves when these levels (and every level published before them) are acknowledged. */
  async publish(levels: readonly IndexLevel[]): Promise<void> {
    if (levels.length === 0) return this.#tail;
    const encode = await this.#serdes.encoder();
    const options = this.#options.levelRecord;
    for (const level of levels)
      this.#queued.push({ key: level.indexId, value: encode(levelToRecord(level, options)) });
    if (!this.#inFlight) this.#tail = this.#sendQueued();
    return this.#tail;
  }

  async #sendQueued(): Promise<void> {
    this.#inFlight = true;
    try {
      this.#connected ??= this.#producer.connect();
      await this.#connected;
      while (this.#queued.length > 0) {
        const messages = this.#queued;
        this.#queued = [];
        for (const chunk of chunkTopicMessages([{ topic: this.#options.topic, messages }]))
          await this.#producer.sendBatch({ topicMessages: chunk, acks: -1 });
      }
    } catch (cause) {
      this.#queued = [];
      this.#options.logger.error({ topic: this.#options.topic, err: cause }, 'fast level publish failed');
      throw new KafkaOperationError({ operation: 'publish fast levels', target: this.#options.topic, cause });
    } finally {
      this.#inFlight = false;
    }
  }

  async close(): Promise<void> {
    await this.#tail.catch(() => {});
    if (this.#connected !== undefined) await this.#producer.disconnect();
  }
}
