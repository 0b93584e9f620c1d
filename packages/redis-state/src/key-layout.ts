// Where a calculator's state lives in Redis. Every key carries the calculator id as a hash tag
// (`{...}`), so Redis Cluster puts all of one calculator's keys in one slot: the Lua scripts that
// stage and promote touch several of them at once, and a script may only touch keys of one slot.
//
//   <prefix>:{<calculatorId>}:snapshot:committed   hash  version, offsets (JSON), engine (JSON), digest
//   <prefix>:{<calculatorId>}:snapshot:pending     hash  same fields; written by stage, moved by promote
//   <prefix>:{<calculatorId>}:indices              set   index ids that have an index key
//   <prefix>:{<calculatorId>}:index:<indexId>      hash  projection of one index (see projection.ts)
//   <prefix>:{<calculatorId>}:symbols              set   symbols that have a symbol key
//   <prefix>:{<calculatorId>}:symbol:<symbol>      hash  lastPrice, lastEventTime, lastSequence
//   <prefix>:{<calculatorId>}:fx-pairs             set   pairs that have an fx key
//   <prefix>:{<calculatorId>}:fx:<pair>            hash  rate, eventTime, observationId
//   <prefix>:{<calculatorId>}:restarts             hash  offsets, crashes, isolated (poison-pill counter)
//
// The snapshot keys are the state (the engine restores from them); the rest is a read-only
// projection for the gateway and CLI, rewritten whole by every promote. Each key family has one
// writer: the calculator that owns the id.
import { InvalidKeyPartError } from './redis-errors.js';

export const DEFAULT_KEY_PREFIX = 'indexflow';

export interface KeyLayout {
  readonly calculatorId: string;
  /** `<prefix>:{<calculatorId>}:`, the start of every key of this calculator. */
  readonly base: string;
  readonly committed: string;
  readonly pending: string;
  readonly indices: string;
  readonly symbols: string;
  readonly fxPairs: string;
  /** The restart counter of RedisRestartTracker: present only while a run is live or after it died. */
  readonly restarts: string;
  /** Starts of the per-member projection keys; the promote script appends a member to drop stale keys. */
  readonly indexBase: string;
  readonly symbolBase: string;
  readonly fxBase: string;
  index(indexId: string): string;
  symbol(symbol: string): string;
  fx(pair: string): string;
}

/**
 * Builds the key names of one calculator. `prefix` (default `indexflow`) lets tests and
 * environments share a Redis without sharing keys.
 */
export function createKeyLayout(options: { calculatorId: string; prefix?: string }): KeyLayout {
  const prefix = options.prefix ?? DEFAULT_KEY_PREFIX;
  // Redis hashes the text between the FIRST `{` and the next `}`: a brace in the prefix would
  // move the tag, one in the id would cut it short, and an empty tag hashes the whole key.
  checkPart('key prefix', prefix, false);
  checkPart('calculator id', options.calculatorId, true);
  const base = `${prefix}:{${options.calculatorId}}:`;
  const indexBase = `${base}index:`;
  const symbolBase = `${base}symbol:`;
  const fxBase = `${base}fx:`;
  return {
    calculatorId: options.calculatorId,
    base,
    committed: `${base}snapshot:committed`,
    pending: `${base}snapshot:pending`,
    indices: `${base}indices`,
    symbols: `${base}symbols`,
    fxPairs: `${base}fx-pairs`,
    restarts: `${base}restarts`,
    indexBase,
    symbolBase,
    fxBase,
    index: (indexId) => `${indexBase}${indexId}`,
    symbol: (symbol) => `${symbolBase}${symbol}`,
    fx: (pair) => `${fxBase}${pair}`,
  };
}

function checkPart(part: string, value: string, mustBeNonEmpty: boolean): void {
  if (mustBeNonEmpty && value.length === 0) {
    throw new InvalidKeyPartError({
      part,
      value,
      reason: 'it must not be empty (an empty hash tag is ignored)',
    });
  }
  if (value.includes('{') || value.includes('}')) {
    throw new InvalidKeyPartError({
      part,
      value,
      reason: 'it must not contain { or } (they delimit the hash tag)',
    });
  }
}
