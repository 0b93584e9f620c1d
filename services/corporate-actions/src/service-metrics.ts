import { Counter, Gauge, Registry } from 'prom-client';

export interface ServiceMetrics {
  readonly registry: Registry;
  readonly recoveries: Counter;
  readonly announcements: Counter<'outcome'>;
  readonly rejected: Counter<'stream' | 'reason'>;
  readonly adjustmentsPublished: Counter;
  readonly adjustmentsLate: Counter;
  readonly fxIn: Counter;
  readonly fxPublished: Counter;
  readonly fxRate: Gauge<'pair'>;
}

export function createServiceMetrics(): ServiceMetrics {
  const registry = new Registry();
  return {
    registry,
    recoveries: new Counter({
      name: 'indexflow_inprocess_recoveries_total',
      help: 'Runs that failed (a dependency lost mid-batch) and were recovered in-process',
      registers: [registry],
    }),
    announcements: new Counter({
      name: 'indexflow_ca_announcements_total',
      help: 'Corporate-action announcements processed, by outcome (added, amended, unchanged, cancelled, rejected)',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    rejected: new Counter({
      name: 'indexflow_ca_rejected_total',
      help: 'Records refused and sent to the dead-letter topic, by stream (actions, fx) and reason',
      labelNames: ['stream', 'reason'],
      registers: [registry],
    }),
    adjustmentsPublished: new Counter({
      name: 'indexflow_ca_adjustments_published_total',
      help: 'Date-wide index adjustments published',
      registers: [registry],
    }),
    adjustmentsLate: new Counter({
      name: 'indexflow_ca_adjustments_late_total',
      help: 'Ex-dates whose adjustment was published after the date began on the wall clock (scheduled mode)',
      registers: [registry],
    }),
    fxIn: new Counter({
      name: 'indexflow_fx_quotes_in_total',
      help: 'Raw FX quotes read',
      registers: [registry],
    }),
    fxPublished: new Counter({
      name: 'indexflow_fx_rates_published_total',
      help: 'HKDCNY rates published for the calculators',
      registers: [registry],
    }),
    fxRate: new Gauge({
      name: 'indexflow_fx_published_rate',
      help: 'Last published rate (a gauge for dashboards; the published value is the exact decimal string)',
      labelNames: ['pair'],
      registers: [registry],
    }),
  };
}
