import { type DatasetIssue, DEFAULT_FX_SOURCE, datasetEvents } from '@indexflow/dataset-files';
import { currencyOfSymbol, marketOfSymbol } from '@indexflow/index-engine';
import type { AvroSerdes, FxRateRecord, MarketTickRecord } from '@indexflow/kafka';
import type { Message, Producer } from 'kafkajs';

export interface ProduceDatasetTopics {
  readonly ticksAshare: string;
  readonly ticksHk: string;
  readonly fx: string;
}

export interface ProduceDatasetDeps {
  readonly datasetDir: string;
  readonly producer: Producer;
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
}

export interface ProduceSummary {
  readonly ticks: number;
  readonly fxRates: number;
  readonly rejected: number;
  readonly durationMs: number;
}

/**
 * Produces a dataset's ticks and FX rates to the live topics as Avro, keyed by symbol / pair so
 * per-symbol order is kept, each symbol's ticks numbered with a gap-free `sequence`. Corporate
 * actions are not produced: they belong to the corporate-actions service.
 */
export async function produceDataset(deps: ProduceDatasetDeps): Promise<ProduceSummary> {
  const started = deps.now();
  const batchSize = deps.batchSize ?? 500;
  const sequences = new Map<string, number>();
  const pending = new Map<string, Message[]>();
  let pendingCount = 0;
  let ticks = 0;
  let fxRates = 0;
  let rejected = 0;
  let firstEventTime: number | null = null;
  const flush = async () => {
    if (pendingCount === 0) return;
    await deps.producer.sendBatch({
      topicMessages: [...pending.entries()].map(([topic, messages]) => ({ topic, messages })),
    });
    pending.clear();
    pendingCount = 0;
    deps.onProgress?.(ticks + fxRates);
  };
  const enqueue = (topic: string, message: Message) => {
    const list = pending.get(topic);
    if (list) list.push(message);
    else pending.set(topic, [message]);
    pendingCount += 1;
  };
  const report = (issue: DatasetIssue) => {
    rejected += 1;
    deps.onIssue?.(issue);
  };
  for (const event of datasetEvents(deps.datasetDir, report)) {
    if (event.kind !== 'tick' && event.kind !== 'fx-rate') continue;
    if (deps.from !== undefined && event.eventTime < deps.from) continue;
    if (deps.to !== undefined && event.eventTime >= deps.to) break;
    if (deps.speed !== 'max') {
      firstEventTime ??= event.eventTime;
      const due = started + (event.eventTime - firstEventTime) / deps.speed;
      const wait = due - deps.now();
      if (wait > 0) {
        await flush();
        await deps.sleep(wait);
      }
    }
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
      const sequence = (sequences.get(event.symbol) ?? 0) + 1;
      sequences.set(event.symbol, sequence);
      const topic = market === 'HK' ? deps.topics.ticksHk : deps.topics.ticksAshare;
      const record: MarketTickRecord = {
        symbol: event.symbol,
        market,
        currency: currencyOfSymbol(event.symbol)!,
        eventTime: event.eventTime,
        sequence: event.sequence ?? sequence,
        lastPrice: event.price,
        volume: '0',
        turnover: '0',
        bidPrice: null,
        askPrice: null,
        tradingPhase: 'CONTINUOUS',
      };
      enqueue(topic, { key: event.symbol, value: await deps.tickSerdes(topic).serialize(record) });
      ticks += 1;
    } else {
      const sequence = (sequences.get(`fx:${event.pair}`) ?? 0) + 1;
      sequences.set(`fx:${event.pair}`, sequence);
      const record: FxRateRecord = {
        pair: event.pair,
        rate: event.rate,
        eventTime: event.eventTime,
        // fx.csv's optional source column travels on, so a closing fixing stays one live too.
        source: event.source ?? DEFAULT_FX_SOURCE,
        sequence,
      };
      enqueue(deps.topics.fx, { key: event.pair, value: await deps.fxSerdes.serialize(record) });
      fxRates += 1;
    }
    if (pendingCount >= batchSize) await flush();
  }
  await flush();
  return { ticks, fxRates, rejected, durationMs: deps.now() - started };
}
