import type { TransactionalProducerOptions } from '../kafkajs-record-producer.js';
import type { RecordTransaction, TransactionalRecordProducer } from '../record-ports.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  nativeKafka,
  type RdKafka,
  viaCallback,
} from './native-client.js';
import { produceRecords } from './native-produce.js';

const TIMEOUT_MS = 30_000;

function nativeTransaction(producer: RdKafka.Producer, id: string): RecordTransaction {
  return {
    send: (records) => produceRecords(producer, records),
    // Flushes every record first; a delivery failure fails the commit.
    commit: () =>
      viaCallback('commit transaction', id, (done) => producer.commitTransaction(TIMEOUT_MS, done)),
    abort: () => viaCallback('abort transaction', id, (done) => producer.abortTransaction(TIMEOUT_MS, done)),
  };
}

/** TransactionalRecordProducer on librdkafka (initTransactions fences any predecessor of the id). */
export async function openNativeTransactionalProducer(
  options: TransactionalProducerOptions & { readonly brokers: readonly string[]; readonly clientId: string },
): Promise<TransactionalRecordProducer> {
  const id = options.transactionalId;
  const producer = new (nativeKafka().Producer)({
    ...baseConfig(options.brokers, options.clientId),
    'transactional.id': id,
    'transaction.timeout.ms': options.transactionTimeoutMs,
    partitioner: 'murmur2_random',
    // A transaction holds its records until the commit: room for a large one.
    'queue.buffering.max.messages': 1_000_000,
    dr_cb: false,
  });
  await connectNative(producer, id);
  try {
    await viaCallback('init transactions', id, (done) => producer.initTransactions(TIMEOUT_MS, done));
  } catch (error) {
    await disconnectNative(producer);
    throw error;
  }
  return {
    async begin() {
      await viaCallback('begin transaction', id, (done) => producer.beginTransaction(done));
      return nativeTransaction(producer, id);
    },
    close: () => disconnectNative(producer),
  };
}
