import { canonicalOffsets } from './offsets.js';
import type { InputOffsets, RestartVerdict } from './ports.js';

/**
 * What the restart counter keeps for one calculator between runs (see RestartTracker): the
 * committed offsets a run started from, how many runs in a row crashed there, and whether the
 * last one read records one at a time.
 */
export interface RestartRecord {
  /** `canonicalOffsets` of the start point. */
  readonly offsets: string;
  readonly crashes: number;
  readonly isolated: boolean;
  /** The run ended by an outage, not a crash: it does not count, and what came before stands. */
  readonly stopped: boolean;
}

/**
 * Decides how a run starts from `from`, given what the previous run left (`previous` is null after
 * a clean stop: only a run that dies without stopping cleanly leaves its record behind, marked
 * `stopped` when it failed for an outage rather than died). With
 * `restarts` = N: after N − 1 crashes at one offset the run isolates records; if it crashes
 * again, on the record after the offset it then sits at, that record has crashed the service N
 * times (N − 1 in a batch, once alone) and is dead-lettered.
 */
export function decideRestart(
  previous: RestartRecord | null,
  from: InputOffsets | null,
  restarts: number,
): { readonly verdict: RestartVerdict; readonly record: RestartRecord } {
  const offsets = canonicalOffsets(from);
  const threshold = Math.max(1, restarts - 1);
  if (previous === null) {
    return { verdict: { mode: 'normal', crashes: 0 }, record: fresh(offsets, 0, false) };
  }
  const same = previous.offsets === offsets;
  if (previous.stopped) {
    const crashes = same ? previous.crashes : 0;
    const isolate = crashes > 0 && crashes >= threshold;
    return {
      verdict: { mode: isolate ? 'isolate' : 'normal', crashes },
      record: fresh(offsets, crashes, isolate),
    };
  }
  const crashes = same ? previous.crashes + 1 : 1;
  if (previous.isolated) {
    // Isolated runs commit each record before reading the next: the crash was on this one.
    return { verdict: { mode: 'poison', crashes }, record: fresh(offsets, 0, false) };
  }
  const isolate = crashes >= threshold;
  return {
    verdict: { mode: isolate ? 'isolate' : 'normal', crashes },
    record: fresh(offsets, crashes, isolate),
  };
}

function fresh(offsets: string, crashes: number, isolated: boolean): RestartRecord {
  return { offsets, crashes, isolated, stopped: false };
}
