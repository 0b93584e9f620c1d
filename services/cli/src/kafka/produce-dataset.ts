import { type DatasetIssue, DEFAULT_FX_SOURCE, datasetEvents, TimeSequencer } from '@indexflow/dataset-files';
import { currencyOfSymbol, marketOfSymbol } from '@indexflow/index-engine';
import type {
  AvroSerdes,
  FxRateRecord,
  MarketTickRecord,
  ProducedRecord,
  RecordProducer,
} from '@indexflow/kafka';
import { WatermarkWriter } from './watermark-writer.js';

export interface ProduceDatasetTopics {
  readonly ticksAshare: string;
  readonly ticksHk: string;
  readonly fx: string;
}

export interface ProduceDatasetDeps {
  readonly datasetDir: string;
  /** Either client's (KAFKA_CLIENT); send() must resolve once the records are acknowledged. */
  readonly producer: RecordProducer;
  readonly topics: ProduceDatasetTopics;
  readonly tickSerdes: (topic: string) => AvroSerdes<MarketTickRecord>;
  readonly fxSerdes: AvroSerdes<FxRateRecord>;
  /** Replay speed: 1 = original pacing, 10 = ten times faster, 'max' = as fast as possible. */
  readonly speed: number | 'max';
  /** Only events with from ≤ eventTime < to. */
  readonly from?: number;
  readonly to?: number;
  readonly onIssue?: (issue: DatasetIssue) => void;
  readonly onProgress?: (produced: number) => void;
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  readonly batchSize?: number;
  /** Partitions of each topic, so every partition carries this run's watermarks. */
  readonly partitions: (topic: string) => number;
  /** Wall-clock ms between watermark heartbeats while the run goes on. Default 200. */
  readonly heartbeatMs?: number;
}

export interface ProduceSummary {
  readonly ticks: number;
  readonly fxRates: number;
  readonly rejected: number;
  readonly durationMs: number;
}

/**
 * Produces a dataset's ticks and FX rates to the live topics as Avro, keyed by symbol / pair so
 * per-symbol order is kept. A tick without a `sequence` of its own gets one derived from the data
 * (TimeSequencer), so producing the dataset in slices, or a slice twice, numbers it the same way.
 * Every partition of the three topics carries this run's watermarks (see watermark-writer.ts): a
 * first one at the slice's start, heartbeats while it runs, and a final one at its end (`to`, or
 * just past the dataset's last event, corporate actions included). Corporate actions are not
 * produced: they belong to the corporate-actions service.
 */
export async function produceDataset(deps: ProduceDatasetDeps): Promise<ProduceSummary> {
  const started = deps.now();
  const batchSize = deps.batchSize ?? 500;
  const sequences = new TimeSequencer();
  const heartbeatMs = deps.heartbeatMs ?? 200;
  const watermarks = new WatermarkWriter({
    topics: [deps.topics.ticksAshare, deps.topics.ticksHk, deps.topics.fx],
    partitions: deps.partitions,
    heartbeatMs,
    now: deps.now,
  });
  let lastEventTime: number | undefined;
  let pending: ProducedRecord[] = [];
  let ticks = 0;
  let fxRates = 0;
  let rejected = 0;
  let firstEventTime: number | null = null;
  const flush = async () => {
    pending.push(...watermarks.heartbeat(lastEventTime));
    if (pending.length === 0) return;
    const records = pending;
    pending = [];
    await deps.producer.send(records);
    deps.onProgress?.(ticks + fxRates);
  };
  // Waits until `due`, with heartbeats at the next event's time: the quiet spell (a lunch break at
  // speed 1) advances every partition instead of turning it stale.
  const pause = async (nextTime: number, due: number) => {
    for (let wait = due - deps.now(); wait > 0; wait = due - deps.now()) {
      pending.push(...watermarks.heartbeat(nextTime));
      await flush();
      await deps.sleep(Math.min(wait, heartbeatMs));
    }
  };
  const report = (issue: DatasetIssue) => {
    rejected += 1;
    deps.onIssue?.(issue);
  };
  let datasetEnd: number | undefined;
  for (const event of datasetEvents(deps.datasetDir, report)) {
    if (deps.from !== undefined && event.eventTime < deps.from) continue;
    if (deps.to !== undefined && event.eventTime >= deps.to) break;
    datasetEnd = event.eventTime + 1;
    if (event.kind !== 'tick' && event.kind !== 'fx-rate') continue;
    // The slice's first watermark goes out before its first record, on every partition at once.
    if (firstEventTime === null) pending.push(...watermarks.start(deps.from ?? event.eventTime));
    firstEventTime ??= event.eventTime;
    if (deps.speed !== 'max')
      await pause(event.eventTime, started + (event.eventTime - firstEventTime) / deps.speed);
    if (event.kind === 'tick') {
      const market = marketOfSymbol(event.symbol);
      if (market === null) {
        report({
          file: 'ticks.csv',
          line: event.position?.offset ?? 0,
          reason: 'unknown_symbol',
          detail: `${event.symbol} has no .SH/.SZ/.HK suffix`,
        });
        continue;
      }
      const sequence = event.sequence ?? sequences.next(event.symbol, event.eventTime);
      const topic = market === 'HK' ? deps.topics.ticksHk : deps.topics.ticksAshare;
      const record: MarketTickRecord = {
        symbol: event.symbol,
        market,
        currency: currencyOfSymbol(event.symbol)!,
        eventTime: event.eventTime,
        sequence,
        lastPrice: event.price,
        volume: '0',
        turnover: '0',
        bidPrice: null,
        askPrice: null,
        tradingPhase: 'CONTINUOUS',
      };
      pending.push({ topic, key: event.symbol, value: await deps.tickSerdes(topic).serialize(record) });
      ticks += 1;
    } else {
      const sequence = sequences.next(`fx:${event.pair}`, event.eventTime);
      const record: FxRateRecord = {
        pair: event.pair,
        rate: event.rate,
        eventTime: event.eventTime,
        // fx.csv's optional source column travels on, so a closing fixing stays one live too.
        source: event.source ?? DEFAULT_FX_SOURCE,
        sequence,
      };
      pending.push({ topic: deps.topics.fx, key: event.pair, value: await deps.fxSerdes.serialize(record) });
      fxRates += 1;
    }
    lastEventTime = event.eventTime;
    if (pending.length >= batchSize) await flush();
  }
  const end = deps.to ?? datasetEnd ?? deps.from;
  if (end !== undefined) pending.push(...watermarks.final(end));
  await flush();
  return { ticks, fxRates, rejected, durationMs: deps.now() - started };
}
