import type { Client } from '@confluentinc/schemaregistry';
import {
  ActionRegister,
  adjustmentEventTime,
  computeProforma,
  type IndexProforma,
  proformaChanges,
  type RegisterSnapshot,
  shanghaiDate,
} from '@indexflow/corporate-actions';
import type { IndexDefinition, IndexEngine } from '@indexflow/index-engine';
import {
  ALL_INDICES,
  type CorporateActionRecord,
  createAvroSerdes,
  deadLetterMessage,
  type IndexAdjustmentRecord,
  SchemaRegistryError,
} from '@indexflow/kafka';
import type { Logger } from '@indexflow/observability';
import type { Kafka, Producer } from 'kafkajs';
import { adjustmentRecord, recordToAnnouncement } from './action-records.js';
import {
  type PartitionConsumer,
  type PartitionRecord,
  readTopicToEnd,
  startPartitionConsumer,
} from './partition-consumer.js';
import type { ServiceMetrics } from './service-metrics.js';
import type { ServiceStateStore } from './service-state-store.js';

const DAY_MS = 86_400_000;

export interface ActionServiceOptions {
  readonly kafka: Kafka;
  readonly registry: Client;
  readonly store: ServiceStateStore;
  readonly definitions: readonly IndexDefinition[];
  readonly groupId: string;
  readonly actionsTopic: string;
  readonly adjustmentsTopic: string;
  readonly deadLetterTopic: string;
  readonly mode: 'scheduled' | 'immediate';
  /** HH:MM Asia/Shanghai on the day before the ex-date. */
  readonly publishAt: string;
  /** Fixed business date for validation; else today in Asia/Shanghai by `now`. */
  readonly asOfDate?: string;
  readonly scheduleCheckMs: number;
  /** The calculator's committed engine (for the pro-forma), or null when there is none yet. */
  readonly calculatorEngine: () => Promise<IndexEngine | null>;
  readonly now: () => number;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly onFailure: (error: unknown) => void;
}

/**
 * The corporate-actions register as a service: announcements from the compacted topic are
 * validated into the register (refusals → dead-letter topic), and each ex-date's actions are
 * published once, as one date-wide adjustment, before that date starts. The register and the
 * topic offset it covers are saved in Redis with a version check after every batch; the published
 * adjustment is saved in the same atomic step. A date is marked published only after Kafka has the
 * record, and on start the adjustments topic is read back, so a crash in between cannot publish a
 * date twice.
 */
export class ActionService {
  readonly #o: ActionServiceOptions;
  readonly #actionSerdes;
  readonly #adjustmentSerdes;
  #register!: ActionRegister;
  #version = 0;
  #offset: string | null = null;
  #producer: Producer | null = null;
  #consumer: PartitionConsumer | null = null;
  #timer: NodeJS.Timeout | null = null;
  /** Batches and schedule checks run one at a time, in arrival order. */
  #queue: Promise<void> = Promise.resolve();
  #ready = false;
  #failed = false;
  /** Dates already reported as too late to publish, so the alert is logged once. */
  readonly #late = new Set<string>();

