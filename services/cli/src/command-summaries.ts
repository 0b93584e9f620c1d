// One line per top-level command, for `indexflow --help` and for each command's own help. Kept
// apart from the commands so the top-level help loads none of them (nor Kafka, Redis, the engine).
export const COMMAND_SUMMARIES = {
  admin: 'operations on the Kafka topics, their ACLs and the schema registry',
  recompute:
    'rebuild index levels from the input topics (ticks, FX, index adjustments) with the calculator’s engine, ' +
    'and publish those with event time in [--from, --to) to a separate topic',
  actions: 'announced corporate actions and index changes (the corporate-actions service register)',
  proforma:
    "what an effective date's actions do to an index: new shares, weights, reference prices and divisor, computed by the engine on the previous close",
  replay:
    'compute index levels offline from a dataset directory (indices/*.json, ticks.csv, fx.csv, actions.csv)',
  simulate:
    'write a simulated replay dataset (indices/*.json, ticks.csv, fx.csv) for A-share and HK constituents',
  stats:
    'per-year and whole-period return, annualised return, volatility, Sharpe ratio and max drawdown of index closes',
  subscribe:
    'print live index levels from the index-level topic, decoded through the Schema Registry (read_committed)',
  eod: 'official closes: history consumer and closing files',
  history: 'official closes of an index from the close history (REDIS_URL, TOPIC_PREFIX)',
  backfill: 'compute official closes offline (historical ticks, or closing prices) into the close history',
} as const;

export type CommandName = keyof typeof COMMAND_SUMMARIES;
