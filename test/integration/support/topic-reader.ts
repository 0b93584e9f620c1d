import type { createSchemaRegistryClient } from '@indexflow/kafka';
import { createAvroSerdes } from '@indexflow/kafka';
import { uniqueName } from '@indexflow/testkit';
import type { Consumer, IHeaders, Kafka } from 'kafkajs';

type Client = ReturnType<typeof createSchemaRegistryClient>;

export interface ReadRecord<T> {
  readonly key: string | null;
  /** Decoded value; null for a tombstone, or when `decode` is false. */
  readonly value: T | null;
  readonly raw: Buffer | null;
  readonly headers: IHeaders;
}

/** Reads any topic from the beginning (read_committed), decoding values through the registry. */
export class TopicReader<T> {
  readonly records: ReadRecord<T>[] = [];
  #consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: Client,
    private readonly topic: string,
    private readonly decode = true,
  ) {}

  async start(): Promise<this> {
    const serdes = createAvroSerdes<T>(this.registry, this.topic);
    const consumer = this.kafka.consumer({ groupId: uniqueName('reader'), readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        this.records.push({
          key: message.key?.toString('utf8') ?? null,
          value: this.decode && message.value ? await serdes.deserialize(message.value) : null,
          raw: message.value,
          headers: message.headers ?? {},
        });
      },
    });
    this.#consumer = consumer;
    return this;
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }
}
