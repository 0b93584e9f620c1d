import {
  createAvroSerdes,
  type FxRateRecord,
  kafkajsRecordProducer,
  type MarketTickRecord,
} from '@indexflow/kafka';
import type { Producer } from 'kafkajs';
import { produceDataset } from '../../../services/cli/src/kafka/produce-dataset.js';
import type { CalculatorEnvironment } from './calculator-environment.js';

/**
 * Produces a dataset's ticks and FX like `produce`, and runs `between` after the dataset's
 * `afterRequest`-th produce request, so what it sends sits between good ticks of the same
 * partitions. Returns what `between` returned.
 */
export async function produceDatasetWith<T>(
  environment: CalculatorEnvironment,
  datasetDir: string,
  afterRequest: number,
  between: (producer: Producer) => Promise<T>,
): Promise<T> {
  const real = environment.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await real.connect();
  let requests = 0;
  let result: { readonly value: T } | undefined;
  const interleaving = kafkajsRecordProducer({
    sendBatch: async (batch) => {
      const sent = await real.sendBatch(batch);
      requests += 1;
      if (requests === afterRequest) result = { value: await between(real) };
      return sent;
    },
    disconnect: () => real.disconnect(),
  });
  const tickSerdes = new Map<string, ReturnType<typeof createAvroSerdes<MarketTickRecord>>>();
  const partitions = await partitionCounts(environment);
  // A variable, not a literal: producers that write watermarks take `partitions`, older ones
  // ignore it, and this helper serves both.
  const deps = {
    datasetDir,
    producer: interleaving,
    topics: environment.topics,
    tickSerdes: (topic: string) => {
      const serdes = tickSerdes.get(topic) ?? createAvroSerdes<MarketTickRecord>(environment.registry, topic);
      tickSerdes.set(topic, serdes);
      return serdes;
    },
    fxSerdes: createAvroSerdes<FxRateRecord>(environment.registry, environment.topics.fx),
    speed: 'max' as const,
    partitions: (topic: string) => partitions.get(topic) ?? 1,
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    now: () => Date.now(),
  };
  await produceDataset(deps as Parameters<typeof produceDataset>[0]);
  await real.disconnect();
  if (result === undefined)
    throw new Error(`the dataset took ${requests} requests, not more than ${afterRequest}`);
  return result.value;
}

/** Partitions of each of the environment's topics. */
async function partitionCounts(environment: CalculatorEnvironment): Promise<Map<string, number>> {
  const admin = environment.kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: Object.values(environment.topics) });
    return new Map(topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await admin.disconnect();
  }
}