  constructor(options: ActionServiceOptions) {
    this.#o = options;
    this.#actionSerdes = createAvroSerdes<CorporateActionRecord>(options.registry, options.actionsTopic);
    this.#adjustmentSerdes = createAvroSerdes<IndexAdjustmentRecord>(
      options.registry,
      options.adjustmentsTopic,
    );
  }

  get ready(): boolean {
    return this.#ready && !this.#failed;
  }

  get register(): ActionRegister {
    return this.#register;
  }

  async start(): Promise<void> {
    const { kafka, store, definitions, log } = this.#o;
    const stored = await store.load<RegisterSnapshot>('register');
    this.#register = stored
      ? ActionRegister.restore(definitions, stored.snapshot)
      : new ActionRegister(definitions);
    this.#version = stored?.version ?? 0;
    this.#offset = stored?.offset ?? null;
    const reconciled = await this.#reconcilePublished();
    log.info(
      { version: this.#version, offset: this.#offset, dates: this.#register.dates(), reconciled },
      'register recovered',
    );
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await this.#producer.connect();
    this.#consumer = await startPartitionConsumer({
      kafka,
      groupId: this.#o.groupId,
      topic: this.#o.actionsTopic,
      startOffset: this.#offset,
      // Any failure stops the service (a restart recovers from Redis): kafkajs would otherwise
      // retry the batch quietly while /readyz still says ready.
      onBatch: (records) =>
        this.#serial(() => {
          // After a failure the register may be ahead of Redis: never process on top of it.
          if (this.#failed) throw new Error('actions loop stopped after a failed batch');
          return this.#onBatch(records);
        }).catch((error: unknown) => {
          this.#failed = true;
          this.#o.onFailure(error);
          throw error;
        }),
      onCrash: this.#o.onFailure,
    });
    this.#timer = setInterval(() => {
      void this.#serial(async () => {
        await this.#publishDue(this.#offset ?? '0');
      }).catch(this.#o.onFailure);
    }, this.#o.scheduleCheckMs);
    this.#ready = true;
  }

  #serial(work: () => Promise<void>): Promise<void> {
    const next = this.#queue.then(work);
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Dates whose adjustment Kafka has but Redis does not (a crash after produce, before save). */
  async #reconcilePublished(): Promise<string[]> {
    const records = await readTopicToEnd(
      this.#o.kafka,
      this.#o.adjustmentsTopic,
      `${this.#o.groupId}-reconcile-${this.#o.now()}`,
    );
    const found: string[] = [];
    for (const record of records) {
      if (record.value === null) continue;
      let adjustment: IndexAdjustmentRecord;
      try {
        adjustment = await this.#adjustmentSerdes.deserialize(record.value);
      } catch (error) {
        // Someone else's bad record must not keep this service from starting.
        if (error instanceof SchemaRegistryError) throw error;
        this.#o.log.warn({ offset: record.offset, err: error }, 'undecodable adjustment record skipped');
        continue;
      }
      if (adjustment.indexId !== ALL_INDICES || this.#register.isPublished(adjustment.effectiveDate))
        continue;
      this.#register.markPublished(adjustment.effectiveDate);
      found.push(adjustment.effectiveDate);
    }
    return found;
  }

  #today(): string {
    return this.#o.asOfDate ?? shanghaiDate(this.#o.now());
  }

  async #onBatch(records: PartitionRecord[]): Promise<void> {
    const { metrics, log } = this.#o;
    const dead = [];
    for (const record of records) {
      const key = record.key?.toString('utf8') ?? '';
      let outcome: ReturnType<ActionRegister['submit']>;
      if (record.value === null) {
        outcome = this.#register.cancel(key);
      } else {
        let announcement: ReturnType<typeof recordToAnnouncement>;
        try {
          announcement = recordToAnnouncement(await this.#actionSerdes.deserialize(record.value));
        } catch (error) {
          // A registry outage is not the record's fault: fail (and restart) rather than dead-letter.
          if (error instanceof SchemaRegistryError) throw error;
          metrics.rejected.inc({ stream: 'actions', reason: 'undecodable' });
          dead.push(
            this.#dead(record, 'undecodable', error instanceof Error ? error.message : String(error)),
          );
          continue;
        }
        outcome = this.#register.submit(announcement, this.#today());
      }
      metrics.announcements.inc({ outcome: outcome.outcome });
      if (outcome.outcome === 'rejected') {
        const { reason, detail } = outcome.rejection;
        metrics.rejected.inc({ stream: 'actions', reason });
        log.warn({ actionId: key, reason, detail, offset: record.offset }, 'announcement refused');
        dead.push(this.#dead(record, reason, detail));
      }
    }
    // Dead letters go out before the register is saved: a crash in between re-reads the batch and
    // may dead-letter a record twice, but never loses one.
    if (dead.length > 0) await this.#producer!.send({ topic: this.#o.deadLetterTopic, messages: dead });
    const next = (BigInt(records.at(-1)!.offset) + 1n).toString();
    this.#offset = next;
    const publishedAny = await this.#publishDue(next);
    if (!publishedAny) {
      this.#version = await this.#o.store.save('register', this.#version, next, this.#register.snapshot());
    }
  }

  #dead(record: PartitionRecord, reason: string, detail: string) {
    return deadLetterMessage({
      topic: this.#o.actionsTopic,
      partition: 0,
      offset: record.offset,
      key: record.key,
      value: record.value,
      reason,
      detail,
    });
  }

  /** When `date`'s adjustment goes out in scheduled mode: PUBLISH_AT on the day before, Asia/Shanghai. */
  #publishInstant(date: string): number {
    const [hours, minutes] = this.#o.publishAt.split(':').map(Number) as [number, number];
    return adjustmentEventTime(date) - DAY_MS + (hours * 60 + minutes) * 60_000;
  }

  async #publishDue(offset: string): Promise<boolean> {
    const now = this.#o.now();
    const due = this.#register
      .datesDue('9999-12-31')
      .filter((date) => this.#o.mode === 'immediate' || now >= this.#publishInstant(date));
    const published: string[] = [];
    for (const date of due) {
      // Past its 00:00 on the wall clock (history being replayed, or an import that came late):
      // publish all the same. Calculators order it by event time: they apply it at its instant
      // if their input has not passed it yet, and refuse it whole as `late` otherwise.
      if (this.#o.mode === 'scheduled' && now >= adjustmentEventTime(date) && !this.#late.has(date)) {
        this.#late.add(date);
        this.#o.metrics.adjustmentsLate.inc();
        this.#o.log.warn(
          { date },
          'adjustment published after its ex-date started on the wall clock; calculators past its instant refuse it as late',
        );
      }
      await this.#publish(date, offset);
      published.push(date);
    }
    return published.length > 0;
  }

  async #publish(date: string, offset: string): Promise<void> {
    const { log, metrics } = this.#o;
    const adjustment = this.#register.adjustmentFor(date);
    if (adjustment === null) return;
    const proformas = await this.#proforma(adjustment);
    const record = adjustmentRecord(date, this.#register.announcementsOn(date), proformas);
    await this.#producer!.send({
      topic: this.#o.adjustmentsTopic,
      messages: [{ key: ALL_INDICES, value: await this.#adjustmentSerdes.serialize(record) }],
    });
    this.#register.markPublished(date);
    this.#version = await this.#o.store.save('register', this.#version, offset, this.#register.snapshot(), {
      date,
      record,
      proforma: new Map(proformas.map((p) => [p.indexId, p])),
    });
    metrics.adjustmentsPublished.inc();
    log.info(
      {
        adjustmentId: record.adjustmentId,
        actions: record.actions.map((a) => `${a.type} ${a.symbol}${a.indexId ? ` in ${a.indexId}` : ''}`),
        divisors: Object.fromEntries(proformas.map((p) => [p.indexId, [p.divisorBefore, p.divisorAfter]])),
      },
      'adjustment published',
    );
  }

  /**
   * The pro-forma on the calculator's committed state. Only meaningful when that state is at or
   * before the adjustment instant (the previous close); otherwise, or without state, none.
   */
  async #proforma(
    adjustment: NonNullable<ReturnType<ActionRegister['adjustmentFor']>>,
  ): Promise<IndexProforma[]> {
    try {
      const engine = await this.#o.calculatorEngine();
      if (engine === null) return [];
      const times = engine.indexIds.map((id) => engine.lastLevelTime(id) ?? 0);
      if (Math.max(0, ...times) >= adjustment.eventTime) return [];
      return computeProforma(this.#o.definitions, engine, adjustment).filter(proformaChanges);
    } catch (error) {
      this.#o.log.warn({ err: error }, 'no pro-forma: the calculator state could not be read');
      return [];
    }
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    await this.#consumer?.stop();
    await this.#queue;
    await this.#producer?.disconnect();
  }
}
