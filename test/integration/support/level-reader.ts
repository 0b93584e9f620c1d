import { createAvroSerdes, type createSchemaRegistryClient, type IndexLevelRecord } from '@indexflow/kafka';
import { uniqueName, waitFor } from '@indexflow/testkit';
import { expect } from 'vitest';

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

/** A started reader of one of the environment's level topics, in a fresh consumer group. */
export async function readLevels(
  environment: { kafka: Kafka; registry: Client },
  topic: string,
): Promise<LevelReader> {
  const reader = new LevelReader(environment.kafka, environment.registry, topic, uniqueName('desk'));
  await reader.start();
  return reader;
}

/** Waits until `count` levels arrived; on timeout the error carries the calculator's output. */
export async function waitForLevels(
  reader: LevelReader,
  count: number,
  calculator: { output: () => string },
  timeoutMs: number,
): Promise<void> {
  try {
    await waitFor(() => reader.records.length >= count, { timeoutMs, intervalMs: 100 });
  } catch (error) {
    throw new Error(
      `${(error as Error).message}; levels ${reader.records.length}/${count}; calculator output:\n${calculator.output().slice(-4000)}`,
    );
  }
}

/**
 * Rows (`recordAsRow`) read from one key's partition, per index in the order read: sequences
 * 1..n, one record each. A gap, a repeat or a reordering shows here.
 */
export function expectGapFree(rows: readonly string[]): void {
  const last = new Map<string, number>();
  for (const row of rows) {
    const [, index, , sequence] = row.split(',');
    const next = (last.get(index!) ?? 0) + 1;
    expect(Number(sequence), `${index} sequence`).toBe(next);
    last.set(index!, next);
  }
}
