import type { Client } from '@confluentinc/schemaregistry';
import {
  type ConsumedRecord,
  type CorporateActionRecord,
  createAvroSerdes,
  DECODE_REJECT_REASONS,
  type PartitionStart,
  type RecordReader,
  SchemaRegistryError,
} from '@indexflow/kafka';
import {
  cutDetail,
  type EventBatch,
  type EventSource,
  type InputOffsets,
  offsetKey,
  type RejectedRecord,
  type SourcedEvent,
} from '@indexflow/pipeline';
import type { ActionInput } from './action-inputs.js';
import { recordToAnnouncement } from './action-records.js';

export interface AnnouncementSourceOptions {
  readonly reader: RecordReader;
  readonly registry: Client;
  /** The compacted actions topic: key = action id, a tombstone cancels. */
  readonly topic: string;
  /**
   * The offsets key of the register's clock (see EventBatch.clock): a partition of the adjustments
   * topic, whose committed "offset" in the register's group is the time of the last tick that
   * published. Nothing reads that topic through this group.
   */
  readonly clock: { readonly topic: string; readonly partition: number };
  /** How often the schedule is checked (SCHEDULE_CHECK_MS). */
  readonly tickMs: number;
  readonly now: () => number;
}

/**
 * The register's input: the actions topic's records as announcements and cancellations, and clock
 * ticks. A tick follows every batch of records (so `immediate` publication comes with the next
 * transaction) and otherwise comes every `tickMs`; none comes before the source has read what
 * the topic held when it started, so a register rebuilt from the topic's start never publishes
 * from a half-read calendar. The topic has no cross-partition order to keep (one partition, by
 * action id), so records are handed over as read, in offset order.
 */
export class AnnouncementSource implements EventSource<ActionInput> {
  readonly #options: AnnouncementSourceOptions;
  readonly #serdes;
  readonly #clockKey: string;
  readonly #buffered: ConsumedRecord[] = [];
  /** Per actions partition: next offset after what was handed over (or skipped: markers). */
  readonly #positions = new Map<number, bigint>();
  /** Per partition, where reading stands once every buffered record is handed over. */
  readonly #fetched = new Map<number, bigint>();
  /** Per partition, the end offset when the source started: no tick before it is reached. */
  readonly #ends = new Map<number, bigint>();
  #clock: number | undefined;
  #lastTick = Number.NEGATIVE_INFINITY;
  #tickAfterRecords = false;
  #wake: (() => void) | undefined;

  constructor(options: AnnouncementSourceOptions) {
    this.#options = options;
    this.#serdes = createAvroSerdes<CorporateActionRecord>(options.registry, options.topic);
    this.#clockKey = offsetKey(options.clock.topic, options.clock.partition);
  }

