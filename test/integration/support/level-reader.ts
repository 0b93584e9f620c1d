import { createAvroSerdes, type createSchemaRegistryClient, type IndexLevelRecord } from '@indexflow/kafka';

type Client = ReturnType<typeof createSchemaRegistryClient>;

import type { Consumer, Kafka } from 'kafkajs';

/** Reads the index-level topic as a desk would (read_committed), decoding through the registry. */
export class LevelReader {
  readonly records: IndexLevelRecord[] = [];
  #consumer: Consumer | null = null;

  constructor(
    private readonly kafka: Kafka,
    private readonly registry: Client,
    private readonly topic: string,
    private readonly groupId: string,
  ) {}

  async start(): Promise<void> {
    const serdes = createAvroSerdes<IndexLevelRecord>(this.registry, this.topic);
    const consumer = this.kafka.consumer({ groupId: this.groupId, readUncommitted: false });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        this.records.push(await serdes.deserialize(message.value as Buffer));
      },
    });
    this.#consumer = consumer;
  }

  async stop(): Promise<void> {
    await this.#consumer?.disconnect();
  }
}
