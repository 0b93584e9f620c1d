import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The calculator's Prometheus metrics, with full names and bounded label sets. */
export function createCalculatorMetrics() {
  const registry = new Registry();
  return {
    registry,
    recoveries: new Counter({
      name: 'indexflow_inprocess_recoveries_total',
      help: 'Runs that failed (a dependency lost mid-transaction) and were recovered in-process',
      registers: [registry],
    }),
    recordsIn: new Counter({
      name: 'indexflow_records_in_total',
      help: 'Input records consumed',
      registers: [registry],
    }),
    levelsOut: new Counter({
      name: 'indexflow_levels_out_total',
      help: 'Index levels published',
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'indexflow_records_rejected_total',
      help: 'Input records rejected, by reason (sent to the dead-letter topic)',
      labelNames: ['reason'] as const,
      registers: [registry],
    }),
    poisonPills: new Counter({
      name: 'indexflow_poison_pills_total',
      help: 'Records dead-lettered as poison_pill: they crashed the service POISON_PILL_RESTARTS times',
      registers: [registry],
    }),
    batches: new Counter({
      name: 'indexflow_batches_committed_total',
      help: 'Transactions committed',
      registers: [registry],
    }),
    suppressed: new Counter({
      name: 'indexflow_levels_recomputed_not_republished_total',
      help: 'Levels recomputed during a rebuild that had already been published',
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'indexflow_consumer_lag_records',
      help: 'Records between the committed offset and the high watermark, by topic',
      labelNames: ['topic'] as const,
      registers: [registry],
    }),
    staleSources: new Counter({
      name: 'indexflow_sources_stale_total',
      help: 'Input partitions whose watermark-writing producer went silent past SOURCE_STALE_MS',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    tickToPublish: new Histogram({
      name: 'indexflow_tick_to_publish_seconds',
      help: 'Wall time from receiving a record to committing the level it triggered',
      buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5],
      registers: [registry],
    }),
  };
}

export type CalculatorMetrics = ReturnType<typeof createCalculatorMetrics>;
