import type { FxRateFilterOptions, IndexEvent } from '@indexflow/index-engine';
import type { MarketCalendar } from '@indexflow/market-calendar';
import {
  type EventBatch,
  type EventSource,
  type InputOffsets,
  type InputWatermark,
  offsetKey,
  type RejectedRecord,
  type SourcedEvent,
} from '@indexflow/pipeline';
import { CalendarCoverage } from './calendar-coverage.js';
import { datasetEvents } from './dataset-events.js';
import { DatasetError, type DatasetIssue } from './dataset-report.js';
import { filterFxEvents } from './filter-fx-events.js';

export interface DatasetEventSourceOptions {
  /** Runs FX rates through the FX service's filter first, as `filterFxEvents` does. */
  readonly fxFilter?: FxRateFilterOptions;
  /** The input ends before the first event at or after this time (epoch ms). */
  readonly before?: number;
  /** Called every `progressEvery` events read with the count so far. */
  readonly onProgress?: (eventsSoFar: number) => void;
  readonly progressEvery?: number;
  /**
   * The engine's market calendar: the first tick of a year it does not cover at the tick's venue is
   * reported to `onCalendarGap` with its file and line (see CalendarCoverage). Absent: no check.
   */
  readonly calendar?: MarketCalendar;
  readonly onCalendarGap?: (gap: { readonly at: string; readonly detail: string }) => void;
}

/** A dataset is read from its start: it has no committed position to resume from. */
export class DatasetResumeError extends Error {
  constructor(readonly from: InputOffsets) {
    super(`a dataset replays from its start, not from ${JSON.stringify(from).slice(0, 200)}`);
    this.name = 'DatasetResumeError';
  }
}

const NONE: readonly RejectedRecord[] = [];

/** Events read, and what was reported while reading them, waiting for the next batch. */
interface Held {
  readonly issues: readonly RejectedRecord[];
  readonly event: SourcedEvent | null;
}

/**
 * An EventSource over a dataset directory (`datasetEvents`, in canonical order), for the offline
 * replay: each file is a topic with one partition, an event's offset counts the events read from
 * its file (rows of equal time are re-ordered, so line numbers are not increasing), and rows the
 * readers refuse come out as the batch's undecodable records, offset = line.
 *
 * Reports keep the order of a plain loop over the events: what was reported while reading an event
 * comes after the engine's rejections of the events before it. A batch therefore ends before an
 * event whose reading reported something, and that event starts the next batch behind its issues
 * (the pipeline puts a batch's undecodable records before its engine rejections).
 */
export class DatasetEventSource implements EventSource {
  readonly counts = { tick: 0, 'fx-rate': 0, 'index-adjustment': 0, session: 0 };
  #events: Iterator<IndexEvent> | null = null;
  #reported: RejectedRecord[] = [];
  #held: Held | null = null;
  #ended = false;
  #failure: { readonly error: unknown } | null = null;
  #read = 0;
  #lastTime: number | undefined;
  readonly #next: Record<string, number> = {};

  constructor(
    private readonly datasetDir: string,
    private readonly options: DatasetEventSourceOptions = {},
  ) {}

  /** Every event was read and handed out: the run can stop once this batch is committed. */
  get done(): boolean {
    return this.#ended && this.#held === null;
  }

