import type { Client } from '@confluentinc/schemaregistry';
import { FxRateFilter, type FxRateFilterSnapshot } from '@indexflow/index-engine';
import {
  createAvroSerdes,
  deadLetterMessage,
  type FxRateRecord,
  fxRecordToEvent,
  SchemaRegistryError,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { Kafka, Message, Producer } from 'kafkajs';
import {
  type PartitionConsumer,
  type PartitionRecord,
  startPartitionConsumer,
} from './partition-consumer.js';
import type { ServiceMetrics } from './service-metrics.js';
import type { ServiceStateStore } from './service-state-store.js';

interface FxState {
  readonly filter: FxRateFilterSnapshot;
}

export interface FxFilterServiceOptions {
  readonly kafka: Kafka;
  readonly registry: Client;
  readonly store: ServiceStateStore;
  readonly groupId: string;
  readonly rawTopic: string;
  readonly fxTopic: string;
  readonly deadLetterTopic: string;
  readonly maxJump: string;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly onFailure: (error: unknown) => void;
}

/**
 * Raw FX quotes → validated HKDCNY rates, exactly once: each batch's published rates, dead
 * letters and input offsets commit in one Kafka transaction; the filter state is then saved in
 * Redis with the offset it covers. After a crash between the two, the quotes from the saved
 * offset to the committed one are re-read and re-applied silently, which rebuilds the same state.
 */
export class FxFilterService {
  readonly #o: FxFilterServiceOptions;
  readonly #rawSerdes;
  readonly #fxSerdes;
  #filter!: FxRateFilter;
  #version = 0;
  #silentUntil: bigint | null = null;
  #producer: Producer | null = null;
  #consumer: PartitionConsumer | null = null;
  /** Set by the first failed batch: later batches must not run on the advanced filter. */
  #failed: unknown = null;

  constructor(options: FxFilterServiceOptions) {
    this.#o = options;
    this.#rawSerdes = createAvroSerdes<FxRateRecord>(options.registry, options.rawTopic);
    this.#fxSerdes = createAvroSerdes<FxRateRecord>(options.registry, options.fxTopic);
  }

  async start(): Promise<void> {
    const { kafka, store, groupId, rawTopic, log, maxJump } = this.#o;
    // The transactional producer first: initialising it fences any predecessor and waits for its
    // last transaction to finish, so the committed offset read next is final.
    this.#producer = kafka.producer({ transactionalId: groupId, maxInFlightRequests: 1, idempotent: true });
    await this.#producer.connect();
    const admin = kafka.admin();
    await admin.connect();
    let committed: string | null = null;
    try {
      const [topic] = await admin.fetchOffsets({ groupId, topics: [rawTopic] });
      const offset = topic?.partitions.find((p) => p.partition === 0)?.offset;
      committed = offset === undefined || offset === '-1' ? null : offset;
    } finally {
      await admin.disconnect();
    }
    const stored = await store.load<FxState>('fx');
    this.#version = stored?.version ?? 0;
    let start: string | null = null;
    // Kafka forgets a member-less group's offsets after offsets.retention.minutes; the state in
    // Redis then says where the filter stopped. Only a state ahead of Kafka's is not trusted.
    if (stored && (committed === null || BigInt(stored.offset) <= BigInt(committed))) {
      this.#filter = FxRateFilter.restore(stored.snapshot.filter, { maxJump });
      start = stored.offset;
    } else {
      this.#filter = new FxRateFilter({ maxJump });
    }
    if (committed !== null && (start === null || BigInt(start) < BigInt(committed))) {
      this.#silentUntil = BigInt(committed);
    }
    log.info(
      {
        committed,
        storedOffset: stored?.offset ?? null,
        start,
        rebuildUntil: this.#silentUntil?.toString() ?? null,
      },
      'fx filter recovered',
    );
    this.#consumer = await startPartitionConsumer({
      kafka,
      groupId,
      topic: rawTopic,
      startOffset: start,
      // A failed batch already moved the filter: the process must restart and recover from Redis
      // and Kafka rather than let kafkajs retry the batch on the advanced state.
      onBatch: async (records) => {
        if (this.#failed !== null) throw this.#failed;
        try {
          await this.#onBatch(records);
        } catch (error) {
          this.#failed = error;
          this.#o.onFailure(error);
          throw error;
        }
      },
      onCrash: this.#o.onFailure,
    });
  }

  async #onBatch(records: PartitionRecord[]): Promise<void> {
    const { metrics, log } = this.#o;
    const out: Message[] = [];
    const dead: Message[] = [];
    let published: FxRateRecord | null = null;
    for (const record of records) {
      const silent = this.#silentUntil !== null && BigInt(record.offset) < this.#silentUntil;
      if (!silent) metrics.fxIn.inc();
      const reject = (reason: string, detail: string) => {
        if (silent) return;
        metrics.rejected.inc({ stream: 'fx', reason });
        dead.push(
          deadLetterMessage({
            topic: this.#o.rawTopic,
            partition: 0,
            offset: record.offset,
            key: record.key,
            value: record.value,
            reason,
            detail,
          }),
        );
      };
      let quote: FxRateRecord;
      try {
        if (record.value === null) throw new Error('null value');
        quote = await this.#rawSerdes.deserialize(record.value);
        fxRecordToEvent(quote);
      } catch (error) {
        // A registry outage is not the record's fault: fail (and restart) rather than dead-letter.
        if (error instanceof SchemaRegistryError) throw error;
        reject('undecodable', error instanceof Error ? error.message : String(error));
        continue;
      }
      const result = this.#filter.accept({
        pair: quote.pair,
        rate: quote.rate,
        eventTime: quote.eventTime,
        sequence: quote.sequence,
        observationId: `${quote.source}:${quote.pair}:${quote.sequence}`,
      });
      if (!result.accepted) {
        reject(result.rejection.reason, result.rejection.detail);
        continue;
      }
      if (result.published === null || silent) continue;
      published = {
        pair: result.published.pair,
        rate: result.published.rate,
        eventTime: result.published.eventTime,
        // A direct HKDCNY quote keeps its feed's source (an index's closing fixing is recognised
        // by it); a derived rate names its derivation.
        source: result.published.direct ? quote.source : `fx-filter:${result.published.derivation}`,
        // The raw quote's position: strictly increasing, and the same however the state was
        // rebuilt (a count of publications would restart lower after Redis lost the state).
        sequence: Number(record.offset) + 1,
      };
      out.push({ key: published.pair, value: await this.#fxSerdes.serialize(published) });
    }
    const next = (BigInt(records.at(-1)!.offset) + 1n).toString();
    const allSilent = this.#silentUntil !== null && BigInt(next) <= this.#silentUntil;
    if (!allSilent) {
      const transaction = await this.#producer!.transaction();
      try {
        const topicMessages = [];
        if (out.length > 0) topicMessages.push({ topic: this.#o.fxTopic, messages: out });
        if (dead.length > 0) topicMessages.push({ topic: this.#o.deadLetterTopic, messages: dead });
        if (topicMessages.length > 0) await transaction.sendBatch({ topicMessages });
        await transaction.sendOffsets({
          consumerGroupId: this.#o.groupId,
          topics: [{ topic: this.#o.rawTopic, partitions: [{ partition: 0, offset: next }] }],
        });
        await transaction.commit();
      } catch (error) {
        await transaction.abort().catch(() => {});
        throw error;
      }
      metrics.fxPublished.inc(out.length);
      if (published) metrics.fxRate.set({ pair: published.pair }, Number(published.rate));
    }
    if (this.#silentUntil !== null && BigInt(next) >= this.#silentUntil) this.#silentUntil = null;
    this.#version = await this.#o.store.save<FxState>('fx', this.#version, next, {
      filter: this.#filter.snapshot(),
    });
    if (dead.length > 0) log.warn({ rejected: dead.length, offset: next }, 'fx quotes refused');
  }

  get ready(): boolean {
    return this.#consumer !== null && this.#failed === null;
  }

  async stop(): Promise<void> {
    await this.#consumer?.stop();
    await this.#producer?.disconnect();
  }
}
