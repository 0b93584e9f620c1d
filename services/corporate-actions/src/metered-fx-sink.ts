import type { InputOffsets, LevelSink, OutputTransaction } from '@indexflow/pipeline';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * The FX filter's sink with the service's metrics counted once its transaction has committed:
 * rates published, the last rate per pair, and refusals by reason (stream `fx`).
 */
export class MeteredFxSink implements LevelSink {
  readonly #inner: LevelSink;
  readonly #metrics: ServiceMetrics;

  constructor(inner: LevelSink, metrics: ServiceMetrics) {
    this.#inner = inner;
    this.#metrics = metrics;
  }

  async commit(transaction: OutputTransaction, staged?: Promise<void>): Promise<void> {
    await this.#inner.commit(transaction, staged);
    const derived = transaction.derived ?? [];
    this.#metrics.fxPublished.inc(derived.length);
    const last = derived.at(-1);
    if (last?.kind === 'fx-rate') this.#metrics.fxRate.set({ pair: last.pair }, Number(last.rate));
    for (const rejected of transaction.rejected)
      this.#metrics.rejected.inc({ stream: 'fx', reason: rejected.reason });
  }

  committedOffsets(): Promise<InputOffsets | null> {
    return this.#inner.committedOffsets();
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}