  async start(from: InputOffsets | null): Promise<void> {
    const { reader, topic } = this.#options;
    const starts: PartitionStart[] = [];
    for (const { partition, low, high } of await reader.partitionOffsets(topic)) {
      const saved = from?.[offsetKey(topic, partition)];
      const offset = saved === undefined ? low : BigInt(saved);
      this.#positions.set(partition, offset);
      this.#fetched.set(partition, offset);
      this.#ends.set(partition, high);
      starts.push({ topic, partition, offset });
    }
    const clock = from?.[this.#clockKey];
    if (clock !== undefined) this.#clock = Number(clock);
    await reader.readFrom(starts, async (batch) => {
      // A reader may deliver a batch again (at least once): keep what is new.
      const from = this.#fetched.get(batch.partition) ?? 0n;
      this.#buffered.push(...batch.records.filter((record) => BigInt(record.offset) >= from));
      if (batch.nextOffset > from) this.#fetched.set(batch.partition, batch.nextOffset);
      this.#wake?.();
    });
  }

  async nextBatch(maxEvents: number, maxWaitMs: number): Promise<EventBatch<ActionInput>> {
    if (this.#buffered.length === 0 && !this.#tickDue()) await this.#waitForRecords(maxWaitMs);
    if (this.#buffered.length > 0) return this.#records(maxEvents);
    this.#catchUpPositions();
    if (!this.#tickDue()) return this.#batch([], []);
    return this.#tick();
  }

  async close(): Promise<void> {
    this.#wake?.();
    await this.#options.reader.close();
  }

  async #records(maxEvents: number): Promise<EventBatch<ActionInput>> {
    const taken = this.#buffered.splice(0, Math.max(1, maxEvents));
    const events: SourcedEvent<ActionInput>[] = [];
    const undecodable: RejectedRecord[] = [];
    const at = this.#options.now();
    for (const record of taken) {
      const decoded = await this.#decode(record, at);
      if ('reason' in decoded) undecodable.push(decoded);
      else events.push(decoded);
      this.#positions.set(record.partition, BigInt(record.offset) + 1n);
    }
    this.#catchUpPositions();
    this.#tickAfterRecords = true;
    return this.#batch(events, undecodable);
  }

  async #decode(record: ConsumedRecord, at: number): Promise<SourcedEvent<ActionInput> | RejectedRecord> {
    const { topic, partition, offset, key, value } = record;
    const sourced = { topic, partition, offset, key, value, receivedAt: at };
    if (value === null) {
      return { ...sourced, event: { kind: 'cancel', actionId: key?.toString('utf8') ?? '', at } };
    }
    try {
      const announcement = recordToAnnouncement(await this.#serdes.deserialize(value));
      return { ...sourced, event: { kind: 'announcement', announcement, at } };
    } catch (error) {
      // A registry outage is not the record's fault: fail (and restart) rather than dead-letter.
      if (error instanceof SchemaRegistryError) throw error;
      const detail = cutDetail(error instanceof Error ? error.message : String(error));
      return { topic, partition, offset, key, value, reason: DECODE_REJECT_REASONS.undecodable, detail };
    }
  }

  /** Partitions with nothing buffered stand where reading stands (past transaction markers). */
  #catchUpPositions(): void {
    const waiting = new Set(this.#buffered.map((record) => record.partition));
    for (const [partition, fetched] of this.#fetched) {
      if (!waiting.has(partition) && fetched > (this.#positions.get(partition) ?? 0n))
        this.#positions.set(partition, fetched);
    }
  }

  #caughtUp(): boolean {
    for (const [partition, end] of this.#ends) if ((this.#positions.get(partition) ?? 0n) < end) return false;
    return true;
  }

  #tickDue(): boolean {
    if (!this.#caughtUp()) return false;
    return this.#tickAfterRecords || this.#options.now() - this.#lastTick >= this.#options.tickMs;
  }

  #tick(): EventBatch<ActionInput> {
    // Strictly increasing, so each publishing transaction moves the committed clock position.
    const now = Math.max(this.#options.now(), (this.#clock ?? 0) + 1);
    this.#clock = now;
    this.#lastTick = this.#options.now();
    this.#tickAfterRecords = false;
    const { topic, partition } = this.#options.clock;
    const tick: SourcedEvent<ActionInput> = {
      event: { kind: 'clock', now },
      topic,
      partition,
      offset: String(now),
      key: null,
      value: null,
      receivedAt: now,
    };
    return this.#batch([tick], []);
  }

  #batch(events: SourcedEvent<ActionInput>[], undecodable: RejectedRecord[]): EventBatch<ActionInput> {
    const nextOffsets: Record<string, string> = {};
    for (const [partition, offset] of this.#positions)
      nextOffsets[offsetKey(this.#options.topic, partition)] = String(offset);
    if (this.#clock !== undefined) nextOffsets[this.#clockKey] = String(this.#clock);
    return { events, undecodable, nextOffsets, clock: this.#clockKey };
  }

  async #waitForRecords(maxWaitMs: number): Promise<void> {
    const untilTick = this.#caughtUp()
      ? Math.max(0, this.#lastTick + this.#options.tickMs - this.#options.now())
      : maxWaitMs;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.min(maxWaitMs, untilTick));
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }
}
