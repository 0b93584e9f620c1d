import type { ProducedRecord, RecordProducer } from '../record-ports.js';
import {
  baseConfig,
  connectNative,
  disconnectNative,
  nativeKafka,
  nativeOperationError,
  type RdKafka,
} from './native-client.js';
import { produceRecords } from './native-produce.js';

/** One send() call's records still waiting for their delivery reports. */
interface Pending {
  remaining: number;
  failure: unknown;
  readonly settled: () => void;
}

/**
 * RecordProducer on librdkafka: idempotent (in order per partition, no duplicates from
 * retries), keyed by Java's murmur2 as kafkajs's default partitioner, and send() resolves on the
 * delivery reports of its records and of every earlier send's.
 */
export class NativeRecordProducer implements RecordProducer {
  readonly #producer: RdKafka.Producer;
  readonly #target: string;
  #tail: Promise<void> = Promise.resolve();
  #outstanding = 0;
  #poller: NodeJS.Timeout | undefined;

  private constructor(producer: RdKafka.Producer, target: string) {
    this.#producer = producer;
    this.#target = target;
    producer.on('delivery-report', (err, report) => this.#onDelivery(err, report));
  }

  static async open(options: {
    brokers: readonly string[];
    clientId: string;
  }): Promise<NativeRecordProducer> {
    const producer = new (nativeKafka().Producer)({
      ...baseConfig(options.brokers, options.clientId),
      'enable.idempotence': true,
      partitioner: 'murmur2_random',
      // A few ms let a send's records share requests without delaying a paced replay noticeably.
      'linger.ms': 2,
      'queue.buffering.max.messages': 1_000_000,
      dr_cb: true,
    });
    await connectNative(producer, options.clientId);
    return new NativeRecordProducer(producer, options.clientId);
  }

  send(records: readonly ProducedRecord[]): Promise<void> {
    if (records.length === 0) return this.#tail;
    const own = new Promise<void>((resolve, reject) => {
      const pending: Pending = {
        remaining: records.length,
        failure: undefined,
        settled: () =>
          pending.failure === undefined
            ? resolve()
            : reject(nativeOperationError('produce', this.#target, pending.failure)),
      };
      this.#outstanding += records.length;
      this.#startPolling();
      produceRecords(this.#producer, records, pending).catch((error: unknown) =>
        reject(nativeOperationError('produce', this.#target, error)),
      );
    });
    this.#tail = Promise.all([this.#tail, own]).then(() => undefined);
    return this.#tail;
  }

  async close(): Promise<void> {
    await this.#tail.catch(() => {});
    this.#stopPolling();
    await disconnectNative(this.#producer);
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
  #startPolling(): void {
    if (this.#poller !== undefined) return;
    this.#poller = setInterval(() => this.#producer.poll(), 1);
  }

  #stopPolling(): void {
    clearInterval(this.#poller);
    this.#poller = undefined;
  }
}
