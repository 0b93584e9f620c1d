import type { IndexDefinition, Rejection } from '@indexflow/index-engine';
import type { EventBatch, EventSource, SourcedEvent } from '@indexflow/pipeline';
import type { ShardPlan } from './shard-plan.js';

/**
 * What makes one shard's pipeline differ from the single calculator. Every shard reads every
 * input record and applies it to an engine holding only its own indices, so:
 *
 * - Its engine runs with `rejectUnknownSymbols: false`: a tick of another shard's symbol is not an
 *   error here, and keeping its price lets a later `add` of that symbol to one of this shard's
 *   indices price it exactly as the single engine would.
 * - An index-scoped action for another shard's index is removed from adjustments before the
 *   engine (it would be `unknown_index` here); actions naming no configured index go to shard 0,
 *   which refuses them as the single engine does. Symbol-wide actions reach every shard.
 * - Each dead letter is written by exactly one shard (see `rejectionsToPublish`); undecodable
 *   records only by shard 0.
 */
export interface ShardScope {
  readonly shard: number;
  readonly definitions: readonly IndexDefinition[];
  wrapSource(source: EventSource): EventSource;
  rejectionsToPublish(sourced: SourcedEvent, rejections: readonly Rejection[]): readonly Rejection[];
}

export function createShardScope(
  plan: ShardPlan,
  shard: number,
  options: { readonly rejectUnknownSymbols: boolean },
): ShardScope {
  const owns = (indexId: string) => plan.shardOfIndex(indexId) === shard;
  const ownerOf = (rejection: Rejection): number => {
    if (rejection.indexId !== undefined) return plan.shardOfIndex(rejection.indexId);
    if (rejection.symbol !== undefined) return plan.homeOfSymbol(rejection.symbol);
    return 0;
  };
  const narrow = (sourced: SourcedEvent): SourcedEvent => {
    const event = sourced.event;
    if (event.kind !== 'index-adjustment') return sourced;
    const actions = event.actions.filter((a) => !a.indexId || owns(a.indexId));
    // The event stays even when no action is left: its time and id still advance the engine's
    // date and duplicate-adjustment state exactly as in the single engine.
    return actions.length === event.actions.length ? sourced : { ...sourced, event: { ...event, actions } };
  };
  return {
    shard,
    definitions: plan.definitionsOf(shard),
    wrapSource(source) {
      return {
        start: (from) => source.start(from),
        close: () => source.close(),
        async nextBatch(maxEvents, maxWaitMs): Promise<EventBatch> {
          const batch = await source.nextBatch(maxEvents, maxWaitMs);
          return {
            events: batch.events.map(narrow),
            undecodable: shard === 0 ? batch.undecodable : [],
            nextOffsets: batch.nextOffsets,
          };
        },
      };
    },
    rejectionsToPublish(sourced, rejections) {
      const event = sourced.event;
      if (event.kind === 'tick' && options.rejectUnknownSymbols && !plan.isKnownSymbol(event.symbol)) {
        // No shard's engine refuses it (they all run with unknown symbols allowed), so shard 0
        // writes the one dead letter the single engine would: once, as unknown_symbol.
        if (shard !== 0) return [];
        return [
          {
            reason: 'unknown_symbol',
            detail: `${event.symbol} is in no index`,
            eventTime: event.eventTime,
            symbol: event.symbol,
            value: event.symbol,
          },
        ];
      }
      if (rejections.length === 0) return rejections;
      return rejections.filter((rejection) => ownerOf(rejection) === shard);
    },
  };
}
