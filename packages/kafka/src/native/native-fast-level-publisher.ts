import type { Client } from '@confluentinc/schemaregistry';
import type { IndexLevel } from '@indexflow/index-engine';
import type { FastLane } from '@indexflow/pipeline';
import type { TopicMessages } from 'kafkajs';
import { createAvroSerdes, type FastAvroSerdes } from '../avro-serdes.js';
import { KafkaOperationError } from '../kafka-errors.js';
import type { StructuredLogger } from '../kafkajs-log-bridge.js';
import { type LevelRecordOptions, levelToRecord } from '../record-mapping.js';
import type { IndexLevelRecord } from '../record-types.js';
import { baseConfig, connectNative, disconnectNative, nativeKafka, type RdKafka } from './native-client.js';
import { produceAll } from './native-produce.js';

export interface NativeFastLevelPublisherOptions {
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly registry: Client;
  readonly topic: string;
  readonly levelRecord?: LevelRecordOptions;
  readonly logger: StructuredLogger;
}

/** One publish() call's messages still waiting for their delivery reports. */
interface Pending {
  remaining: number;
  failure: unknown;
  readonly settled: () => void;
}

/**
 * KafkaFastLevelPublisher's contract on librdkafka: an idempotent producer outside any
 * transaction (in order per partition, no duplicates from retries), and publish() resolves once
 * these levels and every earlier one are acknowledged (at least once, no gap).
 */
export class NativeFastLevelPublisher implements FastLane {
  readonly #options: NativeFastLevelPublisherOptions;
  readonly #serdes: FastAvroSerdes<IndexLevelRecord>;
  #producer: Promise<RdKafka.Producer> | undefined;
  #tail: Promise<void> = Promise.resolve();
  #outstanding = 0;
  #poller: NodeJS.Timeout | undefined;

  constructor(options: NativeFastLevelPublisherOptions) {
    this.#options = options;
    this.#serdes = createAvroSerdes<IndexLevelRecord>(options.registry, options.topic, undefined, {
      writerSchema: 'index-level',
    });
  }

  async publish(levels: readonly IndexLevel[]): Promise<void> {
    if (levels.length === 0) return this.#tail;
    const encode = await this.#serdes.encoder();
    const options = this.#options.levelRecord;
    const messages: TopicMessages = {
      topic: this.#options.topic,
      messages: levels.map((level) => ({ key: level.indexId, value: encode(levelToRecord(level, options)) })),
    };
    const previous = this.#tail;
    const own = this.#send(messages);
    this.#tail = Promise.all([previous, own]).then(() => undefined);
    return this.#tail;
  }

  async close(): Promise<void> {
    await this.#tail.catch(() => {});
    this.#stopPolling();
    const producer = await this.#producer?.catch(() => undefined);
    this.#producer = undefined;
    if (producer !== undefined) await disconnectNative(producer);
  }

  async #send(messages: TopicMessages): Promise<void> {
    const { topic, logger } = this.#options;
    try {
      const producer = await this.#connectedProducer();
      await new Promise<void>((resolve, reject) => {
        const pending: Pending = {
          remaining: messages.messages.length,
          failure: undefined,
          settled: () => (pending.failure === undefined ? resolve() : reject(pending.failure)),
        };
        this.#outstanding += pending.remaining;
        this.#startPolling(producer);
        produceAll(producer, [messages], () => pending).catch(reject);
      });
    } catch (cause) {
      logger.error({ topic, err: cause }, 'fast level publish failed');
      throw new KafkaOperationError({ operation: 'publish fast levels', target: topic, cause });
    }
  }

  #onDelivery(err: RdKafka.LibrdKafkaError | null, report: RdKafka.DeliveryReport): void {
    const pending = report.opaque as Pending | undefined;
    this.#outstanding--;
    if (this.#outstanding === 0) this.#stopPolling();
    if (pending === undefined) return;
    if (err && pending.failure === undefined) pending.failure = err;
    if (--pending.remaining === 0) pending.settled();
  }

  // Delivery reports reach JS only when the producer is polled: poll while any are due.
  #startPolling(producer: RdKafka.Producer): void {
    if (this.#poller !== undefined) return;
    this.#poller = setInterval(() => producer.poll(), 1);
  }

  #stopPolling(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }

  #connectedProducer(): Promise<RdKafka.Producer> {
    if (this.#producer === undefined) {
      const { brokers, clientId, topic } = this.#options;
      const producer = new (nativeKafka().Producer)({
        ...baseConfig(brokers, `${clientId}-fast`),
        'enable.idempotence': true,
        partitioner: 'murmur2_random',
        // Latency first: send as soon as a level is handed over.
        'linger.ms': 0,
        dr_cb: true,
      });
      producer.on('delivery-report', (err, report) => this.#onDelivery(err, report));
      const connecting = connectNative(producer, topic).then(() => producer);
      this.#producer = connecting;
      connecting.catch(() => {
        if (this.#producer === connecting) this.#producer = undefined;
      });
    }
    return this.#producer;
  }
}