  async start(from: InputOffsets | null): Promise<void> {
    if (from !== null && Object.keys(from).length > 0) throw new DatasetResumeError(from);
    const report = (issue: DatasetIssue) => this.#reported.push(issueRecord(issue));
    const events = this.#timed(datasetEvents(this.datasetDir, report));
    const fx = this.options.fxFilter;
    this.#events = (
      fx === undefined
        ? events
        : filterFxEvents(events, fx, (rejection, quote) =>
            report({
              file: quote.position?.source ?? 'fx.csv',
              line: quote.position?.offset ?? 0,
              reason: rejection.reason,
              detail: rejection.detail,
            }),
          )
    )[Symbol.iterator]();
  }

  async nextBatch(maxEvents: number): Promise<EventBatch> {
    if (this.#events === null) throw new Error('DatasetEventSource: nextBatch before start');
    // A read that failed part-way gave its batch the events before it; now the failure is raised.
    if (this.#failure !== null) throw this.#failure.error;
    const events: SourcedEvent[] = [];
    const undecodable: RejectedRecord[] = [];
    const held = this.#held;
    this.#held = null;
    if (held !== null) {
      undecodable.push(...held.issues);
      if (held.event !== null) events.push(held.event);
    }
    while (events.length < maxEvents && !this.#ended) {
      let next: IteratorResult<IndexEvent>;
      try {
        next = this.#events.next();
      } catch (error) {
        this.#failure = { error };
        if (events.length === 0 && undecodable.length === 0) throw error;
        break;
      }
      const event = next.done ? null : next.value;
      const sourced =
        event === null || event.eventTime >= (this.options.before ?? Number.POSITIVE_INFINITY)
          ? null
          : this.#sourced(event);
      if (sourced === null) this.#ended = true;
      const issues = this.#reported.length === 0 ? NONE : this.#reported.splice(0, this.#reported.length);
      if (issues.length > 0 && events.length > 0) {
        this.#held = { issues, event: sourced };
        break;
      }
      undecodable.push(...issues);
      if (sourced !== null) events.push(sourced);
    }
    const batch = { events, undecodable, nextOffsets: this.#offsets() };
    return this.done ? { ...batch, watermark: this.#finalWatermark() } : batch;
  }

  /**
   * The input's end as `indexflow replay --kafka` states it to the live calculator (its final
   * watermark): the slice's end when given, else just past the last event read (refused FX rates
   * included), so closes due by then are taken offline exactly as live.
   */
  #finalWatermark(): InputWatermark {
    const end = this.options.before ?? (this.#lastTime === undefined ? undefined : this.#lastTime + 1);
    return { time: end ?? Number.NEGATIVE_INFINITY, final: true, records: {} };
  }

  /** Notes each event's time as the files give it, before any filter drops it. */
  *#timed(events: Iterable<IndexEvent>): Generator<IndexEvent> {
    const calendar = this.options.calendar;
    const coverage = calendar === undefined ? null : new CalendarCoverage(calendar);
    for (const event of events) {
      if (event.eventTime >= (this.options.before ?? Number.POSITIVE_INFINITY)) return;
      const uncovered = coverage?.problem(event) ?? null;
      if (uncovered !== null) {
        const at =
          event.position === undefined ? 'dataset' : `${event.position.source}:${event.position.offset}`;
        this.options.onCalendarGap?.({ at, detail: uncovered });
      }
      this.#lastTime = event.eventTime;
      yield event;
    }
  }

  async close(): Promise<void> {
    this.#events?.return?.();
  }

  #sourced(event: IndexEvent): SourcedEvent {
    const topic = event.position?.source ?? 'dataset';
    const offset = this.#next[topic] ?? 0;
    this.#next[topic] = offset + 1;
    this.counts[event.kind] += 1;
    this.#read += 1;
    const every = this.options.progressEvery ?? 100_000;
    if (this.#read % every === 0) this.options.onProgress?.(this.#read);
    return { event, topic, partition: 0, offset: String(offset), key: null, value: null, receivedAt: 0 };
  }

  #offsets(): InputOffsets {
    const offsets: Record<string, string> = {};
    for (const [topic, next] of Object.entries(this.#next)) offsets[offsetKey(topic, 0)] = String(next);
    return offsets;
  }
}

/** A row the readers refused, as an undecodable record of its file (offset = line). */
function issueRecord(issue: DatasetIssue): RejectedRecord {
  return {
    topic: issue.file,
    partition: 0,
    offset: String(issue.line),
    key: null,
    value: null,
    reason: issue.reason,
    detail: issue.detail,
  };
}
