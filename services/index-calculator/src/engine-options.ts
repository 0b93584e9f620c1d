import type { EngineOptions } from '@indexflow/index-engine';
import type { CalculatorConfig } from './config.js';

/** The engine's options from the configuration: the same for the single calculator and each shard. */
export function calculatorEngineOptions(config: CalculatorConfig, sharded: boolean): EngineOptions {
  return {
    // A shard sees other shards' symbols; it refuses unknown ones through its ShardScope.
    rejectUnknownSymbols: sharded ? false : config.REJECT_UNKNOWN_SYMBOLS,
    ...(config.FX_MAX_AGE_MS === undefined ? {} : { fxMaxAgeMs: config.FX_MAX_AGE_MS }),
    contributions: config.LEVEL_CONSTITUENTS,
    calendar: config.calendar,
  };
}
