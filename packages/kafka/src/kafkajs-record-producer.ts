import {
  type IHeaders,
  type Kafka,
  type Message,
  Partitioners,
  type Producer,
  type TopicMessages,
} from 'kafkajs';
import type {
  ProducedRecord,
  RecordProducer,
  RecordTransaction,
  TransactionalRecordProducer,
} from './record-ports.js';

/** The records grouped by topic, as kafkajs's sendBatch takes them. */
export function kafkajsTopicMessages(records: readonly ProducedRecord[]): TopicMessages[] {
  const byTopic = new Map<string, Message[]>();
  for (const { topic, key, value, partition, headers } of records) {
    const message: Message = {
      key,
      value,
      ...(partition === undefined ? {} : { partition }),
      ...(headers === undefined ? {} : { headers: headers as IHeaders }),
    };
    const list = byTopic.get(topic);
    if (list === undefined) byTopic.set(topic, [message]);
    else list.push(message);
  }
  return [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages }));
}

/** A connected kafkajs producer as a RecordProducer (close disconnects it). */
export function kafkajsRecordProducer(producer: Pick<Producer, 'sendBatch' | 'disconnect'>): RecordProducer {
  return {
    async send(records) {
      if (records.length > 0) await producer.sendBatch({ topicMessages: kafkajsTopicMessages(records) });
    },
    close: () => producer.disconnect(),
  };
}

/** RecordProducer on kafkajs: idempotent, one request in flight (so retries keep the order). */
export async function openKafkajsRecordProducer(kafka: Kafka): Promise<RecordProducer> {
  const producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return kafkajsRecordProducer(producer);
}

export interface TransactionalProducerOptions {
  readonly transactionalId: string;
  /** Must not exceed the broker's transaction.max.timeout.ms (15 min by default). */
  readonly transactionTimeoutMs: number;
}

function kafkajsTransaction(producer: Producer): Promise<RecordTransaction> {
  return producer.transaction().then((transaction) => ({
    async send(records) {
      if (records.length > 0) await transaction.sendBatch({ topicMessages: kafkajsTopicMessages(records) });
    },
    commit: () => transaction.commit(),
    abort: () => transaction.abort(),
  }));
}

/** TransactionalRecordProducer on kafkajs. */
export async function openKafkajsTransactionalProducer(
  kafka: Kafka,
  options: TransactionalProducerOptions,
): Promise<TransactionalRecordProducer> {
  const producer = kafka.producer({
    transactionalId: options.transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: options.transactionTimeoutMs,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return { begin: () => kafkajsTransaction(producer), close: () => producer.disconnect() };
}
